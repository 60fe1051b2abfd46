package dev.fugu.kernel.workload;

/**
 * A place in a workload file: 1-based line and column.
 */
public record Position(int line, int column)
{
    public Position
    {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column start at 1: " + line + ":" + column);
        }
    }

    @Override
    public String toString()
    {
        return line + ":" + column;
    }
}
