package dev.fugu.kernel.sync;

import dev.fugu.kernel.sim.CpuClocks;

import static java.util.Objects.requireNonNull;

/**
 * A spinning mutex held within one step of a kernel path (mtx_enter/mtx_leave in
 * sys/kern/kern_lock.c), modelled by the simulated time at which it is next free.
 *
 * <p>A CPU that enters while another CPU's hold reaches past its own clock spins, burning cycles,
 * until that time. Since the engine always runs the CPU with the earliest clock, every hold that
 * began before a CPU's request has been recorded when the request is made.
 */
public final class SpinMutex
{
    private final String name;
    private final CpuClocks clocks;
    private long freeAt;
    private int owner = -1;
    private long acquires;
    private long contended;
    private long spinCycles;

    public SpinMutex(String name, CpuClocks clocks)
    {
        this.name = requireNonNull(name, "name is null");
        this.clocks = requireNonNull(clocks, "clocks is null");
    }

    /** mtx_enter(): spins (charged to {@code cpu}) until the mutex is free, then takes it. */
    public void enter(int cpu)
    {
        if (owner >= 0) {
            throw new IllegalStateException(name + ": mtx_enter on cpu" + cpu + " while held by cpu" + owner + " in the same step");
        }
        acquires++;
        long now = clocks.now(cpu);
        if (freeAt > now) {
            contended++;
            spinCycles += freeAt - now;
            clocks.chargeSpin(cpu, freeAt - now);
        }
        owner = cpu;
    }

    /** mtx_leave(): the mutex is free from {@code cpu}'s current time on. */
    public void leave(int cpu)
    {
        if (owner != cpu) {
            throw new IllegalStateException(name + ": mtx_leave on cpu" + cpu + " but owner is cpu" + owner);
        }
        owner = -1;
        freeAt = Math.max(freeAt, clocks.now(cpu));
    }

    public boolean isHeld()
    {
        return owner >= 0;
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
