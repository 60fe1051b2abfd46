package dev.fugu.kernel.sync;

import dev.fugu.kernel.sim.CpuClocks;


import static java.util.Objects.requireNonNull;

/**
 * When a lock held within single steps is busy, as disjoint intervals of simulated time.
 *
 * <p>CPUs run their steps in order of their clocks, but a step may last a while: a CPU that asks
 * for the lock at time t may be processed after another CPU has already recorded holds later than
 * t. Keeping every recent hold (not just the last release) lets the request see the lock as busy
 * only if t falls inside a hold, so two CPUs freeing pages page by page interleave instead of
 * queueing behind each other's whole teardown. Holds that end before every CPU's clock can never
 * matter again and are dropped: before {@link CpuClocks#horizon()}, which leaves out halted CPUs
 * (a CPU idle for the whole run would otherwise keep every hold alive).
 */
public final class HoldTimeline
{
    private static final int PRUNE_AT = 4096;

    private final CpuClocks clocks;
    // Disjoint, non-touching holds sorted by start, live in [head, tail): two primitive arrays, as
    // this is on every fpageq enter/leave (a TreeMap<Long, Long> boxed and rebalanced each time).
    // Nearly every hold lands at or near the end, so inserts shift little.
    private long[] starts = new long[64];
    private long[] ends = new long[64];
    private int head;
    private int tail;
    private int pruneAt = PRUNE_AT;

    public HoldTimeline(CpuClocks clocks)
    {
        this.clocks = requireNonNull(clocks, "clocks is null");
    }

    /** The earliest time at or after {@code time} when the lock is free. */
    public long freeFrom(long time)
    {
        long t = time;
        while (true) {
            int i = floor(t);
            if (i < head || ends[i] <= t) {
                return t;
            }
            t = ends[i];
        }
    }

    /** The lock was held over [start, end); merged with holds it touches or overlaps. */
    public void add(long start, long end)
    {
        if (end <= start) {
            return;
        }
        int last = tail - 1;
        if (last < head || starts[last] <= start) {
            // The common case: the hold starts at or after the newest one; nothing follows it.
            if (last >= head && ends[last] >= start) {
                ends[last] = Math.max(ends[last], end);
            }
            else {
                int at = tail == starts.length ? openSlot(tail) : tail++;
                starts[at] = start;
                ends[at] = end;
            }
            if (tail - head >= pruneAt) {
                prune();
            }
            return;
        }
        long s = start;
        long e = end;
        int i = floor(s);
        int lo;
        int hi;
        if (i >= head && ends[i] >= s) {
            s = starts[i];
            e = Math.max(e, ends[i]);
            lo = i;
            hi = i + 1;
        }
        else {
            lo = i + 1;
            hi = lo;
        }
        while (hi < tail && starts[hi] <= e) {
            e = Math.max(e, ends[hi]);
            hi++;
        }
        if (hi == lo) {
            lo = openSlot(lo);
        }
        else if (hi > lo + 1) {
            System.arraycopy(starts, hi, starts, lo + 1, tail - hi);
            System.arraycopy(ends, hi, ends, lo + 1, tail - hi);
            tail -= hi - lo - 1;
        }
        starts[lo] = s;
        ends[lo] = e;
        if (tail - head >= pruneAt) {
            prune();
        }
    }

    /** The time the last recorded hold ends, or 0. */
    public long lastEnd()
    {
        return tail == head ? 0 : ends[tail - 1];
    }

    /** Holds kept now (for tests). */
    int size()
    {
        return tail - head;
    }

    // The last hold starting at or before t, or head - 1. Most lookups are at the newest end.
    private int floor(long t)
    {
        int last = tail - 1;
        if (last < head || starts[last] <= t) {
            return last;
        }
        int lo = head;
        int hi = last - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= t) {
                lo = mid + 1;
            }
            else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    // Makes room for one hold before index {@code at}; returns where {@code at} now is.
    private int openSlot(int at)
    {
        if (tail == starts.length) {
            int live = tail - head;
            if (head > starts.length / 2) {
                System.arraycopy(starts, head, starts, 0, live);
                System.arraycopy(ends, head, ends, 0, live);
            }
            else {
                long[] newStarts = new long[starts.length * 2];
                long[] newEnds = new long[ends.length * 2];
                System.arraycopy(starts, head, newStarts, 0, live);
                System.arraycopy(ends, head, newEnds, 0, live);
                starts = newStarts;
                ends = newEnds;
            }
            at -= head;
            head = 0;
            tail = live;
        }
        System.arraycopy(starts, at, starts, at + 1, tail - at);
        System.arraycopy(ends, at, ends, at + 1, tail - at);
        tail++;
        return at;
    }

    private void prune()
    {
        long min = clocks.horizon();
        // Holds are disjoint and sorted, so those ending by min are a prefix.
        while (head < tail && ends[head] <= min) {
            head++;
        }
        pruneAt = Math.max(PRUNE_AT, (tail - head) * 2);
    }
}
