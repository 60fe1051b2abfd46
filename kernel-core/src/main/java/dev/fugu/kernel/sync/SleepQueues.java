package dev.fugu.kernel.sync;

import dev.fugu.kernel.proc.KThread;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Threads asleep by wait channel: the sleep queues of sys/kern/kern_synch.c. Wake-ups take
 * sleepers in the order they went to sleep.
 */
public final class SleepQueues
{
    private final Map<Object, ArrayDeque<KThread>> queues = new IdentityHashMap<>();
    private int sleeping;

    public void add(Object wchan, KThread thread)
    {
        queues.computeIfAbsent(wchan, k -> new ArrayDeque<>()).addLast(thread);
        sleeping++;
    }

    /** Removes every thread sleeping on {@code wchan}, in sleep order; null if none. */
    public ArrayDeque<KThread> takeAll(Object wchan)
    {
        ArrayDeque<KThread> threads = queues.remove(wchan);
        if (threads != null) {
            sleeping -= threads.size();
        }
        return threads;
    }

    /** Removes one thread from its channel (woken by a signal or a timeout). */
    public boolean remove(Object wchan, KThread thread)
    {
        ArrayDeque<KThread> threads = queues.get(wchan);
        if (threads == null || !threads.remove(thread)) {
            return false;
        }
        if (threads.isEmpty()) {
            queues.remove(wchan);
        }
        sleeping--;
        return true;
    }

    public int sleeping()
    {
        return sleeping;
    }
}
