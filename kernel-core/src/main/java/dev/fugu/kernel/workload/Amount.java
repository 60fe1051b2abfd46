package dev.fugu.kernel.workload;

/**
 * A numeric operand of compute, touch, read, write or sleep: a fixed value, or a range
 * {@code LO..HI} drawn uniformly (both ends included) each time the statement runs.
 */
public record Amount(long low, long high)
{
    public Amount
    {
        if (low > high) {
            throw new IllegalArgumentException("empty range " + low + ".." + high);
        }
    }

    public static Amount of(long value)
    {
        return new Amount(value, value);
    }

    public boolean isFixed()
    {
        return low == high;
    }

    @Override
    public String toString()
    {
        return isFixed() ? Long.toString(low) : low + ".." + high;
    }
}
