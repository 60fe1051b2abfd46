package dev.fugu.kernel.boot;

import static java.util.Objects.requireNonNull;

/**
 * A machine configuration that cannot be built: an unknown architecture, a value out of the
 * plug-in's range, an option it does not take. The message is one line meant for the user.
 */
public final class ConfigException
        extends RuntimeException
{
    private final String option;

    public ConfigException(String option, String message)
    {
        super(requireNonNull(message, "message is null"));
        this.option = requireNonNull(option, "option is null");
    }

    /** The command-line option at fault, e.g. {@code --ncpu}. */
    public String option()
    {
        return option;
    }
}
