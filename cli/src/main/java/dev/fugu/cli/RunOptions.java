package dev.fugu.cli;

import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadException;
import dev.fugu.kernel.workload.Workloads;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options that say what a booted machine runs and how: workload, exit design, limits.
 */
public final class RunOptions
{
    @Option(names = {"-w", "--workload"}, paramLabel = "NAME|FILE", defaultValue = "configure",
            description = "Built-in workload or .fw file (default: ${DEFAULT-VALUE}; 'fugu workloads' lists the built-ins).")
    String workload;

    @Option(names = "--exit-model", paramLabel = "MODEL", defaultValue = "direct",
            description = "Exit design: reaper (before the seed), purge (what OpenBSD committed), direct (the seed; default).")
    String exitModel;

    @Option(names = "--exit-switch", paramLabel = "HOW",
            description = "With --exit-model direct: toidle (sched_toidle, default) or mi_switch (the seed's follow-up).")
    String exitSwitch;

    @Option(names = "--maxproc", paramLabel = "N", defaultValue = "1310",
            description = "kern.maxproc: fork fails with EAGAIN past it (default: ${DEFAULT-VALUE}, 2 to 1000000).")
    int maxproc;

    @Option(names = "--max-sim-seconds", paramLabel = "S", defaultValue = "3600",
            description = "Stop (exit 1) when simulated time passes S seconds (default: ${DEFAULT-VALUE}).")
    double maxSimSeconds;

    @Option(names = "--pmr-free", paramLabel = "MODE", defaultValue = "single",
            description = "How teardown frees pages into uvm_pmemrange: single (page by page, default) or batch (coalesced runs).")
    String pmrFree;

    @Option(names = "--jobs", paramLabel = "N",
            description = "make -jN for the make-kernel workload (default: --ncpu).")
    Integer jobs;

    @Option(names = "--scale", paramLabel = "N",
            description = "Size of the storm workload (default: the workload's own, 100 rounds for storm).")
    Integer scale;

    @Option(names = "--ps-at", paramLabel = "CYCLE", split = ",",
            description = "Take a ps snapshot at these simulated cycles (shown on stderr and in the JSON).")
    List<Long> psAt = new ArrayList<>();

    /** The workload, parsed; a bad file is a {@link UsageException} with its file:line:col. */
    Workload loadWorkload(int ncpu)
    {
        if (scale != null && (scale < 1 || scale > 1_000_000)) {
            throw new UsageException("--scale " + scale + " is out of range (1 to 1000000)");
        }
        int makeJobs = jobs == null ? ncpu : jobs;
        if (makeJobs < 1 || makeJobs > 4096) {
            throw new UsageException("--jobs " + makeJobs + " is out of range (1 to 4096)");
        }
        try {
            Map<String, String> parameters = new java.util.HashMap<>();
            parameters.put(Workloads.JOBS, Integer.toString(makeJobs));
            if (scale != null) {
                parameters.put(Workloads.SCALE, Integer.toString(scale));
            }
            return Workloads.resolve(workload, parameters);
        }
        catch (WorkloadException e) {
            throw new UsageException(e.file() + ":" + e.line() + ":" + e.column() + ": ", e.detail());
        }
        catch (NoSuchFileException e) {
            throw new UsageException("--workload '" + workload + "': " + e.getReason());
        }
        catch (IOException e) {
            throw new UsageException("--workload '" + workload + "': " + e.getMessage());
        }
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
        if (maxproc < 2 || maxproc > 1_000_000) {
            throw new UsageException("--maxproc " + maxproc + " is out of range (2 to 1000000)");
        }
        if (!(maxSimSeconds > 0) || maxSimSeconds > 1e7) {
            throw new UsageException("--max-sim-seconds " + maxSimSeconds + " is out of range (above 0, at most 10000000)");
        }
        boolean batch = switch (pmrFree.toLowerCase(Locale.ROOT)) {
            case "single" -> false;
            case "batch" -> true;
            default -> throw new UsageException("--pmr-free '" + pmrFree + "' is not single or batch");
        };
        for (long cycle : psAt) {
            if (cycle < 0) {
                throw new UsageException("--ps-at " + cycle + " is negative");
            }
        }
        long maxCycles = (long) Math.min(Long.MAX_VALUE / 2.0, maxSimSeconds * clockMhz * 1e6);
        return new RunConfig(parsed, model, how, maxproc, maxCycles, trace, psAt, batch);
    }
}
