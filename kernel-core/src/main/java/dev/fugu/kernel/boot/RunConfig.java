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
 */
public record RunConfig(
        Workload workload,
        ExitModel exitModel,
        ExitSwitch exitSwitch,
        int maxproc,
        long maxSimCycles,
        boolean trace,
        List<Long> psAt,
        boolean pmrBatch)
{
    public static final int DEFAULT_MAXPROC = 1310;

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
