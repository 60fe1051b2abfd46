package dev.fugu.kernel.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

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
    private long[] intervals = new long[256];
    private int intervalCount;

    private long[] latencies = new long[1024];
    private int latencyCount;

    /** One exit-path teardown on {@code cpu} over [start, end) of simulated time. */
    public void teardown(int cpu, long start, long end, Teardown ledger)
    {
        teardown = teardown.plus(ledger);
        teardownCpus.set(cpu);
        if (intervalCount * 2 + 2 > intervals.length) {
            intervals = Arrays.copyOf(intervals, intervals.length * 2);
        }
        intervals[intervalCount * 2] = start;
        intervals[intervalCount * 2 + 1] = Math.max(start + 1, end);
        intervalCount++;
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
        long[] points = new long[intervalCount * 2];
        for (int i = 0; i < intervalCount; i++) {
            // Starts sort before ends at the same time only if strictly inside: encode ends as odd.
            points[i * 2] = intervals[i * 2] * 2 + 1;
            points[i * 2 + 1] = intervals[i * 2 + 1] * 2;
        }
        Arrays.sort(points);
        int live = 0;
        int max = 0;
        for (long point : points) {
            live += (point & 1) == 1 ? 1 : -1;
            max = Math.max(max, live);
        }
        return max;
    }

    public void exitLatency(long cycles)
    {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = cycles;
    }

    /** mean, p50, p99, max of exit latencies in cycles; zeros without samples. */
    public long[] latencySummary()
    {
        if (latencyCount == 0) {
            return new long[4];
        }
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
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
