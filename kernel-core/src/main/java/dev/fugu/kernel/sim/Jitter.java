package dev.fugu.kernel.sim;

/**
 * Per-step cost jitter: each charge varies by up to ±5%, drawn from the run's seed, as caches,
 * branch predictors and memory timing vary on a real machine. Same seed, same draws: those of
 * {@code new SplittableRandom(seed ^ K).nextInt(103)}, made by {@link SimRandom}, which keeps
 * the draw on every charge (about 200 per simulated process) to plain arithmetic. (Drawing a
 * block of values at a time was tried: a loop that a cold JVM runs interpreted, and deoptimizes
 * at its exit, cost more than it saved.)
 */
public final class Jitter
{
    private final SimRandom random;

    public Jitter(long seed)
    {
        this.random = new SimRandom(seed ^ 0x6A09E667F3BCC908L);
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
