package dev.fugu.kernel.sync;

import dev.fugu.kernel.sim.CpuClocks;

import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * When a lock held within single steps is busy, as disjoint intervals of simulated time.
 *
 * <p>CPUs run their steps in order of their clocks, but a step may last a while: a CPU that asks
 * for the lock at time t may be processed after another CPU has already recorded holds later than
 * t. Keeping every recent hold (not just the last release) lets the request see the lock as busy
 * only if t falls inside a hold, so two CPUs freeing pages page by page interleave instead of
 * queueing behind each other's whole teardown. Holds that end before every CPU's clock can never
 * matter again and are dropped.
 */
public final class HoldTimeline
{
    private static final int PRUNE_AT = 4096;

    private final CpuClocks clocks;
    private final TreeMap<Long, Long> holds = new TreeMap<>();
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
            Map.Entry<Long, Long> hold = holds.floorEntry(t);
            if (hold == null || hold.getValue() <= t) {
                return t;
            }
            t = hold.getValue();
        }
    }

    /** The lock was held over [start, end); merged with holds it touches or overlaps. */
    public void add(long start, long end)
    {
        if (end <= start) {
            return;
        }
        long s = start;
        long e = end;
        Map.Entry<Long, Long> before = holds.floorEntry(s);
        if (before != null && before.getValue() >= s) {
            s = before.getKey();
            e = Math.max(e, before.getValue());
            holds.remove(before.getKey());
        }
        Map.Entry<Long, Long> after = holds.ceilingEntry(s);
        while (after != null && after.getKey() <= e) {
            e = Math.max(e, after.getValue());
            holds.remove(after.getKey());
            after = holds.ceilingEntry(s);
        }
        holds.put(s, e);
        if (holds.size() >= pruneAt) {
            prune();
        }
    }

    private void prune()
    {
        long earliest = Long.MAX_VALUE;
        for (int cpu = 0; cpu < clocks.ncpu(); cpu++) {
            earliest = Math.min(earliest, clocks.now(cpu));
        }
        long min = earliest;
        holds.headMap(min).entrySet().removeIf(hold -> hold.getValue() <= min);
        pruneAt = Math.max(PRUNE_AT, holds.size() * 2);
    }

    /** The time the last recorded hold ends, or 0. */
    public long lastEnd()
    {
        return holds.isEmpty() ? 0 : holds.lastEntry().getValue();
    }
}
