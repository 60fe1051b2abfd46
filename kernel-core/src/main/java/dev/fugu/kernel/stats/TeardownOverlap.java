package dev.fugu.kernel.stats;

import java.util.Arrays;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The most exit-path teardowns in progress at one simulated instant: a sweep over their start and
 * end events, in time order, with an end sorting before a start at the same instant (teardowns
 * that only touch do not overlap).
 *
 * <p>The sweep runs as events become final rather than once at the end of the run: no CPU acts
 * before the engine's floor ({@code CpuClocks#horizon()}) again, so every later teardown starts and
 * ends after it, and the events before it can be swept and dropped. A run keeps the teardowns near
 * the present, not two longs per teardown for all of its millions of exits (whose arrays, copied
 * as they grew, cost the collector and the host's page faults several per cent of the loop).
 */
final class TeardownOverlap
{
    private static final int SWEEP_AT = 4096;

    private final LongSupplier floor;
    // Start events are 2 * start + 1, end events 2 * end: sorted, an end precedes a start at the same time.
    private long[] events = new long[SWEEP_AT + 2];
    private int count;
    private int sweepAt = SWEEP_AT;
    // Events at or below this have been swept; a later event must lie above it.
    private long swept = Long.MIN_VALUE;
    private int live;
    private int max;

    TeardownOverlap(LongSupplier floor)
    {
        this.floor = requireNonNull(floor, "floor is null");
    }

    /** A teardown over [start, end) of simulated time; one of no length counts as one cycle long. */
    void add(long start, long end)
    {
        long startEvent = start * 2 + 1;
        if (startEvent <= swept) {
            throw new IllegalStateException("teardown at " + start + " starts before the engine's floor " + swept / 2);
        }
        if (count + 2 > events.length) {
            events = Arrays.copyOf(events, events.length * 2);
        }
        events[count++] = startEvent;
        events[count++] = Math.max(start + 1, end) * 2;
        if (count >= sweepAt) {
            sweep(floor.getAsLong() * 2);
        }
    }

    /** The most teardowns in progress at once, over every teardown added so far. */
    int max()
    {
        long[] rest = Arrays.copyOf(events, count);
        Arrays.sort(rest);
        int l = live;
        int m = max;
        for (long event : rest) {
            l += (event & 1) == 1 ? 1 : -1;
            m = Math.max(m, l);
        }
        return m;
    }

    /** Events not yet swept (for tests). */
    int pending()
    {
        return count;
    }

    // Later events are all above bound (a start at or after the floor is at least 2 * floor + 1).
    private void sweep(long bound)
    {
        Arrays.sort(events, 0, count);
        int i = 0;
        while (i < count && events[i] <= bound) {
            live += (events[i] & 1) == 1 ? 1 : -1;
            max = Math.max(max, live);
            i++;
        }
        System.arraycopy(events, i, events, 0, count - i);
        count -= i;
        swept = Math.max(swept, bound);
        sweepAt = Math.max(SWEEP_AT, count * 2);
        if (events.length < sweepAt + 2) {
            events = Arrays.copyOf(events, sweepAt + 2);
        }
    }
}
