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
    // The current step's factor is 1024 + k, k in -51..+51 (±5%); a charge scales to
    // cycles + cycles * k / 1024, rounded toward the cost table's value. As one multiply and shift:
    // (cycles * factor + bias) >> 10, where bias 1023 makes the shift round up when k < 0.
    private long factor;
    private long bias;

    public Jitter(long seed)
    {
        this.random = new SimRandom(seed ^ 0x6A09E667F3BCC908L);
        beginStep();
    }

    /** A new step begins: draws its factor. (Work done at boot, before the first step, has one too.) */
    public void beginStep()
    {
        // random.nextInt(103) spelled out, so the remainder is by a constant (a multiply, not a
        // division): a draw is made on every step.
        int u = random.nextInt() >>> 1;
        int r;
        while (u + 102 - (r = u % 103) < 0) {
            u = random.nextInt() >>> 1;
        }
        int k = r - 51;
        factor = 1024 + k;
        bias = k < 0 ? 1023 : 0;
    }

    /** {@code cycles} scaled by the current step's factor in [0.95, 1.05], rounded; 0 stays 0. */
    public long apply(long cycles)
    {
        if (cycles <= 0) {
            return 0;
        }
        return (cycles * factor + bias) >> 10;
    }
}
