package dev.fugu.kernel.sim;

import java.util.SplittableRandom;

/**
 * Per-step cost jitter: each charge varies by up to ±5%, drawn from the run's seed, as caches,
 * branch predictors and memory timing vary on a real machine. Same seed, same draws.
 */
public final class Jitter
{
    private final SplittableRandom random;

    public Jitter(long seed)
    {
        this.random = new SplittableRandom(seed ^ 0x6A09E667F3BCC908L);
    }

    /** {@code cycles} scaled by a factor in [0.95, 1.05], rounded; 0 stays 0. */
    public long apply(long cycles)
    {
        if (cycles <= 0) {
            return 0;
        }
        // 1/1024 steps: -51..+51 is ±5%.
        long permille = random.nextInt(103) - 51;
        return Math.max(1, cycles + cycles * permille / 1024);
    }
}
