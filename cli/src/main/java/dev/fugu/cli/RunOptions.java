package dev.fugu.cli;

import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.workload.Workload;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options that say what a booted machine runs and how: workload, exit design, limits.
 */
public final class RunOptions
{
    @Option(names = "--exit-model", paramLabel = "MODEL", defaultValue = "direct",
            description = "Exit design: reaper (before the seed), purge (what OpenBSD committed), direct (the seed; default).")
    String exitModel;

    @Option(names = "--exit-switch", paramLabel = "HOW",
            description = "With --exit-model direct: toidle (sched_toidle, default) or mi_switch (the seed's follow-up).")
    String exitSwitch;

    @Option(names = "--ps-at", paramLabel = "CYCLE", split = ",",
            description = "Take a ps snapshot at these simulated cycles (shown on stderr and in the JSON).")
    List<Long> psAt = new ArrayList<>();

    // --workload, --maxproc, --max-sim-seconds, --pmr-free, --jobs, --scale: shared with compare and sweep
    @Mixin
    WorkloadOptions workloadOptions;

    /** The workload, parsed; a bad file is a {@link UsageException} with its file:line:col. */
    Workload loadWorkload(int ncpu)
    {
        return workloadOptions.loadWorkload(ncpu);
    }

    RunConfig toRunConfig(Workload parsed, int clockMhz, boolean trace)
    {
        ExitModel model;
        try {
            model = ExitModel.parse(exitModel.toLowerCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new UsageException("--exit-model: " + e.getMessage());
        }
        ExitSwitch how;
        if (exitSwitch == null) {
            how = model == ExitModel.DIRECT ? ExitSwitch.TOIDLE : ExitSwitch.NONE;
        }
        else if (model != ExitModel.DIRECT) {
            throw new UsageException("--exit-switch applies to --exit-model direct only (not " + model.key() + ")");
        }
        else {
            how = switch (exitSwitch.toLowerCase(Locale.ROOT)) {
                case "toidle" -> ExitSwitch.TOIDLE;
                case "mi_switch" -> ExitSwitch.MI_SWITCH;
                default -> throw new UsageException("--exit-switch '" + exitSwitch + "' is not toidle or mi_switch");
            };
        }
        for (long cycle : psAt) {
            if (cycle < 0) {
                throw new UsageException("--ps-at " + cycle + " is negative");
            }
        }
        return workloadOptions.toRunConfig(parsed, model, how, clockMhz, trace, psAt);
    }
}
