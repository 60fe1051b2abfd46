package dev.fugu.kernel.sim;

/**
 * Per-step cost jitter (DESIGN 2.1): each step of the engine — one kernel step on a CPU, the end of
 * a user-mode run, a timer — runs up to ±5% faster or slower than its cost table says, as caches,
 * branch predictors and memory timing vary on a real machine; every charge made during the step
 * is scaled by the step's factor. Same seed, same factors: the step factors are the draws of
 * {@code new SplittableRandom(seed ^ K).nextInt(103)}, made by {@link SimRandom}.
 *
 * <p>One factor per step rather than one per charge: a step of many charges (a teardown makes
 * thousands) would otherwise average its draws out and vary by a fraction of a percent, not the
 * ±5% a real code path does; and a draw per charge was about a tenth of the simulator's time.
 */
public final class Jitter
{
    private final SimRandom random;
    // The current step's factor, in 1/1024 steps: -51..+51 is ±5%.
    private long permille;

    public Jitter(long seed)
    {
        this.random = new SimRandom(seed ^ 0x6A09E667F3BCC908L);
        beginStep();
    }

    /** A new step begins: draws its factor. (Work done at boot, before the first step, has one too.) */
    public void beginStep()
    {
        permille = random.nextInt(103) - 51;
    }

    /** {@code cycles} scaled by the current step's factor in [0.95, 1.05], rounded; 0 stays 0. */
    public long apply(long cycles)
    {
        if (cycles <= 0) {
            return 0;
        }
        return Math.max(1, cycles + cycles * permille / 1024);
    }
}
