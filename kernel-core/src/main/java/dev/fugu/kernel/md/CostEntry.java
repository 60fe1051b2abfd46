package dev.fugu.kernel.md;

import static java.util.Objects.requireNonNull;

/**
 * One row of a cost table: what a step costs in cycles, and why that number.
 *
 * @param key dotted name, e.g. {@code md.cr3_load}; what {@code --cost key=value} names
 * @param cycles cycles charged each time the step runs
 * @param description what the step is
 * @param source where the number comes from (a manual, a measurement, a guess said as such)
 */
public record CostEntry(String key, long cycles, String description, String source)
{
    public CostEntry
    {
        requireNonNull(key, "key is null");
        requireNonNull(description, "description is null");
        requireNonNull(source, "source is null");
        if (cycles < 0) {
            throw new IllegalArgumentException("cycles must not be negative: " + key);
        }
    }

    public CostEntry withCycles(long newCycles)
    {
        return new CostEntry(key, newCycles, description, source);
    }
}
