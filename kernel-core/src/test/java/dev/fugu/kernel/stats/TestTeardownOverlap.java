package dev.fugu.kernel.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTeardownOverlap
{
    /** The sweep it replaced: every interval kept to the end of the run, sorted once. */
    private static int referenceMax(List<long[]> intervals)
    {
        long[] points = new long[intervals.size() * 2];
        for (int i = 0; i < intervals.size(); i++) {
            long start = intervals.get(i)[0];
            points[i * 2] = start * 2 + 1;
            points[i * 2 + 1] = Math.max(start + 1, intervals.get(i)[1]) * 2;
        }
        Arrays.sort(points);
        int live = 0;
        int max = 0;
        for (long point : points) {
            live += (point & 1) == 1 ? 1 : -1;
            max = Math.max(max, live);
        }
        return max;
    }

    /**
     * CPUs take steps in order of their clocks, as the engine does; a step may hold a teardown that
     * starts after the step's start and runs for a while (sometimes no time at all, sometimes
     * ending exactly when another starts). The floor is the earliest clock.
     */
    @Test
    void matchesTheWholeRunSweepUnderTheEnginesFloor()
    {
        for (int seed = 0; seed < 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            long[] clocks = new long[1 + random.nextInt(8)];
            TeardownOverlap overlap = new TeardownOverlap(() -> Arrays.stream(clocks).min().orElseThrow());
            List<long[]> intervals = new ArrayList<>();
            int maxPending = 0;
            for (int step = 0; step < 30_000; step++) {
                int cpu = 0;
                for (int i = 1; i < clocks.length; i++) {
                    if (clocks[i] < clocks[cpu]) {
                        cpu = i;
                    }
                }
                clocks[cpu] += random.nextInt(3) == 0 ? 0 : random.nextInt(50);
                if (random.nextInt(3) > 0) {
                    long start = clocks[cpu];
                    long end = start + (random.nextInt(4) == 0 ? 0 : random.nextInt(400));
                    clocks[cpu] = Math.max(clocks[cpu], end);
                    overlap.add(start, end);
                    intervals.add(new long[] {start, end});
                    maxPending = Math.max(maxPending, overlap.pending());
                }
            }
            assertThat(overlap.max()).as("seed %d", seed).isEqualTo(referenceMax(intervals));
            assertThat(overlap.max()).as("max() leaves the state alone").isEqualTo(referenceMax(intervals));
            assertThat(maxPending).as("seed %d: events kept", seed).isLessThan(20_000);
        }
    }

    @Test
    void touchingTeardownsDoNotOverlapAndEmptyOnesLastOneCycle()
    {
        TeardownOverlap overlap = new TeardownOverlap(() -> 0);
        overlap.add(10, 20);
        overlap.add(20, 30);
        assertThat(overlap.max()).isEqualTo(1);
        overlap.add(25, 25);
        overlap.add(25, 26);
        assertThat(overlap.max()).isEqualTo(3);
    }

    @Test
    void refusesATeardownStartingBeforeTheSweptFloor()
    {
        long[] floor = {0};
        TeardownOverlap overlap = new TeardownOverlap(() -> floor[0]);
        for (int i = 0; i < 4096; i++) {
            floor[0] = 1_000_000 + i;
            overlap.add(1_000_000 + i, 1_000_000 + i + 1);
        }
        assertThat(overlap.pending()).isLessThan(4096);
        assertThatThrownBy(() -> overlap.add(999_999, 1_000_001))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before the engine's floor");
    }
}
