package dev.fugu.kernel.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TestRunStats
{
    @Test
    void latencySummaryOverSeveralChunks()
    {
        RunStats stats = new RunStats(() -> 0);
        assertThat(stats.latencySummary()).containsExactly(0, 0, 0, 0);
        SplittableRandom random = new SplittableRandom(3);
        int n = 40_001;
        long[] all = new long[n];
        for (int i = 0; i < n; i++) {
            all[i] = random.nextLong(1, 5_000_000);
            stats.exitLatency(all[i]);
        }
        Arrays.sort(all);
        long sum = Arrays.stream(all).sum();
        // p50 and p99 are the nearest-rank values: the ceil(q * n)-th smallest.
        assertThat(stats.latencySummary()).containsExactly(sum / n, all[20_000], all[39_600], all[n - 1]);
    }
}
