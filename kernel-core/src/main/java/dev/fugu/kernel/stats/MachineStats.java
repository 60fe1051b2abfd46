package dev.fugu.kernel.stats;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.sim.Jitter;

/**
 * Counters the machine-dependent layer reports into: per-CPU kernel cycles and TLB work.
 */
public final class MachineStats
        implements MdSink
{
    private final CpuClocks clocks;
    private long tlbFlushes;
    private long tlbInvalidations;
    private long shootdownIpis;

    private final Jitter jitter;

    /** Exact costs, no jitter (unit tests). */
    public MachineStats(CpuClocks clocks)
    {
        this(clocks, null);
    }

    public MachineStats(CpuClocks clocks, Jitter jitter)
    {
        this.clocks = clocks;
        this.jitter = jitter;
    }

    public CpuClocks clocks()
    {
        return clocks;
    }

    @Override
    public void charge(int cpu, long cycles)
    {
        clocks.chargeSys(cpu, jitter == null ? cycles : jitter.apply(cycles));
    }

    @Override
    public void tlbFlush(int cpu)
    {
        tlbFlushes++;
    }

    @Override
    public void tlbInvalidate(int cpu, long pages)
    {
        tlbInvalidations += pages;
    }

    @Override
    public void shootdownIpi(int fromCpu, int toCpu)
    {
        shootdownIpis++;
    }

    @Override
    public void violation(String invariant, int cpu, String detail)
    {
        throw new KernelPanic(invariant, cpu, detail);
    }

    public long sysCycles(int cpu)
    {
        return clocks.sys(cpu);
    }

    public long tlbFlushes()
    {
        return tlbFlushes;
    }

    public long tlbInvalidations()
    {
        return tlbInvalidations;
    }

    public long shootdownIpis()
    {
        return shootdownIpis;
    }
}
