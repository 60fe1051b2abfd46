package dev.fugu.cli;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.Version;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.sched.SwitchCause;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadException;
import dev.fugu.kernel.workload.Workloads;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Markdown report of {@code fugu test --report}: what a kernel developer would mail to
 * tech@openbsd.org — the machines, the results, and how the exit models compare on
 * {@code configure}, with the versions that produced them.
 */
final class RegressReport
{
    static final String WORKLOAD = "configure";
    private static final long MEM = 1L << 30;

    private RegressReport()
    {
    }

    static void write(Path file, Runs runs, CommandSpec spec, long seed, List<String> archs, List<Integer> ncpus,
            List<ExitModel> models, List<RegressResult> results)
            throws IOException
    {
        StringBuilder md = new StringBuilder();
        long failed = results.stream().filter(r -> r.status() == RegressResult.Status.FAIL).count();
        long skipped = results.stream().filter(r -> r.status() == RegressResult.Status.SKIP).count();
        md.append("# fugu regress: ").append(failed == 0 ? "SUCCESS" : "FAILED").append("\n\n");
        md.append(String.format(Locale.ROOT, "%d passed, %d failed, %d skipped.%n%n", results.size() - failed - skipped, failed, skipped));
        md.append("    ").append(commandLine(spec)).append("\n\n");
        md.append("fugu ").append(Version.text()).append("; JVM ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append("; seed ").append(seed).append(".\n\n");

        // The metric runs also give each arch's paging mode and clock, as boot's dmesg would.
        int metricCpus = ncpus.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Map<String, Map<ExitModel, RunSummary>> metrics = new LinkedHashMap<>();
        for (String arch : archs) {
            Map<ExitModel, RunSummary> byModel = new LinkedHashMap<>();
            for (ExitModel model : ExitModel.values()) {
                byModel.put(model, runConfigure(runs, arch, metricCpus, seed, model));
            }
            metrics.put(arch, byModel);
        }

        md.append("## Machines\n\n");
        md.append("| arch | paging | clock | CPUs | memory | exit models |\n|---|---|---|---|---|---|\n");
        for (String arch : archs) {
            RunSummary any = metrics.get(arch).values().iterator().next();
            md.append("| ").append(arch).append(" | ").append(any.paging()).append(" | ").append(any.clockMhz()).append(" MHz | ")
                    .append(join(ncpus)).append(" | 256M (scenarios may set their own) | ")
                    .append(String.join(", ", models.stream().map(ExitModel::key).toList())).append(" |\n");
        }

        md.append("\n## Results\n\n");
        List<String> columns = new ArrayList<>();
        for (RegressResult result : results) {
            if (!columns.contains(result.machine().key())) {
                columns.add(result.machine().key());
            }
        }
        md.append("| scenario |");
        for (String arch : archs) {
            md.append(' ').append(arch).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(archs.size())).append('\n');
        List<String> names = new ArrayList<>();
        results.forEach(r -> {
            if (!names.contains(r.scenario())) {
                names.add(r.scenario());
            }
        });
        for (String name : names) {
            md.append("| ").append(name).append(" |");
            for (String arch : archs) {
                List<RegressResult> cell = results.stream().filter(r -> r.scenario().equals(name) && r.machine().arch().equals(arch)).toList();
                long ok = cell.stream().filter(r -> r.status() == RegressResult.Status.OK).count();
                long fail = cell.stream().filter(r -> r.status() == RegressResult.Status.FAIL).count();
                long skip = cell.stream().filter(r -> r.status() == RegressResult.Status.SKIP).count();
                String text = fail > 0 ? "**FAIL** " + fail + "/" + cell.size() : skip == cell.size() ? "skipped" : "ok " + ok + "/" + (cell.size() - skip);
                md.append(' ').append(text).append(" |");
            }
            md.append('\n');
        }
        md.append("\nCells count machines (").append(String.join(", ", columns.stream().map(c -> c.substring(c.indexOf('.') + 1)).distinct().toList()))
                .append(") per arch; skipped: the scenario does not apply (an inject the arch lacks, too few CPUs).\n");
        if (failed > 0) {
            md.append("\n### Failures\n\n");
            for (RegressResult result : results) {
                if (result.status() == RegressResult.Status.FAIL) {
                    md.append("* `").append(result.machine().key()).append("` ").append(result.scenario()).append(": ")
                            .append(result.message()).append('\n');
                }
            }
        }

        md.append("\n## Exit models on `").append(WORKLOAD).append("` (").append(metricCpus).append(" CPUs, 1G, seed ").append(seed).append(")\n");
        for (String arch : archs) {
            Map<ExitModel, RunSummary> byModel = metrics.get(arch);
            md.append("\n### ").append(arch).append("\n\n| metric |");
            for (ExitModel model : byModel.keySet()) {
                md.append(' ').append(model.key()).append(" |");
            }
            md.append("\n|---|").append("---:|".repeat(byModel.size())).append('\n');
            row(md, "processes reaped", byModel, s -> Long.toString(s.processes().reaped()));
            row(md, "context switches per exit", byModel, s -> String.format(Locale.ROOT, "%.2f", s.switchesPerExit()));
            row(md, "reaper switches", byModel, s -> Long.toString(s.switchesByCause().get(SwitchCause.REAPER)));
            row(md, "exit latency p50 (cycles)", byModel, s -> Long.toString(s.exitLatency()[1]));
            row(md, "exit latency p99 (cycles)", byModel, s -> Long.toString(s.exitLatency()[2]));
            row(md, "exit sys cycles charged to exiting processes", byModel, s -> Long.toString(s.exitSysCycles()));
            row(md, "teardown CPUs (spread)", byModel, s -> Integer.toString(s.teardownCpuSpread()));
            row(md, "teardowns in parallel (max)", byModel, s -> Integer.toString(s.teardownMaxParallel()));
            row(md, "kernel_lock spin cycles", byModel, s -> Long.toString(s.kernelLock()[2]));
            row(md, "fpageq spin cycles", byModel, s -> Long.toString(s.fpageq()[2]));
            row(md, "TLB shootdown IPIs", byModel, s -> Long.toString(s.shootdownIpis()));
            row(md, "simulated seconds", byModel, s -> String.format(Locale.ROOT, "%.4f", s.simSeconds()));
        }
        md.append("\nSimulated metrics are deterministic: the same command and seed give the same numbers.\n");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    private static RunSummary runConfigure(Runs runs, String arch, int ncpu, long seed, ExitModel model)
    {
        Workload workload;
        try {
            workload = Workloads.loadBuiltin(WORKLOAD, Map.of(Workloads.JOBS, Integer.toString(ncpu), Workloads.SCALE, "1"));
        }
        catch (WorkloadException e) {
            throw new IllegalStateException(e);
        }
        MachineConfig machine = MachineConfig.of(arch, ncpu, MEM).withSeed(seed);
        int mhz = runs.registry().get(arch).defaults().clockMhz();
        RunConfig run = RunConfig.of(workload, mhz).withExitModel(model, model == ExitModel.DIRECT ? ExitSwitch.TOIDLE : ExitSwitch.NONE);
        Kernel kernel = runs.boot(machine, run);
        return kernel.run();
    }

    private static void row(StringBuilder md, String metric, Map<ExitModel, RunSummary> byModel, Function<RunSummary, String> value)
    {
        md.append("| ").append(metric).append(" |");
        for (RunSummary summary : byModel.values()) {
            md.append(' ').append(value.apply(summary)).append(" |");
        }
        md.append('\n');
    }

    private static String join(List<Integer> values)
    {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }

    private static String commandLine(CommandSpec spec)
    {
        // originalArgs starts with the subcommand's own name.
        List<String> words = new ArrayList<>(List.of("fugu"));
        words.addAll(spec.commandLine().getParseResult().originalArgs());
        return String.join(" ", words);
    }
}
