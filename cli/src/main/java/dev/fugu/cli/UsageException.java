package dev.fugu.cli;

import static java.util.Objects.requireNonNull;

/**
 * Bad input found after parsing (a value picocli could not check): exit 2 with one line. The
 * location, when there is one, is a {@code file:line:col: } prefix.
 */
final class UsageException
        extends RuntimeException
{
    private final String location;

    UsageException(String message)
    {
        this("fugu: ", message);
    }

    UsageException(String location, String message)
    {
        super(requireNonNull(message, "message is null"));
        this.location = requireNonNull(location, "location is null");
    }

    String location()
    {
        return location;
    }
}
