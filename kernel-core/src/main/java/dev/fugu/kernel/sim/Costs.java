package dev.fugu.kernel.sim;

import dev.fugu.kernel.md.CostTable;

import static java.util.Objects.requireNonNull;

/**
 * The MI kernel's costs in force, read once from the cost table into fields, and the one place
 * MI steps charge cycles (with jitter) to a CPU's clock.
 */
public final class Costs
{
    private final CpuClocks clocks;
    private final Jitter jitter;
    public final long syscall;
    public final long fork1;
    public final long threadFork;
    public final long exec;
    public final long exit1;
    public final long exit2;
    public final long reaper;
    public final long waitScan;
    public final long waitReap;
    public final long switchMi;
    public final long enqueue;
    public final long steal;
    public final long sleep;
    public final long wakeup;
    public final long klock;
    public final long mutex;
    public final long rwlock;
    public final long signal;
    public final long knote;
    public final long singleThread;
    public final long reparent;
    /** The quantum in cycles. */
    public final long quantum;

    public Costs(CostTable table, int clockMhz, CpuClocks clocks, Jitter jitter)
    {
        requireNonNull(table, "table is null");
        this.clocks = requireNonNull(clocks, "clocks is null");
        this.jitter = requireNonNull(jitter, "jitter is null");
        syscall = table.cycles("kern.syscall");
        fork1 = table.cycles("kern.fork1");
        threadFork = table.cycles("kern.thread_fork");
        exec = table.cycles("kern.exec");
        exit1 = table.cycles("kern.exit1");
        exit2 = table.cycles("kern.exit2");
        reaper = table.cycles("kern.reaper");
        waitScan = table.cycles("kern.wait_scan");
        waitReap = table.cycles("kern.wait_reap");
        switchMi = table.cycles("kern.switch");
        enqueue = table.cycles("kern.enqueue");
        steal = table.cycles("kern.steal");
        sleep = table.cycles("kern.sleep");
        wakeup = table.cycles("kern.wakeup");
        klock = table.cycles("kern.klock");
        mutex = table.cycles("kern.mutex");
        rwlock = table.cycles("kern.rwlock");
        signal = table.cycles("kern.signal");
        knote = table.cycles("kern.knote");
        singleThread = table.cycles("kern.single_thread");
        reparent = table.cycles("kern.reparent");
        quantum = Math.max(1, table.cycles("kern.rr_us") * clockMhz);
    }

    /** Charges kernel work to {@code cpu}, with jitter. */
    public void charge(int cpu, long cycles)
    {
        clocks.chargeSys(cpu, jitter.apply(cycles));
    }

    /** Charges user-mode work to {@code cpu}, with jitter. */
    public void chargeUser(int cpu, long cycles)
    {
        clocks.chargeUser(cpu, jitter.apply(cycles));
    }

    public CpuClocks clocks()
    {
        return clocks;
    }

    public Jitter jitter()
    {
        return jitter;
    }
}
