package dev.fugu.kernel.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The MI kernel's counters for one run, filled as it goes and read into the summary at the end.
 */
public final class RunStats
{
    public long forked;
    public long exited;
    public long reaped;
    public long zapped;
    public long maxLive;
    public long forkEagain;
    public long threadsCreated;
    public long threadsExited;
    public long oomKills;
    public long esrch;
    public long expectsPassed;
    public long expectsFailed;
    public final List<String> expectFailures = new ArrayList<>();
    public long exitSysCycles;
    public long signalsPosted;
    public long noteExits;

    public Teardown teardown = Teardown.NONE;
    public Teardown exec = Teardown.NONE;
    public long execs;
    private final BitSet teardownCpus = new BitSet();
    private final TeardownOverlap overlap;

    // Exit latencies in fixed chunks: one array doubled as it grew was copied whole each time, and
    // each copy, promoted, was memory the host faulted in afresh.
    private static final int LATENCY_CHUNK = 1 << 14;
    private final List<long[]> latencyChunks = new ArrayList<>();
    private long[] latencies = new long[0];
    private int latencyFill;
    private int latencyCount;

    /**
     * @param floor the engine's floor: no CPU acts at a simulated time before it again
     *     ({@code CpuClocks#horizon()}), so teardowns ending before it are final
     */
    public RunStats(LongSupplier floor)
    {
        this.overlap = new TeardownOverlap(floor);
    }

    /** One exit-path teardown on {@code cpu} over [start, end) of simulated time. */
    public void teardown(int cpu, long start, long end, Teardown ledger)
    {
        teardown = teardown.plus(ledger);
        teardownCpus.set(cpu);
        overlap.add(start, end);
    }

    public void execTeardown(Teardown ledger)
    {
        exec = exec.plus(ledger);
        execs++;
    }

    /** Distinct CPUs that ran exit-path teardown. */
    public int cpuSpread()
    {
        return teardownCpus.cardinality();
    }

    /** The most teardowns in progress at one simulated instant. */
    public int maxParallel()
    {
        return overlap.max();
    }

    public void exitLatency(long cycles)
    {
        if (latencyFill == latencies.length) {
            latencies = new long[LATENCY_CHUNK];
            latencyChunks.add(latencies);
            latencyFill = 0;
        }
        latencies[latencyFill++] = cycles;
        latencyCount++;
    }

    /** mean, p50, p99, max of exit latencies in cycles; zeros without samples. */
    public long[] latencySummary()
    {
        if (latencyCount == 0) {
            return new long[4];
        }
        long[] sorted = new long[latencyCount];
        for (int i = 0; i < latencyChunks.size(); i++) {
            System.arraycopy(latencyChunks.get(i), 0, sorted, i * LATENCY_CHUNK, Math.min(LATENCY_CHUNK, latencyCount - i * LATENCY_CHUNK));
        }
        Arrays.sort(sorted);
        long sum = 0;
        for (long l : sorted) {
            sum += l;
        }
        return new long[] {
                sum / latencyCount,
                sorted[(int) Math.min(latencyCount - 1, Math.ceil(0.50 * latencyCount) - 1)],
                sorted[(int) Math.min(latencyCount - 1, Math.ceil(0.99 * latencyCount) - 1)],
                sorted[latencyCount - 1],
        };
    }
}
