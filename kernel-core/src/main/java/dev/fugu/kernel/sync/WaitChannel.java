package dev.fugu.kernel.sync;

import dev.fugu.kernel.proc.KThread;

/**
 * A wait channel: the {@code ident} of tsleep()/wakeup() in sys/kern/kern_synch.c. In OpenBSD any
 * kernel address will do and wakeup() hashes it into one of 128 sleep queues; here a channel is
 * an object that holds its own queue of sleepers, so a wakeup finds them without hashing — an
 * identity hash is a call into the JVM the first time an object is hashed, and most channels
 * (a process's, a dead thread's) are woken once in their lives. The queue is kept by
 * {@link SleepQueues} alone.
 */
public final class WaitChannel
{
    /** The first thread asleep on this channel, or null; its {@code sleepPrev} is the last. */
    KThread first;
}
