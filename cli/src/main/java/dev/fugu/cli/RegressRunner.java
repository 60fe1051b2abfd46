package dev.fugu.cli;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.ConfigException;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Runs one regress scenario on one machine of the matrix and judges the result: a clean run must
 * pass every {@code expect}, leave no zombie and leak nothing, and reap every forked process
 * exactly once; a scenario with {@code # expect-panic:} must violate exactly that invariant.
 */
final class RegressRunner
{
    private final Runs runs;
    private final long seed;

    RegressRunner(Runs runs, long seed)
    {
        this.runs = requireNonNull(runs, "runs is null");
        this.seed = seed;
    }

    /** The flags a scenario may give, parsed as {@code fugu boot} parses them. */
    @Command(name = "scenario")
    static final class ScenarioFlags
    {
        @Mixin
        MachineOptions machine;

        @Mixin
        RunOptions run;
    }

    /** Parses a scenario's options for a machine of the matrix; a bad option is a {@link UsageException}. */
    static ScenarioFlags flags(RegressScenario scenario, RegressResult.RegressMachine machine, long seed)
    {
        List<String> args = new ArrayList<>(scenario.options());
        args.addAll(List.of("--arch", machine.arch(), "--ncpu", Integer.toString(machine.ncpu()),
                "--exit-model", machine.exitModel().key(), "--seed", Long.toString(seed)));
        if (scenario.options().stream().noneMatch(option -> option.startsWith("--mem"))) {
            // Small machines keep the suite fast; a scenario that needs more says so.
            args.addAll(List.of("--mem", "256M"));
        }
        ScenarioFlags flags = new ScenarioFlags();
        try {
            new CommandLine(flags).parseArgs(args.toArray(new String[0]));
        }
        catch (CommandLine.ParameterException e) {
            throw new UsageException(scenario.file() + ": ", "# options: " + Errors.oneLine(e.getMessage()));
        }
        return flags;
    }

    RegressResult run(RegressScenario scenario, RegressResult.RegressMachine machine)
    {
        if (machine.ncpu() < scenario.minNcpu()) {
            return skip(scenario, machine, "needs at least " + scenario.minNcpu() + " CPUs");
        }
        ScenarioFlags flags = flags(scenario, machine, seed);
        MachineConfig config = flags.machine.toConfig();
        ArchPlugin plugin = runs.registry().get(machine.arch());
        for (String inject : config.injects()) {
            if (!ArchRegistry.MI_INJECTS.contains(inject) && !plugin.injects().contains(inject)) {
                return skip(scenario, machine, "inject " + inject + " does not exist on " + machine.arch());
            }
        }
        Workload workload;
        try {
            workload = scenario.workload();
        }
        catch (WorkloadException e) {
            return fail(scenario, machine, e.getMessage(), 0, 0);
        }
        RunConfig runConfig = flags.run.toRunConfig(workload, plugin.defaults().clockMhz(), false);
        Kernel kernel;
        try {
            kernel = runs.boot(config, runConfig);
        }
        catch (ConfigException e) {
            return fail(scenario, machine, Errors.oneLine(e.getMessage()), 0, 0);
        }
        // Host time is measured around the simulation only, never read inside it.
        long start = System.nanoTime();
        try {
            RunSummary summary = kernel.run();
            return judge(scenario, machine, summary);
        }
        catch (KernelPanic panic) {
            double hostMs = (System.nanoTime() - start) / 1e6;
            double simSeconds = kernel.now(panic.cpu()) / (kernel.md().clockMhz() * 1e6);
            String what = "panic: " + panic.invariant() + ": " + Errors.oneLine(panic.detail());
            if (!scenario.panicsUnder(machine.exitModel())) {
                return fail(scenario, machine, what, simSeconds, hostMs);
            }
            if (!panic.invariant().equals(scenario.expectedPanic().orElseThrow())) {
                return fail(scenario, machine, "expected panic " + scenario.expectedPanic().orElseThrow() + ", got " + what, simSeconds, hostMs);
            }
            return new RegressResult(scenario.name(), machine, RegressResult.Status.OK, "caught: panic " + panic.invariant(), simSeconds, hostMs);
        }
    }

    private static RegressResult judge(RegressScenario scenario, RegressResult.RegressMachine machine, RunSummary s)
    {
        List<String> problems = problems(s);
        if (scenario.panicsUnder(machine.exitModel())) {
            problems.add(0, "expected panic " + scenario.expectedPanic().orElseThrow() + ", but the run was clean");
        }
        if (!problems.isEmpty()) {
            return fail(scenario, machine, String.join("; ", problems), s.simSeconds(), s.hostWallMs());
        }
        String note = scenario.expectedPanic().isPresent() ? "clean under " + machine.exitModel().key() : "";
        return new RegressResult(scenario.name(), machine, RegressResult.Status.OK, note, s.simSeconds(), s.hostWallMs());
    }

    /** What is wrong with a run that did not panic: the rules every clean run keeps. */
    static List<String> problems(RunSummary s)
    {
        List<String> problems = new ArrayList<>();
        if (s.stopReason() != null) {
            problems.add(s.stopReason());
        }
        if (s.expectsFailed() > 0) {
            problems.add(s.expectsFailed() + " expect(s) failed: " + Errors.oneLine(String.join("; ", s.expectFailures())));
        }
        var p = s.processes();
        if (p.zombiesAtEnd() != 0) {
            problems.add(p.zombiesAtEnd() + " zombie(s) at the end");
        }
        if (s.leakedFrames() != 0) {
            problems.add(s.leakedFrames() + " frame(s) leaked");
        }
        if (p.forked() != p.reaped() + p.zapped()) {
            problems.add("forked " + p.forked() + " != reaped " + p.reaped() + " + zapped " + p.zapped());
        }
        if (s.threadsCreated() != s.threadsExited()) {
            problems.add("threads created " + s.threadsCreated() + " != exited " + s.threadsExited());
        }
        return problems;
    }

    private static RegressResult skip(RegressScenario scenario, RegressResult.RegressMachine machine, String why)
    {
        return new RegressResult(scenario.name(), machine, RegressResult.Status.SKIP, why, 0, 0);
    }

    private static RegressResult fail(RegressScenario scenario, RegressResult.RegressMachine machine, String why, double simSeconds, double hostMs)
    {
        return new RegressResult(scenario.name(), machine, RegressResult.Status.FAIL, why, simSeconds, hostMs);
    }
}
