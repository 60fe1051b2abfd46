package dev.fugu.kernel.sync;

import dev.fugu.kernel.sim.Costs;
import dev.fugu.kernel.sim.CpuClocks;

import java.util.ArrayDeque;

import static java.util.Objects.requireNonNull;

/**
 * The big kernel lock: a recursive spinning lock owned by a CPU (__mp_lock in
 * sys/kern/kern_lock.c). It may be held across steps; a CPU that finds it held spins — the engine
 * parks it until the owner's release hands the lock over, and charges the wait as spin.
 */
public final class KernelLock
{
    private final CpuClocks clocks;
    private final Costs costs;
    private final ArrayDeque<Integer> waiters = new ArrayDeque<>();
    private final long[] spinStart;
    private int owner = -1;
    private int depth;
    private int handedTo = -1;
    private long acquires;
    private long contended;
    private long spinCycles;
    /** Called when a parked CPU is handed the lock, to let the engine run it again. */
    private final java.util.function.IntConsumer unpark;

    public KernelLock(CpuClocks clocks, Costs costs, java.util.function.IntConsumer unpark)
    {
        this.clocks = requireNonNull(clocks, "clocks is null");
        this.costs = requireNonNull(costs, "costs is null");
        this.unpark = requireNonNull(unpark, "unpark is null");
        this.spinStart = new long[clocks.ncpu()];
    }

    /**
     * KERNEL_LOCK(): takes the lock (or one more recursion) for {@code cpu}.
     *
     * @return true if {@code cpu} holds the lock now; false if it must spin (it is parked and
     *         will be handed the lock; call again then)
     */
    public boolean enter(int cpu)
    {
        if (owner == cpu) {
            if (handedTo == cpu) {
                handedTo = -1;
            }
            else {
                depth++;
            }
            return true;
        }
        if (owner < 0) {
            owner = cpu;
            depth = 1;
            acquires++;
            costs.charge(cpu, costs.klock);
            return true;
        }
        if (!waiters.contains(cpu)) {
            waiters.addLast(cpu);
            spinStart[cpu] = clocks.now(cpu);
            contended++;
        }
        return false;
    }

    /** KERNEL_UNLOCK(): drops one recursion; the last one hands the lock to the first spinner. */
    public void leave(int cpu)
    {
        if (owner != cpu) {
            throw new IllegalStateException("kernel_lock released by cpu" + cpu + " but held by cpu" + owner);
        }
        if (--depth > 0) {
            return;
        }
        releaseAll(cpu);
    }

    /** Drops every recursion (before a sleep, __mp_release_all); returns how many there were. */
    public int releaseAll(int cpu)
    {
        if (owner != cpu) {
            return 0;
        }
        int held = depth;
        owner = -1;
        depth = 0;
        Integer next = waiters.pollFirst();
        if (next != null) {
            long now = clocks.now(cpu);
            long waited = Math.max(0, now - clocks.now(next));
            if (waited > 0) {
                clocks.chargeSpin(next, waited);
            }
            spinCycles += Math.max(0, clocks.now(next) - spinStart[next]);
            owner = next;
            depth = 1;
            handedTo = next;
            acquires++;
            unpark.accept(next);
        }
        return held;
    }

    /** Takes {@code count} recursions at once after a sleep (__mp_acquire_count). */
    public boolean enterCount(int cpu, int count)
    {
        if (!enter(cpu)) {
            return false;
        }
        depth = count;
        return true;
    }

    public boolean heldBy(int cpu)
    {
        return owner == cpu;
    }

    public int depth()
    {
        return depth;
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
