package dev.fugu.kernel.sync;

import dev.fugu.kernel.sim.CpuClocks;

import static java.util.Objects.requireNonNull;

/**
 * A spinning mutex held within one step of a kernel path (mtx_enter/mtx_leave in
 * sys/kern/kern_lock.c), modelled by when it is busy ({@link HoldTimeline}).
 *
 * <p>A CPU that enters while another CPU's hold covers its own clock spins, burning cycles, until
 * that hold ends.
 */
public final class SpinMutex
{
    private final String name;
    private final CpuClocks clocks;
    private final HoldTimeline busy;
    private int owner = -1;
    private long holdStart;
    private long acquires;
    private long contended;
    private long spinCycles;

    public SpinMutex(String name, CpuClocks clocks)
    {
        this.name = requireNonNull(name, "name is null");
        this.clocks = requireNonNull(clocks, "clocks is null");
        this.busy = new HoldTimeline(clocks);
    }

    /** mtx_enter(): spins (charged to {@code cpu}) until the mutex is free, then takes it. */
    public void enter(int cpu)
    {
        if (owner >= 0) {
            throw new IllegalStateException(name + ": mtx_enter on cpu" + cpu + " while held by cpu" + owner + " in the same step");
        }
        acquires++;
        long now = clocks.now(cpu);
        long free = busy.freeFrom(now);
        if (free > now) {
            contended++;
            spinCycles += free - now;
            clocks.chargeSpin(cpu, free - now);
        }
        owner = cpu;
        holdStart = clocks.now(cpu);
    }

    /** mtx_leave(): the mutex was busy from the enter until {@code cpu}'s current time. */
    public void leave(int cpu)
    {
        if (owner != cpu) {
            throw new IllegalStateException(name + ": mtx_leave on cpu" + cpu + " but owner is cpu" + owner);
        }
        owner = -1;
        busy.add(holdStart, clocks.now(cpu));
    }

    public boolean isHeld()
    {
        return owner >= 0;
    }

    /** True if {@code cpu} holds it now (a sleep now would be a sleep with a spin lock held). */
    public boolean isHeldBy(int cpu)
    {
        return owner == cpu;
    }

    public String name()
    {
        return name;
    }

    public long acquires()
    {
        return acquires;
    }

    public long contended()
    {
        return contended;
    }

    public long spinCycles()
    {
        return spinCycles;
    }
}
