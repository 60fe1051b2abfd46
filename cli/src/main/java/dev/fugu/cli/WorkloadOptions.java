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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a machine runs and its limits, apart from the exit design: {@code boot} takes these
 * through {@link RunOptions}; {@code compare} and {@code sweep}, which pick the exit designs
 * themselves, mix them in directly.
 */
public final class WorkloadOptions
{
    @Option(names = {"-w", "--workload"}, paramLabel = "NAME|FILE", defaultValue = "configure",
            description = "Built-in workload or .fw file (default: ${DEFAULT-VALUE}; 'fugu workloads' lists the built-ins).")
    String workload;

    @Option(names = "--maxproc", paramLabel = "N", defaultValue = "1310",
            description = "kern.maxproc: fork fails with EAGAIN past it (default: ${DEFAULT-VALUE}, 2 to 1000000).")
    int maxproc;

    @Option(names = "--max-sim-seconds", paramLabel = "S", defaultValue = "3600",
            description = "Stop (exit 1) when simulated time passes S seconds (default: ${DEFAULT-VALUE}).")
    double maxSimSeconds;

    @Option(names = "--pmr-free", paramLabel = "MODE", defaultValue = "single",
            description = "How teardown frees pages into uvm_pmemrange: single (page by page, default) or batch (coalesced runs).")
    String pmrFree;

    @Option(names = "--pmr-cache", paramLabel = "on|off", defaultValue = "on",
            description = "uvm_pmemrange's per-CPU page cache, two magazines of 8 pages per CPU (OpenBSD 7.6 and later): on (default) or off (every page allocation and free takes the fpageq mutex, as before).")
    String pmrCache;

    @Option(names = "--jobs", paramLabel = "N",
            description = "make -jN for the make-kernel workload (default: --ncpu).")
    Integer jobs;

    @Option(names = "--scale", paramLabel = "N",
            description = "Size of the storm workload (default: the workload's own, 100 rounds for storm).")
    Integer scale;

    String workloadName()
    {
        return workload;
    }

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
            Map<String, String> parameters = new HashMap<>();
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

    /** How to run {@code parsed} under {@code model}; checks the limits given here. */
    RunConfig toRunConfig(Workload parsed, ExitModel model, ExitSwitch how, int clockMhz, boolean trace, List<Long> psAt)
    {
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
        boolean cache = switch (pmrCache.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new UsageException("--pmr-cache '" + pmrCache + "' is not on or off");
        };
        long maxCycles = (long) Math.min(Long.MAX_VALUE / 2.0, maxSimSeconds * clockMhz * 1e6);
        return new RunConfig(parsed, model, how, maxproc, maxCycles, trace, psAt, batch, cache);
    }
}
