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

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code fugu compare}: the same workload and seed under reaper, purge, direct and
 * direct+mi_switch, for every architecture and CPU count asked for, side by side with deltas
 * relative to reaper (the design before the seed).
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = {
                "Run one workload and seed under the four exit designs (reaper, purge, direct,",
                "direct+mi_switch) on each architecture and CPU count, and show them side by side,",
                "with deltas relative to reaper.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu compare --arch i386 --ncpu 1,2",
                "  fugu compare --arch all --ncpu 1,2,4,8 --workload make-kernel --plot c.svg",
                "  fugu compare --arch amd64,arm64 --ncpu 4 --workload storm --scale 50 --json",
                "  fugu compare --arch i386 --arch-opt nopae --ncpu 2 --pmr-free batch",
                "  fugu compare --arch amd64 --ncpu 2,4 --plot compare.png",
                "",
                "Exit status: 0 ok; 1 a run failed an expect or hit --max-sim-seconds; 2 bad usage;",
                "3 kernel panic (with a fugu boot line that replays it).",
        })
public final class CompareCommand
        implements Callable<Integer>
{
    private final Injector injector;

    @Spec
    CommandSpec spec;

    @Mixin
    MatrixOptions matrix;

    @Mixin
    WorkloadOptions workload;

    @Option(names = "--json", description = "Print one JSON object on stdout: the cells, each with every variant's metrics and deltas.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.svg|FILE.png", description = "Draw one panel per metric, a bar per variant for each arch/ncpu.")
    Path plot;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Inject
    CompareCommand(Injector injector)
    {
        this.injector = requireNonNull(injector, "injector is null");
    }

    /** One machine shape's results, by variant, in {@link Variant#ALL} order. */
    record CellResult(MatrixOptions.Cell cell, Map<Variant, RunSummary> byVariant)
    {
        CellResult
        {
            requireNonNull(cell, "cell is null");
            byVariant = new LinkedHashMap<>(requireNonNull(byVariant, "byVariant is null"));
        }
    }

    @Override
    public Integer call()
    {
        Plots.Format format = plot == null ? null : Plots.format("--plot", plot);
        MatrixRuns runs = new MatrixRuns(injector);
        long seed = matrix.seed();
        List<MatrixRuns.Job> jobs = new ArrayList<>();
        for (MatrixOptions.Cell cell : matrix.cells(runs.registry())) {
            for (Variant variant : Variant.ALL) {
                jobs.add(runs.job(matrix, workload, cell, variant, seed));
            }
        }
        List<RunSummary> summaries = runs.runAllOrReport("compare", jobs, quiet, spec);
        if (summaries == null) {
            return Errors.PANIC;
        }
        List<CellResult> results = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i += Variant.ALL.size()) {
            Map<Variant, RunSummary> byVariant = new LinkedHashMap<>();
            for (int v = 0; v < Variant.ALL.size(); v++) {
                byVariant.put(Variant.ALL.get(v), summaries.get(i + v));
            }
            results.add(new CellResult(jobs.get(i).cell(), byVariant));
        }

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(results, workload.workloadName(), seed));
        }
        else {
            printText(results, workload.workloadName(), seed, out);
        }
        out.flush();
        if (plot != null) {
            Plots.writeCompare(plot, format, results);
            if (!json) {
                out.println("plot: " + plot);
                out.flush();
            }
        }
        return MatrixRuns.reportFailures(jobs, summaries, spec.commandLine().getErr()) ? 1 : CommandLine.ExitCode.OK;
    }

    /** Relative change of {@code value} against {@code base}, or NaN when the base is 0. */
    static double delta(double value, double base)
    {
        if (base == 0) {
            return value == 0 ? 0 : Double.NaN;
        }
        return (value - base) / base;
    }

    static void printText(List<CellResult> results, String workloadName, long seed, PrintWriter out)
    {
        out.println("compare: workload " + workloadName + ", seed " + seed + "; deltas relative to " + Variant.REAPER.name());
        for (CellResult result : results) {
            out.println();
            out.println(result.cell().arch() + ", " + result.cell().ncpu() + (result.cell().ncpu() == 1 ? " CPU" : " CPUs"));
            TextTable table = new TextTable();
            List<String> header = new ArrayList<>(List.of("metric"));
            Variant.ALL.forEach(v -> header.add(v.name()));
            table.row(header);
            RunSummary base = result.byVariant().get(Variant.REAPER);
            for (Metric metric : Metric.values()) {
                List<String> row = new ArrayList<>(List.of(metric.title()));
                for (Variant variant : Variant.ALL) {
                    double value = metric.of(result.byVariant().get(variant));
                    String cell = metric.format(value);
                    if (variant != Variant.REAPER) {
                        cell += " " + formatDelta(delta(value, metric.of(base)));
                    }
                    row.add(cell);
                }
                table.row(row);
            }
            table.print(out);
        }
    }

    static String formatDelta(double delta)
    {
        if (Double.isNaN(delta)) {
            return "(   n/a)";
        }
        return String.format(Locale.ROOT, "(%+5.1f%%)", delta * 100);
    }

    static String toJson(List<CellResult> results, String workloadName, long seed)
    {
        ObjectNode root = SummaryJson.MAPPER.createObjectNode();
        root.put("workload", workloadName);
        root.put("seed", seed);
        root.put("baseline", Variant.REAPER.name());
        var variants = root.putArray("variants");
        Variant.ALL.forEach(v -> variants.add(v.name()));
        var metrics = root.putArray("metrics");
        for (Metric metric : Metric.values()) {
            metrics.add(metric.key());
        }
        var cells = root.putArray("cells");
        for (CellResult result : results) {
            ObjectNode cell = cells.addObject();
            cell.put("arch", result.cell().arch());
            cell.put("ncpu", result.cell().ncpu());
            ObjectNode byVariant = cell.putObject("variants");
            RunSummary base = result.byVariant().get(Variant.REAPER);
            for (Variant variant : Variant.ALL) {
                RunSummary summary = result.byVariant().get(variant);
                ObjectNode node = byVariant.putObject(variant.name());
                node.put("exit_model", variant.model().key());
                node.put("exit_switch", summary.exitSwitch());
                ObjectNode values = node.putObject("metrics");
                // null: the reaper value is 0, so no relative change exists
                ObjectNode deltas = node.putObject("delta_vs_reaper");
                for (Metric metric : Metric.values()) {
                    double value = metric.of(summary);
                    put(values, metric, value);
                    double delta = delta(value, metric.of(base));
                    if (Double.isNaN(delta)) {
                        deltas.putNull(metric.key());
                    }
                    else {
                        deltas.put(metric.key(), Math.round(delta * 1e6) / 1e6);
                    }
                }
                node.put("stop_reason", summary.stopReason());
                node.put("trace_hash", summary.traceHash());
            }
        }
        try {
            return SummaryJson.MAPPER.writeValueAsString(root);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void put(ObjectNode node, Metric metric, double value)
    {
        if (metric.fractional()) {
            node.put(metric.key(), value);
        }
        else {
            node.put(metric.key(), Math.round(value));
        }
    }
}
