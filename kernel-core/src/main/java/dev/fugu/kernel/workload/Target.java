package dev.fugu.kernel.workload;

/**
 * Whom {@code kill} and {@code watch} act on.
 */
public enum Target
{
    /** The process most recently created by this process's fork/spawn (the last of a spawn). */
    LAST,
    /** This process's children that are live at that moment. */
    ALL;

    public String keyword()
    {
        return this == LAST ? "last" : "all";
    }
}
