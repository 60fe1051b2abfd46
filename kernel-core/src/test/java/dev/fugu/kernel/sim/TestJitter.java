package dev.fugu.kernel.sim;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TestJitter
{
    @Test
    void drawsWhatSplittableRandomDraws()
    {
        for (long seed : new long[] {0, 1, 7, -1, 0x6A09E667F3BCC908L, Long.MIN_VALUE}) {
            Jitter jitter = new Jitter(seed);
            SplittableRandom reference = new SplittableRandom(seed ^ 0x6A09E667F3BCC908L);
            for (int i = 0; i < 100_000; i++) {
                // 1024 cycles: the result is 1024 + the draw in 1/1024 steps.
                long permille = reference.nextInt(103) - 51;
                assertThat(jitter.apply(1024)).as("seed %d draw %d", seed, i).isEqualTo(1024 + permille);
            }
        }
    }

    @Test
    void staysWithinFivePercentAndNeverReachesZero()
    {
        Jitter jitter = new Jitter(3);
        for (int i = 0; i < 10_000; i++) {
            assertThat(jitter.apply(10_000)).isBetween(9_500L, 10_500L);
            assertThat(jitter.apply(1)).isEqualTo(1);
        }
        assertThat(jitter.apply(0)).isZero();
        assertThat(jitter.apply(-5)).isZero();
    }
}
