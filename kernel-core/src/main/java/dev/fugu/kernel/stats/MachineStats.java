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
    private dev.fugu.kernel.sim.Trace trace;

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

    /** Where TLB flushes and IPIs go as instant events, when a trace is recorded. */
    public void setTrace(dev.fugu.kernel.sim.Trace trace)
    {
        this.trace = trace != null && trace.recording() ? trace : null;
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
        if (trace != null) {
            trace.instant(cpu, "tlb flush", clocks.now(cpu), "");
        }
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
        if (trace != null) {
            trace.instant(fromCpu, "shootdown IPI", clocks.now(fromCpu), "to cpu" + toCpu);
        }
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
