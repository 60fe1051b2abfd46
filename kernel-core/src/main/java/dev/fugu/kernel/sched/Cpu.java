package dev.fugu.kernel.sched;

import dev.fugu.kernel.proc.KThread;

import java.util.ArrayDeque;

/**
 * One simulated CPU's MI state: {@code struct cpu_info} and its {@code schedstate_percpu}.
 */
public final class Cpu
{
    private final int id;
    public KThread curthread;
    public KThread idle;
    public final RunQueues runq = new RunQueues();
    /** spc_deadproc: threads that exited on this CPU, for the idle thread to finish. */
    public final ArrayDeque<KThread> deadproc = new ArrayDeque<>();
    /** Halted in the idle loop with nothing to do: the engine skips it until work arrives. */
    public boolean halted;
    /** Spinning for a lock held across steps by another CPU; the engine skips it until handed the lock. */
    public boolean spinning;
    /** Time of this CPU's next roundrobin() tick (the quantum boundary). */
    public long nextRoundRobin;
    /** Set when a better thread became runnable here (need_resched). */
    public boolean wantResched;
    /** Kernel-lock recursion count held by the thread running here. */
    public int kernelLockDepth;
    /**
     * A user-mode run in progress: the thread computes from {@code userRunStart} until
     * {@code userRunUntil} (0: none) unless an interrupt cuts it short. The engine sees the CPU at
     * the run's end; the cycles are charged when it ends or is cut.
     */
    public long userRunStart;
    public long userRunUntil;
    /** The run ends at a roundrobin tick. */
    public boolean userRunHitsTick;
    public final long[] switches = new long[SwitchCause.values().length];

    public Cpu(int id)
    {
        this.id = id;
    }

    public int id()
    {
        return id;
    }

    public long switchTotal()
    {
        long total = 0;
        for (long n : switches) {
            total += n;
        }
        return total;
    }

    @Override
    public String toString()
    {
        return "cpu" + id;
    }
}
