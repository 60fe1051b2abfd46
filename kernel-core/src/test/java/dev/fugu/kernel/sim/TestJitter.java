package dev.fugu.kernel.sim;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TestJitter
{
    @Test
    void oneFactorPerStepDrawnAsSplittableRandomDraws()
    {
        for (long seed : new long[] {0, 1, 7, -1, 0x6A09E667F3BCC908L, Long.MIN_VALUE}) {
            Jitter jitter = new Jitter(seed);
            SplittableRandom reference = new SplittableRandom(seed ^ 0x6A09E667F3BCC908L);
            SplittableRandom costs = new SplittableRandom(seed);
            for (int step = 0; step < 20_000; step++) {
                if (step > 0) {
                    jitter.beginStep();
                }
                // 1024 cycles: the result is 1024 + the factor in 1/1024 steps.
                long permille = reference.nextInt(103) - 51;
                assertThat(jitter.apply(1024)).as("seed %d step %d", seed, step).isEqualTo(1024 + permille);
                // Every charge of the step has the same factor.
                assertThat(jitter.apply(1024)).isEqualTo(1024 + permille);
                assertThat(jitter.apply(10_240)).isEqualTo(10_240 + 10 * permille);
                // Any cost: scaled and rounded toward the table's value (truncated toward zero).
                long cycles = costs.nextLong(1, 5_000_000);
                assertThat(jitter.apply(cycles)).as("%d cycles, factor %d", cycles, permille)
                        .isEqualTo(cycles + cycles * permille / 1024);
            }
        }
    }

    @Test
    void staysWithinFivePercentReachesBothEndsAndNeverZero()
    {
        Jitter jitter = new Jitter(3);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            jitter.beginStep();
            long v = jitter.apply(1024);
            min = Math.min(min, v);
            max = Math.max(max, v);
            assertThat(jitter.apply(10_000)).isBetween(9_500L, 10_500L);
            assertThat(jitter.apply(1)).isEqualTo(1);
        }
        assertThat(min).isEqualTo(1024 - 51);
        assertThat(max).isEqualTo(1024 + 51);
        assertThat(jitter.apply(0)).isZero();
        assertThat(jitter.apply(-5)).isZero();
    }
}
