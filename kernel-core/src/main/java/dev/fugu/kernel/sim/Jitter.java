package dev.fugu.kernel.sim;

/**
 * Per-step cost jitter: each charge varies by up to ±5%, drawn from the run's seed, as caches,
 * branch predictors and memory timing vary on a real machine. Same seed, same draws.
 *
 * <p>The draws are those of {@code new java.util.SplittableRandom(seed ^ K).nextInt(103)}, with
 * the generator written out here: it runs on every charge (about 200 per simulated process), and
 * the JDK's bounded draw goes through an interface call and a division by a bound it does not
 * know. Writing it out also pins the sequence to this file rather than to a JDK version. (Drawing
 * a block of values at a time was tried: a loop that a cold JVM runs interpreted, and deoptimizes
 * on the rare rejected draw, cost more than it saved.)
 */
public final class Jitter
{
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final int BOUND = 103;

    private long seed;

    public Jitter(long seed)
    {
        this.seed = seed ^ 0x6A09E667F3BCC908L;
    }

    /** {@code cycles} scaled by a factor in [0.95, 1.05], rounded; 0 stays 0. */
    public long apply(long cycles)
    {
        if (cycles <= 0) {
            return 0;
        }
        // 1/1024 steps: -51..+51 is ±5%.
        long permille = nextInt103() - 51;
        return Math.max(1, cycles + cycles * permille / 1024);
    }

    // SplittableRandom.nextInt(103): RandomSupport.boundedNextInt's rejection loop over mix32
    // (a draw is rejected with probability about 2^-25).
    private int nextInt103()
    {
        int u = mix32(seed += GOLDEN_GAMMA) >>> 1;
        int r = u % BOUND;
        if (u + (BOUND - 1) - r < 0) {
            return rejected();
        }
        return r;
    }

    private int rejected()
    {
        int u;
        int r;
        do {
            u = mix32(seed += GOLDEN_GAMMA) >>> 1;
            r = u % BOUND;
        }
        while (u + (BOUND - 1) - r < 0);
        return r;
    }

    private static int mix32(long z)
    {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }
}
