package dev.fugu.kernel.sim;

import java.util.random.RandomGenerator;

/**
 * The simulation's seeded random numbers: the SplitMix64 generator of Steele, Lea and Flood
 * ("Fast splittable pseudorandom number generators", OOPSLA 2014), drawing exactly the values
 * {@link java.util.SplittableRandom} draws for the same seed, splits and bounded calls.
 *
 * <p>Written out because the kernel draws on every fork (a pid, a split for the child's workload
 * cursor): SplittableRandom's bounded draws go through shared JDK helpers and an interface call,
 * and each split allocates a helper object besides the generator. This class is final and its
 * draws are plain arithmetic. It also pins every run's draws to this file, not to a JDK version.
 * Not thread-safe; the simulation is one thread.
 */
public final class SimRandom
        implements RandomGenerator
{
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private final long gamma;

    public SimRandom(long seed)
    {
        this(seed, GOLDEN_GAMMA);
    }

    private SimRandom(long seed, long gamma)
    {
        this.seed = seed;
        this.gamma = gamma;
    }

    /** A new generator, independent of this one, seeded from this one's next two draws. */
    public SimRandom split()
    {
        return new SimRandom(nextLong(), mixGamma(nextSeed()));
    }

    @Override
    public long nextLong()
    {
        return mix64(nextSeed());
    }

    @Override
    public int nextInt()
    {
        return mix32(nextSeed());
    }

    /** Uniform in [0, bound); rejects the few draws that would favour low values. */
    @Override
    public int nextInt(int bound)
    {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        int r = nextInt();
        int m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        int u = r >>> 1;
        while (u + m - (r = u % bound) < 0) {
            u = nextInt() >>> 1;
        }
        return r;
    }

    /** Uniform in [0, bound). */
    @Override
    public long nextLong(long bound)
    {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        long r = nextLong();
        long m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        long u = r >>> 1;
        while (u + m - (r = u % bound) < 0) {
            u = nextLong() >>> 1;
        }
        return r;
    }

    /** Uniform in [origin, bound). */
    @Override
    public long nextLong(long origin, long bound)
    {
        if (origin >= bound) {
            throw new IllegalArgumentException("bound must be greater than origin");
        }
        long r = nextLong();
        long n = bound - origin;
        long m = n - 1;
        if ((n & m) == 0) {
            return (r & m) + origin;
        }
        if (n > 0) {
            long u = r >>> 1;
            while (u + m - (r = u % n) < 0) {
                u = nextLong() >>> 1;
            }
            return r + origin;
        }
        // The range does not fit in a long: draw until a value falls in it.
        while (r < origin || r >= bound) {
            r = nextLong();
        }
        return r;
    }

    private long nextSeed()
    {
        return seed += gamma;
    }

    // Stafford's variant 13 of the MurmurHash3 finalizer.
    private static long mix64(long z)
    {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    // The high 32 bits of Stafford's variant 4.
    private static int mix32(long z)
    {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    // An odd gamma with enough bit transitions, from the MurmurHash3 finalizer.
    private static long mixGamma(long z)
    {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int transitions = Long.bitCount(z ^ (z >>> 1));
        return transitions < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
