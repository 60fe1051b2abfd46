package dev.fugu.kernel.sync;

import dev.fugu.kernel.sim.CpuClocks;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class TestHoldTimeline
{
    /** The TreeMap timeline the arrays replaced, without pruning: the reference answers. */
    private static final class Reference
    {
        private final TreeMap<Long, Long> holds = new TreeMap<>();

        long freeFrom(long time)
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

        void add(long start, long end)
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
        }
    }

    @Test
    void answersLikeTheTreeMapTimelineAboveTheHorizon()
    {
        for (long seed = 0; seed < 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            CpuClocks clocks = new CpuClocks(1);
            long[] horizon = {0};
            clocks.setHorizon(() -> horizon[0]);
            HoldTimeline timeline = new HoldTimeline(clocks);
            Reference reference = new Reference();
            long now = 0;
            for (int i = 0; i < 50_000; i++) {
                now += random.nextInt(20);
                // Requests and holds land behind "now" by up to 300 cycles, as skewed CPUs do.
                long start = Math.max(horizon[0], now - random.nextInt(300));
                if (random.nextInt(3) == 0) {
                    assertThat(timeline.freeFrom(start)).as("seed %s op %s", seed, i).isEqualTo(reference.freeFrom(start));
                }
                else {
                    long end = start + random.nextInt(40);
                    timeline.add(start, end);
                    reference.add(start, end);
                }
                horizon[0] = Math.max(horizon[0], now - 300);
            }
            assertThat(timeline.size()).isLessThan(8192);
        }
    }

    @Test
    void prunesOnlyHoldsThatEndByTheHorizon()
    {
        CpuClocks clocks = new CpuClocks(2);
        HoldTimeline timeline = new HoldTimeline(clocks);
        for (long t = 0; t < 10_000; t += 2) {
            timeline.add(t, t + 1);
        }
        // Both clocks are still 0: nothing may go.
        assertThat(timeline.size()).isEqualTo(5_000);
        clocks.chargeSys(0, 100_000);
        clocks.chargeSys(1, 100_000);
        for (long t = 100_000; t < 110_000; t += 2) {
            timeline.add(t, t + 1);
        }
        // The old holds went (a query below the horizon no longer sees them); the new ones stay.
        assertThat(timeline.size()).isLessThan(10_000);
        assertThat(timeline.freeFrom(0)).isZero();
        assertThat(timeline.freeFrom(100_000)).isEqualTo(100_001);
        assertThat(timeline.lastEnd()).isEqualTo(109_999);
    }
}
