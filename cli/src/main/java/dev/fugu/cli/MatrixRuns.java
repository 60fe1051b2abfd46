package dev.fugu.cli;

import com.google.inject.Injector;
import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.workload.Workload;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Runs the machines of compare and sweep: checks every one before running any (a bad option
 * fails at once, not after minutes), shows progress, and turns a kernel panic into a
 * {@code fugu boot} line that replays that one machine.
 */
final class MatrixRuns
{
    /** Options of compare/sweep that a replaying {@code fugu boot} line must not carry. */
    private static final Set<String> MATRIX_OPTIONS = Set.of(
            "--arch", "--ncpu", "--seed", "--seeds", "--exit-model", "--plot", "--csv", "--metric", "--arch-opt");
    private static final Set<String> MATRIX_FLAGS = Set.of("--json", "--quiet", "-q");

    /** One machine to run. */
    record Job(MatrixOptions.Cell cell, Variant variant, long seed, MachineConfig machine, RunConfig run)
    {
        Job
        {
            requireNonNull(cell, "cell is null");
            requireNonNull(variant, "variant is null");
            requireNonNull(machine, "machine is null");
            requireNonNull(run, "run is null");
        }

        String label()
        {
            return cell.label() + " " + variant.name() + " seed " + seed;
        }
    }

    private final Runs runs;
    private final ArchRegistry registry;

    MatrixRuns(Injector injector)
    {
        this.runs = new Runs(requireNonNull(injector, "injector is null"));
        this.registry = runs.registry();
    }

    ArchRegistry registry()
    {
        return registry;
    }

    /** The job for one cell, variant and seed, validated (a bad value is a usage error here). */
    Job job(MatrixOptions matrix, WorkloadOptions workload, MatrixOptions.Cell cell, Variant variant, long seed)
    {
        MachineConfig machine = matrix.config(registry, cell, seed);
        ArchPlugin plugin = registry.validate(machine);
        Workload parsed = workload.loadWorkload(cell.ncpu());
        RunConfig run = workload.toRunConfig(parsed, variant.model(), variant.exitSwitch(), plugin.defaults().clockMhz(),
                false, List.of());
        return new Job(cell, variant, seed, machine, run);
    }

    /** Runs every job; on a panic prints the report and the replay line, and returns null. */
    List<RunSummary> runAllOrReport(String task, List<Job> jobs, boolean quiet, CommandSpec spec)
    {
        List<RunSummary> summaries = new ArrayList<>(jobs.size());
        PrintWriter err = spec.commandLine().getErr();
        try (Progress progress = Progress.create(task, jobs.size(), quiet)) {
            for (Job job : jobs) {
                try {
                    summaries.add(runs.run(job.machine(), job.run()));
                }
                catch (KernelPanic panic) {
                    progress.close();
                    err.println("panic: " + panic.invariant() + ": " + Errors.oneLine(panic.detail()));
                    err.println("in " + job.label() + ", cpu " + panic.cpu());
                    err.println("replay: " + replay(spec, job));
                    err.flush();
                    return null;
                }
                progress.step(job.label());
            }
        }
        return summaries;
    }

    /** Reports runs that stopped early or failed an expect; true if there were any (exit 1). */
    static boolean reportFailures(List<Job> jobs, List<RunSummary> summaries, PrintWriter err)
    {
        boolean failed = false;
        for (int i = 0; i < jobs.size(); i++) {
            RunSummary summary = summaries.get(i);
            if (summary.stopReason() != null) {
                err.println("fugu: " + jobs.get(i).label() + ": " + summary.stopReason());
                failed = true;
            }
            else if (summary.expectsFailed() > 0) {
                err.println("fugu: " + jobs.get(i).label() + ": " + summary.expectsFailed() + " expect(s) failed");
                failed = true;
            }
        }
        err.flush();
        return failed;
    }

    /** {@code fugu boot} with the user's shared options and this job's machine, model and seed. */
    static String replay(CommandSpec spec, Job job)
    {
        List<String> words = new ArrayList<>(List.of("fugu", "boot"));
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (MATRIX_FLAGS.contains(arg)) {
                continue;
            }
            if (MATRIX_OPTIONS.contains(name)) {
                if (!arg.contains("=")) {
                    i++;
                }
                continue;
            }
            words.add(quote(arg));
        }
        words.addAll(List.of("--arch", job.cell().arch(), "--ncpu", Integer.toString(job.cell().ncpu())));
        // the options this machine got: with several arches, --arch-opt went only to the plug-ins that have it
        job.machine().archOptions().forEach((key, value) -> words.addAll(List.of("--arch-opt", quote(value.isEmpty() ? key : key + "=" + value))));
        words.addAll(List.of("--exit-model", job.variant().model().key()));
        if (job.variant().exitSwitch() == ExitSwitch.MI_SWITCH) {
            words.addAll(List.of("--exit-switch", "mi_switch"));
        }
        words.addAll(List.of("--seed", Long.toString(job.seed())));
        return String.join(" ", words);
    }

    private static String quote(String word)
    {
        return word.matches("[A-Za-z0-9_.,:=/+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
