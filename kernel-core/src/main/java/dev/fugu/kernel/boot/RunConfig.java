package dev.fugu.kernel.boot;

import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.workload.Workload;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How to run a booted machine: the workload, the exit design, limits and outputs.
 *
 * @param workload what {@code main} and the programs it starts do
 * @param exitModel reaper, purge or direct
 * @param exitSwitch how a dead thread leaves its CPU (direct only; NONE otherwise)
 * @param maxproc kern.maxproc
 * @param maxSimCycles stop (exit 1) when the simulated clock passes this
 * @param trace record trace events for {@code --trace}
 * @param psAt simulated times (cycles) at which to take a ps snapshot
 * @param pmrBatch free pages of a teardown in coalesced batches instead of one by one
 * @param pmrCache give each CPU uvm_pmemrange's per-CPU page cache (OpenBSD 7.6 and later)
 */
public record RunConfig(
        Workload workload,
        ExitModel exitModel,
        ExitSwitch exitSwitch,
        int maxproc,
        long maxSimCycles,
        boolean trace,
        List<Long> psAt,
        boolean pmrBatch,
        boolean pmrCache)
{
    public static final int DEFAULT_MAXPROC = 1310;
    /** --max-sim-seconds default: an hour of simulated time, far beyond any built-in. */
    public static final long DEFAULT_MAX_SIM_SECONDS = 3600;

    /** {@code workload} under the default exit design (direct, sched_toidle) and limits. */
    public static RunConfig of(Workload workload, int clockMhz)
    {
        return new RunConfig(workload, ExitModel.DIRECT, ExitSwitch.TOIDLE, DEFAULT_MAXPROC,
                DEFAULT_MAX_SIM_SECONDS * clockMhz * 1_000_000L, false, List.of(), false, true);
    }

    public RunConfig withExitModel(ExitModel model, ExitSwitch exitSwitch)
    {
        return new RunConfig(workload, model, exitSwitch, maxproc, maxSimCycles, trace, psAt, pmrBatch, pmrCache);
    }

    public RunConfig withMaxproc(int newMaxproc)
    {
        return new RunConfig(workload, exitModel, exitSwitch, newMaxproc, maxSimCycles, trace, psAt, pmrBatch, pmrCache);
    }

    public RunConfig withPmrBatch(boolean batch)
    {
        return new RunConfig(workload, exitModel, exitSwitch, maxproc, maxSimCycles, trace, psAt, batch, pmrCache);
    }

    public RunConfig withPmrCache(boolean cache)
    {
        return new RunConfig(workload, exitModel, exitSwitch, maxproc, maxSimCycles, trace, psAt, pmrBatch, cache);
    }

    public RunConfig withTrace(boolean record)
    {
        return new RunConfig(workload, exitModel, exitSwitch, maxproc, maxSimCycles, record, psAt, pmrBatch, pmrCache);
    }

    public RunConfig
    {
        requireNonNull(workload, "workload is null");
        requireNonNull(exitModel, "exitModel is null");
        requireNonNull(exitSwitch, "exitSwitch is null");
        psAt = List.copyOf(psAt);
        if ((exitModel == ExitModel.DIRECT) == (exitSwitch == ExitSwitch.NONE)) {
            throw new IllegalArgumentException("exit switch " + exitSwitch.key() + " does not go with exit model " + exitModel.key());
        }
        if (maxproc < 2) {
            throw new IllegalArgumentException("maxproc must be at least 2");
        }
    }
}
