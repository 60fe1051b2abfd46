package dev.fugu.kernel.sim;

/**
 * The simulated CPUs' clocks, in cycles, and what each CPU spent them on. Charging work advances
 * the CPU's clock: a CPU's "now" is the sum of everything it has done.
 *
 * <p>The engine runs the CPU whose clock is earliest next, so a lock modelled by the time it is
 * released ({@link dev.fugu.kernel.sync.SpinMutex}) is seen correctly by the CPUs that come after.
 */
public final class CpuClocks
{
    private final long[] now;
    private final long[] sys;
    private final long[] user;
    private final long[] spin;
    private final long[] idle;
    private java.util.function.LongSupplier horizon = this::earliest;

    public CpuClocks(int ncpu)
    {
        if (ncpu < 1) {
            throw new IllegalArgumentException("ncpu must be positive");
        }
        this.now = new long[ncpu];
        this.sys = new long[ncpu];
        this.user = new long[ncpu];
        this.spin = new long[ncpu];
        this.idle = new long[ncpu];
    }

    public int ncpu()
    {
        return now.length;
    }

    public long now(int cpu)
    {
        return now[cpu];
    }

    /**
     * No CPU will act (take a lock, record a hold) at a simulated time before this. By default the
     * earliest clock; the engine narrows it to the CPUs that can run and the pending timers, since
     * a halted CPU is woken at its waker's time, not its own stale clock.
     */
    public long horizon()
    {
        return horizon.getAsLong();
    }

    public void setHorizon(java.util.function.LongSupplier horizon)
    {
        this.horizon = java.util.Objects.requireNonNull(horizon, "horizon is null");
    }

    /** The earliest clock of any CPU. */
    public long earliest()
    {
        long earliest = Long.MAX_VALUE;
        for (long t : now) {
            earliest = Math.min(earliest, t);
        }
        return earliest;
    }

    /** Kernel work. */
    public void chargeSys(int cpu, long cycles)
    {
        check(cycles);
        now[cpu] += cycles;
        sys[cpu] += cycles;
    }

    /** User-mode work. */
    public void chargeUser(int cpu, long cycles)
    {
        check(cycles);
        now[cpu] += cycles;
        user[cpu] += cycles;
    }

    /** Busy-waiting on a spin lock or a shootdown. */
    public void chargeSpin(int cpu, long cycles)
    {
        check(cycles);
        now[cpu] += cycles;
        spin[cpu] += cycles;
    }

    /** Idle until {@code time} (no-op if the clock is already there). */
    public void idleUntil(int cpu, long time)
    {
        if (time > now[cpu]) {
            idle[cpu] += time - now[cpu];
            now[cpu] = time;
        }
    }

    public long sys(int cpu)
    {
        return sys[cpu];
    }

    public long user(int cpu)
    {
        return user[cpu];
    }

    public long spin(int cpu)
    {
        return spin[cpu];
    }

    public long idle(int cpu)
    {
        return idle[cpu];
    }

    /** The latest clock of all CPUs: how long the machine has run. */
    public long max()
    {
        long max = 0;
        for (long t : now) {
            max = Math.max(max, t);
        }
        return max;
    }

    private static void check(long cycles)
    {
        if (cycles < 0) {
            throw new IllegalArgumentException("negative cycles: " + cycles);
        }
    }
}
