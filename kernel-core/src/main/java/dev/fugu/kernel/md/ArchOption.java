package dev.fugu.kernel.md;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One {@code --arch-opt} option. With no {@code values} it is a flag ({@code --arch-opt nopae});
 * otherwise it takes one of {@code values} ({@code --arch-opt asidbits=8}).
 */
public record ArchOption(String key, String description, List<String> values)
{
    public ArchOption
    {
        requireNonNull(key, "key is null");
        requireNonNull(description, "description is null");
        values = List.copyOf(requireNonNull(values, "values is null"));
        if (!key.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("bad option key: " + key);
        }
    }

    public static ArchOption flag(String key, String description)
    {
        return new ArchOption(key, description, List.of());
    }

    public boolean isFlag()
    {
        return values.isEmpty();
    }
}
