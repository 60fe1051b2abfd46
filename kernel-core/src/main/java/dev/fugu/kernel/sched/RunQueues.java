package dev.fugu.kernel.sched;

import dev.fugu.kernel.proc.KThread;

import java.util.ArrayDeque;

/**
 * One CPU's run queues: SCHED_NQS (32) FIFO queues by priority / 4 and the {@code spc_whichqs}
 * bitmask of the non-empty ones, as in sys/kern/kern_sched.c.
 */
public final class RunQueues
{
    public static final int SCHED_NQS = 32;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<KThread>[] queues = new ArrayDeque[SCHED_NQS];
    private int whichqs;
    private int nrun;

    public RunQueues()
    {
        for (int i = 0; i < SCHED_NQS; i++) {
            queues[i] = new ArrayDeque<>();
        }
    }

    /** Models the queue insertion of setrunqueue(): TAILQ_INSERT_TAIL on queue prio >> 2. */
    public void insert(KThread thread)
    {
        int queue = thread.runpri >> 2;
        queues[queue].addLast(thread);
        whichqs |= 1 << queue;
        nrun++;
    }

    /** Models remrunqueue(). */
    public void remove(KThread thread)
    {
        int queue = thread.runpri >> 2;
        if (!queues[queue].remove(thread)) {
            throw new IllegalStateException(thread + " is not on run queue " + queue);
        }
        if (queues[queue].isEmpty()) {
            whichqs &= ~(1 << queue);
        }
        nrun--;
    }

    /** The best thread (lowest queue index, FIFO within it) without removing it, or null. */
    public KThread peek()
    {
        if (whichqs == 0) {
            return null;
        }
        return queues[Integer.numberOfTrailingZeros(whichqs)].peekFirst();
    }

    /** Removes and returns the best thread, or null: the queue part of sched_chooseproc(). */
    public KThread poll()
    {
        if (whichqs == 0) {
            return null;
        }
        int queue = Integer.numberOfTrailingZeros(whichqs);
        KThread thread = queues[queue].pollFirst();
        if (queues[queue].isEmpty()) {
            whichqs &= ~(1 << queue);
        }
        nrun--;
        return thread;
    }

    public int size()
    {
        return nrun;
    }

    public boolean isEmpty()
    {
        return nrun == 0;
    }

    public int whichqs()
    {
        return whichqs;
    }
}
