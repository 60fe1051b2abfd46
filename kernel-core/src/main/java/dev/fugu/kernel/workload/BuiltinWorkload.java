package dev.fugu.kernel.workload;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A workload shipped with fugu, as {@code fugu workloads} lists it.
 *
 * @param name what {@code --workload} takes
 * @param description the file's {@code # description:} line
 * @param parameters declared parameters with their defaults
 */
public record BuiltinWorkload(String name, String description, Map<String, String> parameters)
{
    public BuiltinWorkload
    {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
    }
}
