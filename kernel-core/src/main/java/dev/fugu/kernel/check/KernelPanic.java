package dev.fugu.kernel.check;

import static java.util.Objects.requireNonNull;

/**
 * A violated kernel invariant. The run stops; the CLI prints a {@code panic:} report with the
 * command line that replays it and exits 3.
 */
public final class KernelPanic
        extends RuntimeException
{
    private final String invariant;
    private final int cpu;
    private final String detail;

    public KernelPanic(String invariant, int cpu, String detail)
    {
        super(invariant + " on cpu" + cpu + ": " + detail);
        this.invariant = requireNonNull(invariant, "invariant is null");
        this.cpu = cpu;
        this.detail = requireNonNull(detail, "detail is null");
    }

    public String invariant()
    {
        return invariant;
    }

    public int cpu()
    {
        return cpu;
    }

    public String detail()
    {
        return detail;
    }
}
