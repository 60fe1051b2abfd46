package dev.fugu.cli;

import com.google.inject.Inject;
import com.google.inject.Injector;
import dev.fugu.kernel.exit.ExitModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code fugu test}: the regress suite, every scenario on every machine of an arch × ncpu × exit
 * model matrix, reported like an OpenBSD regress run.
 */
@Command(name = "test",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = {
                "Run the regress suite (wait4, orphans, SA_NOCLDWAIT, threads, exec, kqueue, kill, maxproc, out of memory,",
                "copy-on-write, and one scenario per injected bug) on simulated machines, per architecture.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu test                                   # every arch, 2 CPUs, every exit model",
                "  fugu test --arch arm64",
                "  fugu test --arch all --ncpu 1,4 --junit-xml regress.xml",
                "  fugu test --arch i386 --exit-model direct --scenario oom-kill,wait4-status",
                "  fugu test --arch amd64 --report regress.md   # a report to mail to tech@",
                "  fugu test --list",
                "",
                "Exit status: 0 every scenario passed (or was skipped); 1 a scenario failed; 2 bad usage.",
        })
public final class TestCommand
        implements Callable<Integer>
{
    private final Injector injector;

    @Spec
    CommandSpec spec;

    @Option(names = "--arch", paramLabel = "ARCH", split = ",", defaultValue = "all",
            description = "Architectures, comma-separated, or 'all' (default: ${DEFAULT-VALUE}).")
    List<String> archs = new ArrayList<>();

    @Option(names = "--ncpu", paramLabel = "N", split = ",", defaultValue = "2",
            description = "CPU counts, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> ncpus = new ArrayList<>();

    @Option(names = "--exit-model", paramLabel = "MODEL", split = ",", defaultValue = "all",
            description = "Exit models, comma-separated: reaper, purge, direct or 'all' (default: ${DEFAULT-VALUE}).")
    List<String> exitModels = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of every run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenario", paramLabel = "NAME", split = ",",
            description = "Run only these scenarios ('fugu test --list' names them).")
    List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write the results as JUnit XML for CI.")
    Path junitXml;

    @Option(names = "--report", paramLabel = "FILE.md",
            description = "Also write a Markdown report: machines, results, and key metrics of the exit models on 'configure'.")
    Path report;

    @Inject
    TestCommand(Injector injector)
    {
        this.injector = requireNonNull(injector, "injector is null");
    }

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        List<RegressScenario> scenarios = selected(RegressScenario.builtin());
        if (list) {
            for (RegressScenario scenario : scenarios) {
                out.printf(Locale.ROOT, "%-28s %s%n", scenario.name(), scenario.description());
            }
            out.flush();
            return CommandLine.ExitCode.OK;
        }
        Runs runs = new Runs(injector);
        List<String> archNames = archNames(runs);
        List<ExitModel> models = models();
        List<Integer> cpus = ncpus();
        for (String arch : archNames) {
            int max = runs.registry().get(arch).limits().maxCpus();
            for (int ncpu : cpus) {
                if (ncpu > max) {
                    throw new UsageException("--ncpu " + ncpu + " is out of range for " + arch + " (1 to " + max + ")");
                }
            }
        }
        // Bad scenario options are found before anything runs.
        for (RegressScenario scenario : scenarios) {
            RegressRunner.flags(scenario, new RegressResult.RegressMachine(archNames.get(0), cpus.get(0), models.get(0)), seed)
                    .machine.toConfig();
        }

        RegressRunner runner = new RegressRunner(runs, seed);
        List<RegressResult> results = new ArrayList<>();
        for (String arch : archNames) {
            for (int ncpu : cpus) {
                for (ExitModel model : models) {
                    RegressResult.RegressMachine machine = new RegressResult.RegressMachine(arch, ncpu, model);
                    out.printf(Locale.ROOT, "===> %s: %d CPU%s, exit model %s, seed %d%n", arch, ncpu, ncpu == 1 ? "" : "s", model.key(), seed);
                    for (RegressScenario scenario : scenarios) {
                        RegressResult result = runner.run(scenario, machine);
                        results.add(result);
                        out.println(line(result));
                        out.flush();
                    }
                }
            }
        }
        long failed = count(results, RegressResult.Status.FAIL);
        long skipped = count(results, RegressResult.Status.SKIP);
        long passed = count(results, RegressResult.Status.OK);
        out.println();
        out.printf(Locale.ROOT, "%d passed, %d failed, %d skipped%n", passed, failed, skipped);
        for (RegressResult result : results) {
            if (result.status() == RegressResult.Status.FAIL) {
                out.println("FAILED: " + result.machine().key() + " " + result.scenario());
            }
        }
        out.println(failed == 0 ? "SUCCESS" : "FAILED");
        out.flush();
        if (junitXml != null) {
            JunitXml.write(junitXml, results);
        }
        if (report != null) {
            try {
                RegressReport.write(report, runs, spec, seed, archNames, cpus, models, results);
            }
            catch (IOException e) {
                throw new UsageException("--report " + report + ": " + e.getMessage());
            }
        }
        return failed == 0 ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    /** One line of the report: {@code name .......... ok  0.004s sim  12ms host}. */
    static String line(RegressResult result)
    {
        String dots = ".".repeat(Math.max(3, 34 - result.scenario().length()));
        String timing = result.status() == RegressResult.Status.SKIP
                ? ""
                : String.format(Locale.ROOT, "  %8.4fs sim %7.0fms host", result.simSeconds(), result.hostMs());
        String note = result.message().isEmpty() ? "" : "  (" + result.message() + ")";
        return String.format(Locale.ROOT, "%s %s %-7s%s%s", result.scenario(), dots, result.word(), timing, note);
    }

    private List<RegressScenario> selected(List<RegressScenario> all)
    {
        if (only.isEmpty()) {
            return all;
        }
        List<RegressScenario> chosen = new ArrayList<>();
        for (String name : new LinkedHashSet<>(only)) {
            chosen.add(all.stream()
                    .filter(scenario -> scenario.name().equals(name.trim()))
                    .findFirst()
                    .orElseThrow(() -> new UsageException("--scenario: no scenario '" + name + "' (see 'fugu test --list')")));
        }
        return chosen;
    }

    private List<String> archNames(Runs runs)
    {
        Set<String> names = new LinkedHashSet<>();
        for (String arch : archs) {
            String name = arch.trim().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                names.addAll(runs.registry().names());
            }
            else {
                if (!runs.registry().names().contains(name)) {
                    throw new UsageException("--arch: unknown architecture '" + arch + "' (known: "
                            + String.join(", ", runs.registry().names()) + ", all)");
                }
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw new UsageException("--arch needs at least one architecture");
        }
        return List.copyOf(names);
    }

    private List<ExitModel> models()
    {
        Set<ExitModel> chosen = new LinkedHashSet<>();
        for (String text : exitModels) {
            String name = text.trim().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                chosen.addAll(List.of(ExitModel.values()));
                continue;
            }
            try {
                chosen.add(ExitModel.parse(name));
            }
            catch (IllegalArgumentException e) {
                throw new UsageException("--exit-model: " + e.getMessage());
            }
        }
        if (chosen.isEmpty()) {
            throw new UsageException("--exit-model needs at least one exit model");
        }
        return List.copyOf(chosen);
    }

    private List<Integer> ncpus()
    {
        Set<Integer> chosen = new LinkedHashSet<>(ncpus);
        if (chosen.isEmpty()) {
            throw new UsageException("--ncpu needs at least one CPU count");
        }
        for (int n : chosen) {
            if (n < 1) {
                throw new UsageException("--ncpu " + n + " is out of range (at least 1)");
            }
        }
        return List.copyOf(chosen);
    }

    private static long count(List<RegressResult> results, RegressResult.Status status)
    {
        return results.stream().filter(result -> result.status() == status).count();
    }
}
