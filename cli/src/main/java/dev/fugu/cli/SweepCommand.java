package dev.fugu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Injector;
import dev.fugu.kernel.stats.RunSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code fugu sweep}: every (arch, ncpu, exit model) cell run under several seeds, each simulated
 * metric reported as its mean and 95% confidence interval over the seeds, so a difference between
 * designs can be told from seed noise.
 */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = {
                "Run each (arch, ncpu, exit model) under several seeds and report every simulated",
                "metric as its mean and 95%% confidence interval (Student t) over the seeds.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu sweep --arch i386 --ncpu 1,2 --seeds 5",
                "  fugu sweep --arch amd64,arm64 --ncpu 2,4,8,16 --seeds 10 --csv sweep.csv",
                "  fugu sweep --arch all --ncpu 1,2,4 --exit-model reaper,direct --json",
                "  fugu sweep --arch all --ncpu 1,2,4,8 --plot p99.svg --metric exit_latency_p99",
                "  fugu sweep --arch i386 --ncpu 4 --seed 100 --seeds 20 --workload storm --scale 20",
                "",
                "Metrics: exit_latency_mean, exit_latency_p99, exit_latency_max, switches_per_exit,",
                "  teardown_cycles, teardown_max_parallel, teardown_cpu_spread, kernel_lock_spin_cycles,",
                "  fpageq_spin_cycles, exit_sys_cycles, sim_seconds (docs/outputs.md says what each means).",
                "Exit status: 0 ok; 1 a run failed an expect or hit --max-sim-seconds; 2 bad usage;",
                "3 kernel panic (with a fugu boot line that replays it).",
        })
