package dev.fugu.kernel.sim;

import dev.fugu.kernel.proc.KThread;
import dev.fugu.kernel.sched.SwitchCause;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened when, per CPU: a running hash of every context switch (the JSON's
 * {@code trace_hash}, equal for equal runs) and, when a trace file was asked for, the events
 * themselves: thread runs and exit phases as complete events, IPIs and TLB flushes as instants.
 */
public final class Trace
{
    private final boolean recording;
    private final List<Event> events;
    private final long[] runStart;
    private final KThread[] running;
    private long hash = 0xcbf29ce484222325L;

    /**
     * One trace event: {@code duration} is -1 for an instant.
     */
    public record Event(int cpu, String name, String category, long start, long duration, String args)
    {
    }

    public Trace(int ncpu, boolean recording)
    {
        this.recording = recording;
        this.events = recording ? new ArrayList<>() : List.of();
        this.runStart = new long[ncpu];
        this.running = new KThread[ncpu];
    }

    public boolean recording()
    {
        return recording;
    }

    public void switched(int cpu, long start, long end, KThread old, KThread next, SwitchCause cause)
    {
        hash = mix(mix(mix(mix(hash, cpu), start), next.tid()), cause.ordinal());
        if (recording) {
            if (running[cpu] != null && start > runStart[cpu]) {
                events.add(new Event(cpu, running[cpu].name(), "run", runStart[cpu], start - runStart[cpu],
                        "pid " + running[cpu].process().pid() + " tid " + running[cpu].tid()));
            }
            events.add(new Event(cpu, "switch:" + cause.key(), "switch", start, end - start, old.name() + " -> " + next.name()));
            running[cpu] = next;
            runStart[cpu] = end;
        }
    }

    /** A phase of a kernel path (exit1 MI work, teardown, cpu_exit...) as a complete event. */
    public void phase(int cpu, String name, long start, long end, String args)
    {
        phase(cpu, name, start, end, args, "");
    }

    /**
     * As {@link #phase(int, String, long, long, String)}, the arguments being {@code subject}
     * followed by {@code more}: the text is built only when a trace is recorded.
     */
    public void phase(int cpu, String name, long start, long end, Object subject, String more)
    {
        hash = mix(mix(hash, start), end);
        if (recording && end > start) {
            events.add(new Event(cpu, name, "exit", start, end - start, subject + more));
        }
    }

    public void instant(int cpu, String name, long time, String args)
    {
        if (recording) {
            events.add(new Event(cpu, name, "md", time, -1, args));
        }
    }

    /** Closes every CPU's current run slice at {@code end[cpu]}. */
    public void finish(long[] end)
    {
        if (!recording) {
            return;
        }
        for (int cpu = 0; cpu < running.length; cpu++) {
            if (running[cpu] != null && end[cpu] > runStart[cpu]) {
                events.add(new Event(cpu, running[cpu].name(), "run", runStart[cpu], end[cpu] - runStart[cpu],
                        "pid " + running[cpu].process().pid() + " tid " + running[cpu].tid()));
            }
        }
    }

    public List<Event> events()
    {
        return events;
    }

    public String hash()
    {
        return String.format("%016x", hash);
    }

    private static long mix(long h, long value)
    {
        h ^= value;
        h *= 0x100000001b3L;
        return h ^ (h >>> 29);
    }
}
