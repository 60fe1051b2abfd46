package dev.fugu.kernel.sync;

import dev.fugu.kernel.proc.KThread;

/**
 * Threads asleep by wait channel: the sleep queues of sys/kern/kern_synch.c. Wake-ups take
 * sleepers in the order they went to sleep.
 *
 * <p>As in OpenBSD, a queue is linked through the sleeping threads themselves ({@code p_runq}),
 * so putting a thread to sleep allocates nothing: each {@link WaitChannel} holds its first
 * sleeper, whose {@link KThread#sleepPrev} is the last. A queued thread's {@code wchan} is its
 * queue's channel, set here and cleared when it leaves (unsleep()), so taking one thread off a
 * queue of any length costs the same.
 */
public final class SleepQueues
{
    private int sleeping;

    /** Puts {@code thread}, not on any queue, at the tail of {@code wchan}'s queue. */
    public void add(WaitChannel wchan, KThread thread)
    {
        if (thread.sleepPrev != null) {
            throw new IllegalStateException(thread + " is already on a sleep queue");
        }
        thread.wchan = wchan;
        thread.sleepNext = null;
        KThread head = wchan.first;
        if (head == null) {
            wchan.first = thread;
            thread.sleepPrev = thread;
        }
        else {
            KThread last = head.sleepPrev;
            last.sleepNext = thread;
            thread.sleepPrev = last;
            head.sleepPrev = thread;
        }
        sleeping++;
    }

    /**
     * Removes every thread sleeping on {@code wchan}. Returns the first in sleep order, or null if
     * none; the others follow it, each reached from the one before by {@link #unlinkNext}.
     */
    public KThread takeAll(WaitChannel wchan)
    {
        KThread head = wchan.first;
        if (head != null) {
            wchan.first = null;
            for (KThread t = head; t != null; t = t.sleepNext) {
                sleeping--;
            }
        }
        return head;
    }

    /** In a chain returned by {@link #takeAll}: the thread after {@code thread}, whose links and channel are cleared. */
    public static KThread unlinkNext(KThread thread)
    {
        KThread next = thread.sleepNext;
        thread.wchan = null;
        thread.sleepNext = null;
        thread.sleepPrev = null;
        return next;
    }

    /**
     * Removes one thread from {@code wchan}'s queue (woken by a signal or a timeout).
     *
     * @return false if {@code thread} is not asleep on {@code wchan}
     */
    public boolean remove(WaitChannel wchan, KThread thread)
    {
        if (thread.sleepPrev == null || thread.wchan != wchan) {
            return false;
        }
        KThread head = wchan.first;
        KThread next = thread.sleepNext;
        KThread prev = thread.sleepPrev;
        if (thread == head) {
            if (next != null) {
                next.sleepPrev = prev;
            }
            wchan.first = next;
        }
        else {
            prev.sleepNext = next;
            if (next != null) {
                next.sleepPrev = prev;
            }
            else {
                head.sleepPrev = prev;
            }
        }
        thread.wchan = null;
        thread.sleepNext = null;
        thread.sleepPrev = null;
        sleeping--;
        return true;
    }

    public int sleeping()
    {
        return sleeping;
    }
}