public final class SweepCommand
        implements Callable<Integer>
{
    private final Injector injector;

    @Spec
    CommandSpec spec;

    @Mixin
    MatrixOptions matrix;

    @Mixin
    WorkloadOptions workload;

    @Option(names = "--exit-model", paramLabel = "MODEL[,MODEL...]", hideParamSyntax = true, split = ",", defaultValue = "reaper,purge,direct",
            description = "Exit designs, comma-separated: reaper, purge, direct, direct+mi_switch (default: ${DEFAULT-VALUE}).")
    List<String> models = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5",
            description = "Seeds per cell: --seed, --seed+1, ... (default: ${DEFAULT-VALUE}, so seeds 1 to 5).")
    int seeds;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the cells as CSV: a header, then one row per cell.")
    Path csv;

    @Option(names = "--json", description = "Print one JSON object on stdout: cells with mean, ci_low and ci_high per metric.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.svg|FILE.png", description = "Plot --metric against ncpu, one line per exit model and arch, with CI error bars.")
    Path plot;

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "exit_latency_mean",
            description = "The metric --plot draws (default: ${DEFAULT-VALUE}).")
    String metricName;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Inject
    SweepCommand(Injector injector)
    {
        this.injector = requireNonNull(injector, "injector is null");
    }

    /** One cell: a machine shape and exit design, with each metric's interval over the seeds. */
    record CellResult(MatrixOptions.Cell cell, Variant variant, int n, Map<Metric, ConfidenceInterval> metrics)
    {
        CellResult
        {
            requireNonNull(cell, "cell is null");
            requireNonNull(variant, "variant is null");
            metrics = new EnumMap<>(requireNonNull(metrics, "metrics is null"));
        }
    }

    @Override
    public Integer call()
    {
        if (seeds < 1 || seeds > 10_000) {
            throw new UsageException("--seeds " + seeds + " is out of range (1 to 10000)");
        }
        Metric plotMetric = Metric.parse("--metric", metricName);
        Plots.Format format = plot == null ? null : Plots.format("--plot", plot);
        List<Variant> variants = variants();
        MatrixRuns runs = new MatrixRuns(injector);
        long firstSeed = matrix.seed();
        List<MatrixRuns.Job> jobs = new ArrayList<>();
        for (MatrixOptions.Cell cell : matrix.cells(runs.registry())) {
            for (Variant variant : variants) {
                for (int i = 0; i < seeds; i++) {
                    jobs.add(runs.job(matrix, workload, cell, variant, firstSeed + i));
                }
            }
        }
        List<RunSummary> summaries = runs.runAllOrReport("sweep", jobs, quiet, spec);
        if (summaries == null) {
            return Errors.PANIC;
        }
        List<CellResult> results = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i += seeds) {
            Map<Metric, ConfidenceInterval> metrics = new EnumMap<>(Metric.class);
            for (Metric metric : Metric.values()) {
                double[] samples = new double[seeds];
                for (int s = 0; s < seeds; s++) {
                    samples[s] = metric.of(summaries.get(i + s));
                }
                metrics.put(metric, ConfidenceInterval.of(samples));
            }
            results.add(new CellResult(jobs.get(i).cell(), jobs.get(i).variant(), seeds, metrics));
        }

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(results, workload.workloadName(), firstSeed, seeds));
        }
        else {
            printText(results, workload.workloadName(), firstSeed, seeds, out);
        }
        if (csv != null) {
            writeCsv(csv, results);
        }
        if (plot != null) {
            Plots.write(plot, format, List.of(Plots.sweepChart(plotMetric, series(results, plotMetric))));
        }
        if (!json) {
            if (csv != null) {
                out.println("csv: " + csv);
            }
            if (plot != null) {
                out.println("plot: " + plot);
            }
        }
        out.flush();
        return MatrixRuns.reportFailures(jobs, summaries, spec.commandLine().getErr()) ? 1 : CommandLine.ExitCode.OK;
    }

    private List<Variant> variants()
    {
        LinkedHashSet<Variant> variants = new LinkedHashSet<>();
        for (String model : models) {
            variants.add(Variant.parse("--exit-model", model));
        }
        if (variants.isEmpty()) {
            throw new UsageException("--exit-model needs at least one exit model");
        }
        return List.copyOf(variants);
    }

    static List<Plots.Series> series(List<CellResult> results, Metric metric)
    {
        Map<String, List<CellResult>> byName = new LinkedHashMap<>();
        for (CellResult result : results) {
            byName.computeIfAbsent(result.variant().name() + " " + result.cell().arch(), k -> new ArrayList<>()).add(result);
        }
        List<Plots.Series> series = new ArrayList<>();
        for (Map.Entry<String, List<CellResult>> entry : byName.entrySet()) {
            series.add(new Plots.Series(entry.getKey(),
                    entry.getValue().stream().map(r -> r.cell().ncpu()).toList(),
                    entry.getValue().stream().map(r -> r.metrics().get(metric)).toList()));
        }
        return series;
    }

    static void printText(List<CellResult> results, String workloadName, long firstSeed, int seeds, PrintWriter out)
    {
        out.println("sweep: workload " + workloadName + ", seeds " + firstSeed + ".." + (firstSeed + seeds - 1)
                + "; mean ± half-width of the 95% confidence interval (Student t)");
        out.println();
        TextTable table = new TextTable();
        List<String> header = new ArrayList<>(List.of("arch", "ncpu", "model"));
        for (Metric metric : Metric.values()) {
            header.add(metric.key());
        }
        table.row(header);
        for (CellResult result : results) {
            List<String> row = new ArrayList<>(List.of(result.cell().arch(), Integer.toString(result.cell().ncpu()),
                    result.variant().name()));
            for (Metric metric : Metric.values()) {
                ConfidenceInterval ci = result.metrics().get(metric);
                row.add(metric.format(ci.mean()) + " ±" + metric.format(ci.halfWidth()));
            }
            table.row(row);
        }
        table.print(out);
    }

    static String toJson(List<CellResult> results, String workloadName, long firstSeed, int seeds)
    {
        ObjectNode root = SummaryJson.MAPPER.createObjectNode();
        root.put("workload", workloadName);
        var seedList = root.putArray("seeds");
        for (int i = 0; i < seeds; i++) {
            seedList.add(firstSeed + i);
        }
        root.put("confidence", ConfidenceInterval.LEVEL);
        var metricKeys = root.putArray("metrics");
        for (Metric metric : Metric.values()) {
            metricKeys.add(metric.key());
        }
        var cells = root.putArray("cells");
        for (CellResult result : results) {
            ObjectNode cell = cells.addObject();
            cell.put("arch", result.cell().arch());
            cell.put("ncpu", result.cell().ncpu());
            cell.put("exit_model", result.variant().name());
            cell.put("n", result.n());
            ObjectNode metrics = cell.putObject("metrics");
            for (Metric metric : Metric.values()) {
                ConfidenceInterval ci = result.metrics().get(metric);
                ObjectNode node = metrics.putObject(metric.key());
                node.put("mean", ci.mean());
                node.put("ci_low", ci.low());
                node.put("ci_high", ci.high());
            }
        }
        try {
            return SummaryJson.MAPPER.writeValueAsString(root);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeCsv(Path file, List<CellResult> results)
    {
        try (Writer writer = Files.newBufferedWriter(file)) {
            List<String> header = new ArrayList<>(List.of("arch", "ncpu", "exit_model", "n"));
            for (Metric metric : Metric.values()) {
                header.add(metric.key() + "_mean");
                header.add(metric.key() + "_ci_low");
                header.add(metric.key() + "_ci_high");
            }
            writer.write(String.join(",", header) + "\n");
            for (CellResult result : results) {
                List<String> row = new ArrayList<>(List.of(result.cell().arch(), Integer.toString(result.cell().ncpu()),
                        result.variant().name(), Integer.toString(result.n())));
                for (Metric metric : Metric.values()) {
                    ConfidenceInterval ci = result.metrics().get(metric);
                    row.add(number(ci.mean()));
                    row.add(number(ci.low()));
                    row.add(number(ci.high()));
                }
                writer.write(String.join(",", row) + "\n");
            }
        }
        catch (IOException e) {
            throw new UsageException("--csv " + file + ": " + e.getMessage());
        }
    }

    private static String number(double value)
    {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
