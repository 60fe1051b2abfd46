package dev.fugu.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.MachineModule;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadException;
import dev.fugu.kernel.workload.WorkloadParser;
import dev.fugu.kernel.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * {@code fugu bench}: how fast the simulator runs, on a fixed set of runs (docs/performance.md).
 * Every run is booted in this JVM, so later rounds run on compiled code; the first rounds of each
 * case are warm-up and not counted. Host time is the event loop's own ({@code host.wall_ms}).
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = {
                "Measure simulator speed on a fixed set of runs, in this JVM, after warm-up rounds:",
                "  lifecycles  fork+touch 16+exit+wait on amd64, 4 CPUs, exit model direct: lifecycles per host second",
                "  make-kernel the make-kernel workload on amd64, 8 CPUs: host seconds",
                "  scale       64 CPUs, 90000 live processes (--maxproc 95000 --mem 16G): host seconds, peak heap, heap per process",
                "  matrix      the lifecycles run on each arch and each exit model",
                "  cold        the lifecycles run booted by 'fugu boot' in a new JVM each round: JIT warm-up included",
                "  growth      the lifecycles and scale runs at half and at full size: the full run's host time over the half's",
                "Prints the JVM, its flags and -Xmx (pass JVM options to ./fugu with FUGU_JAVA_OPTS).",
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu bench                                         # everything, about four minutes",
                "  fugu bench --quick                                 # small sizes, one measured round each",
                "  fugu bench --cases lifecycles,scale --json",
                "  FUGU_JAVA_OPTS=-Xmx4g ./fugu bench --cases scale",
                "  fugu bench --cases lifecycles --host-baseline ./forkbench   # runs './forkbench 200000' beside fugu",
                "",
                "--host-baseline CMD is run as 'sh -c \"CMD N\"' with N the lifecycle count; it should fork N children that",
                "each touch 16 pages and _exit, waiting for each (docs/performance.md has a C program for it).",
        })
public final class BenchCommand
        implements Callable<Integer>
{
    static final List<String> CASES = List.of("lifecycles", "make-kernel", "scale", "matrix", "cold", "growth");

    private static final String LIFECYCLE_SOURCE = """
            proc main { repeat %d { fork c; wait } }
            proc c { touch 16; exit 0 }
            """;
    private static final String SCALE_SOURCE = """
            proc main { spawn %d idle; sleep 100000000; kill all; waitall }
            proc idle { sleep 1000000000000 }
            """;

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Injector injector;
    // CPU time of this thread in the last run (boot excluded): steadier than wall time on a shared host.
    private double lastRunCpuSeconds;

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Small sizes and few rounds (a smoke test, not a measurement).")
    boolean quick;

    @Option(names = "--cases", split = ",", paramLabel = "CASE",
            description = "Cases to run: lifecycles, make-kernel, scale, matrix, cold, growth (default: all).")
    List<String> cases = new ArrayList<>(CASES);

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up rounds per case (default: 2, 1 with --quick; 1 for scale and matrix).")
    Integer warmup;

    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds per case (default: 5, 1 with --quick; 3 for scale and matrix).")
    Integer rounds;

    @Option(names = "--lifecycles", paramLabel = "N", description = "Lifecycles per lifecycles/matrix run (default: 200000, 5000 with --quick).")
    Integer lifecycles;

    @Option(names = "--processes", paramLabel = "N", description = "Live processes in the scale case (default: 90000, 2000 with --quick).")
    Integer processes;

    @Option(names = "--host-baseline", paramLabel = "CMD",
            description = "Also time 'sh -c \"CMD N\"' (N = lifecycles) and show its rate beside fugu's, and fugu's as a multiple of it.")
    String hostBaseline;

    @Option(names = "--json", description = "Print the results as one JSON object on stdout (progress goes to stderr).")
    boolean json;

    @Inject
    BenchCommand(Injector injector)
    {
        this.injector = requireNonNull(injector, "injector is null");
    }

    /** One measured case: its rounds' values, min/median/max, and what else it reports. */
    record Result(String name, String unit, double[] values, Map<String, Object> extra)
    {
        double min()
        {
            return Arrays.stream(values).min().orElse(0);
        }

        double max()
        {
            return Arrays.stream(values).max().orElse(0);
        }

        double median()
        {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        /** This result with {@code fugu_times_host}: {@code fugu} over {@code host}, to a tenth. */
        Result withFuguTimesHost(double fugu, double host)
        {
            Map<String, Object> more = new LinkedHashMap<>(extra);
            more.put("fugu_times_host", host > 0 ? Math.round(10 * fugu / host) / 10.0 : 0.0);
            return new Result(name, unit, values, more);
        }
    }

    @Override
    public Integer call()
    {
        for (String name : cases) {
            if (!CASES.contains(name)) {
                throw new UsageException("--cases: unknown case '" + name + "' (" + String.join(", ", CASES) + ")");
            }
        }
        int warm = warmup != null ? warmup : quick ? 1 : 2;
        int measured = rounds != null ? rounds : quick ? 1 : 5;
        int n = lifecycles != null ? lifecycles : quick ? 5_000 : 200_000;
        int live = processes != null ? processes : quick ? 2_000 : 90_000;
        if (warm < 0 || measured < 1 || n < 1 || n > 10_000_000 || live < 1 || live > 99_000) {
            throw new UsageException("--warmup >= 0, --rounds >= 1, --lifecycles 1..10000000, --processes 1..99000");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter progress = json ? err : out;
        List<String> jvm = jvmLines();
        if (!json) {
            jvm.forEach(out::println);
            out.println();
            out.flush();
        }
        List<Result> results = new ArrayList<>();
        try {
            Result host = null;
            if (cases.contains("lifecycles")) {
                Result fugu = lifecycleCase("lifecycles amd64 4cpu direct", "amd64", ExitModel.DIRECT, n, warm, measured, progress);
                results.add(fugu);
                if (hostBaseline != null) {
                    host = hostBaselineCase(n, warm, measured, progress);
                    results.add(host.withFuguTimesHost(fugu.median(), host.median()));
                }
            }
            if (cases.contains("make-kernel")) {
                results.add(makeKernelCase(warm, measured, progress));
            }
            if (cases.contains("scale")) {
                results.add(scaleCase(live, rounds != null ? measured : quick ? 1 : 3, warmup != null ? warm : quick ? 0 : 1, progress));
            }
            if (cases.contains("matrix")) {
                int matrixRounds = rounds != null ? measured : quick ? 1 : 3;
                int matrixWarm = warmup != null ? warm : 1;
                for (String arch : List.of("amd64", "arm64", "i386")) {
                    for (ExitModel model : ExitModel.values()) {
                        results.add(lifecycleCase("matrix " + arch + " " + model.key(), arch, model, n, matrixWarm, matrixRounds, progress));
                    }
                }
            }
            if (cases.contains("cold")) {
                Result cold = coldCase(n, measured, progress);
                results.add(host == null ? cold : cold.withFuguTimesHost(cold.median(), host.median()));
            }
            if (cases.contains("growth")) {
                MachineConfig four = MachineConfig.of("amd64", 4, MachineConfig.DEFAULT_MEM);
                results.add(growthCase("growth lifecycles", four, RunConfig.DEFAULT_MAXPROC, LIFECYCLE_SOURCE, n,
                        warm, measured, false, progress));
                results.add(growthCase("growth scale", MachineConfig.of("amd64", 64, 16L << 30), 95_000, SCALE_SOURCE, live,
                        warmup != null ? warm : quick ? 0 : 1, rounds != null ? measured : quick ? 1 : 3, true, progress));
            }
        }
        catch (KernelPanic panic) {
            err.println("panic: " + panic.invariant() + ": " + Errors.oneLine(panic.detail()));
            err.flush();
            return Errors.PANIC;
        }
        if (json) {
            out.println(toJson(jvm, results));
        }
        else {
            out.println();
            printTable(results, out);
        }
        out.flush();
        return 0;
    }

    private Result lifecycleCase(String name, String arch, ExitModel model, int n, int warm, int measured, PrintWriter progress)
    {
        Workload workload = parse("lifecycles", LIFECYCLE_SOURCE.formatted(n));
        MachineConfig config = MachineConfig.of(arch, 4, MachineConfig.DEFAULT_MEM);
        double[] rates = new double[measured];
        double[] cpuRates = new double[measured];
        String hash = null;
        for (int round = -warm; round < measured; round++) {
            RunSummary summary = runOnce(config, workload, model, RunConfig.DEFAULT_MAXPROC);
            hash = sameResult(name, hash, summary);
            double cpuRate = summary.processes().reaped() / lastRunCpuSeconds;
            progress(progress, name, round, "%.0f lifecycles/s (%.0f per CPU second)".formatted(summary.lifecyclesPerSecond(), cpuRate));
            if (round >= 0) {
                rates[round] = summary.lifecyclesPerSecond();
                cpuRates[round] = cpuRate;
            }
        }
        return new Result(name, "lifecycles/s", rates, Map.of("lifecycles", n, "trace_hash", hash,
                "median_per_cpu_second", (long) new Result("", "", cpuRates, Map.of()).median()));
    }

    private Result makeKernelCase(int warm, int measured, PrintWriter progress)
    {
        String name = "make-kernel amd64 8cpu direct";
        Workload workload;
        try {
            workload = Workloads.loadBuiltin("make-kernel", Map.of(Workloads.JOBS, "8"));
        }
        catch (WorkloadException e) {
            throw new IllegalStateException(e);
        }
        MachineConfig config = MachineConfig.of("amd64", 8, MachineConfig.DEFAULT_MEM);
        double[] seconds = new double[measured];
        String hash = null;
        long forked = 0;
        for (int round = -warm; round < measured; round++) {
            RunSummary summary = runOnce(config, workload, ExitModel.DIRECT, RunConfig.DEFAULT_MAXPROC);
            hash = sameResult(name, hash, summary);
            forked = summary.processes().forked();
            progress(progress, name, round, "%.3f s".formatted(summary.hostWallMs() / 1000));
            if (round >= 0) {
                seconds[round] = summary.hostWallMs() / 1000;
            }
        }
        return new Result(name, "host s", seconds, Map.of("processes", forked, "trace_hash", hash));
    }

    private Result scaleCase(int live, int measured, int warm, PrintWriter progress)
    {
        String name = "scale amd64 64cpu " + live + " live";
        Workload workload = parse("scale", SCALE_SOURCE.formatted(live));
        MachineConfig config = MachineConfig.of("amd64", 64, 16L << 30);
        double[] seconds = new double[measured];
        HeapWatch watch = new HeapWatch();
        String hash = null;
        long maxLive = 0;
        long peakPools = 0;
        long peakAfterGc = 0;
        long baseline = 0;
        for (int round = -warm; round < measured; round++) {
            baseline = watch.settle();
            RunSummary summary = runOnce(config, workload, ExitModel.DIRECT, 95_000);
            hash = sameResult(name, hash, summary);
            maxLive = summary.processes().maxLive();
            progress(progress, name, round, "%.3f s, peak heap %d MiB".formatted(summary.hostWallMs() / 1000, watch.peakPools() >> 20));
            if (round >= 0) {
                seconds[round] = summary.hostWallMs() / 1000;
                peakPools = Math.max(peakPools, watch.peakPools());
                peakAfterGc = Math.max(peakAfterGc, watch.peakAfterGc());
            }
        }
        watch.close();
        long perProcess = maxLive == 0 || peakAfterGc == 0 ? 0 : Math.max(0, peakAfterGc - baseline) / maxLive;
        return new Result(name, "host s", seconds, Map.of(
                "max_live", maxLive,
                "peak_heap_bytes", peakPools,
                "peak_heap_after_gc_bytes", peakAfterGc,
                "heap_before_bytes", baseline,
                "heap_per_live_process_bytes", perProcess,
                "max_heap_bytes", Runtime.getRuntime().maxMemory(),
                "trace_hash", hash));
    }

    /**
     * Target (d), linear growth: each round runs {@code source} with half of {@code size} and then
     * with all of it, and records the second's host time over the first's (at most 2.2 is the
     * target). With {@code collectFirst}, the heap is collected before each run, so a run of many
     * live processes does not start with the previous one's garbage. The collector's time during
     * each run (the JVM's own count) is reported beside it, with the ratio of the whole runs' host
     * time less the collector's (boot and audit included, as the collector's count is): a run whose
     * processes all stay live makes young collections copy them, which grows faster than the run.
     */
    private Result growthCase(String name, MachineConfig config, int maxproc, String source, int size, int warm, int measured,
            boolean collectFirst, PrintWriter progress)
    {
        int half = Math.max(1, size / 2);
        Workload small = parse("growth", source.formatted(half));
        Workload large = parse("growth", source.formatted(size));
        double[] ratios = new double[measured];
        double[] smallSeconds = new double[measured];
        double[] largeSeconds = new double[measured];
        double[] smallGc = new double[measured];
        double[] largeGc = new double[measured];
        double[] ratiosWithoutGc = new double[measured];
        double[] smallWhole = new double[measured];
        double[] largeWhole = new double[measured];
        String smallHash = null;
        String largeHash = null;
        for (int round = -warm; round < measured; round++) {
            if (collectFirst) {
                System.gc();
            }
            TimedRun first = timedRun(config, small, maxproc);
            smallHash = sameResult(name, smallHash, first.summary());
            if (collectFirst) {
                System.gc();
            }
            TimedRun second = timedRun(config, large, maxproc);
            largeHash = sameResult(name, largeHash, second.summary());
            double ratio = second.loopSeconds() / first.loopSeconds();
            double withoutGc = second.withoutGcSeconds() / first.withoutGcSeconds();
            progress(progress, name, round, "%d: %.3f s (collector %.3f s), %d: %.3f s (collector %.3f s), %.2fx; %.2fx without the collector".formatted(
                    half, first.loopSeconds(), first.gcSeconds(), size, second.loopSeconds(), second.gcSeconds(), ratio, withoutGc));
            if (round >= 0) {
                ratios[round] = ratio;
                smallSeconds[round] = first.loopSeconds();
                largeSeconds[round] = second.loopSeconds();
                smallGc[round] = first.gcSeconds();
                largeGc[round] = second.gcSeconds();
                ratiosWithoutGc[round] = withoutGc;
                smallWhole[round] = first.wholeSeconds();
                largeWhole[round] = second.wholeSeconds();
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("small", half);
        extra.put("large", size);
        extra.put("small_host_s", median(smallSeconds));
        extra.put("large_host_s", median(largeSeconds));
        extra.put("small_gc_s", median(smallGc));
        extra.put("large_gc_s", median(largeGc));
        extra.put("small_run_s", median(smallWhole));
        extra.put("large_run_s", median(largeWhole));
        extra.put("ratio_without_gc", median(ratiosWithoutGc));
        return new Result(name + " " + half + " to " + size, "x host time", ratios, extra);
    }

    private static double median(double[] values)
    {
        return new Result("", "", values, Map.of()).median();
    }

    /** A run with its whole host time (boot and audit too) and the collector's time in it. */
    private record TimedRun(RunSummary summary, double wholeSeconds, double gcSeconds)
    {
        double loopSeconds()
        {
            return summary.hostWallMs() / 1000;
        }

        double withoutGcSeconds()
        {
            return Math.max(1e-6, wholeSeconds - gcSeconds);
        }
    }

    private TimedRun timedRun(MachineConfig config, Workload workload, int maxproc)
    {
        long gc = collectorMillis();
        long start = System.nanoTime();
        RunSummary summary = runOnce(config, workload, ExitModel.DIRECT, maxproc);
        return new TimedRun(summary, (System.nanoTime() - start) / 1e9, (collectorMillis() - gc) / 1000.0);
    }

    /** Milliseconds the JVM's collectors have spent so far (their own accumulated count). */
    private static long collectorMillis()
    {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** The host's own lifecycles per second, for the same fork + touch 16 + exit + wait. */
    private Result hostBaselineCase(int n, int warm, int measured, PrintWriter progress)
    {
        String name = "host baseline: " + hostBaseline;
        double[] rates = new double[measured];
        for (int round = -warm; round < measured; round++) {
            long start = System.nanoTime();
            int code;
            try {
                Process process = new ProcessBuilder("sh", "-c", hostBaseline + " " + n)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new UsageException("--host-baseline: '" + hostBaseline + " " + n + "' ran for more than 10 minutes");
                }
                code = process.exitValue();
            }
            catch (IOException e) {
                throw new UsageException("--host-baseline: " + e.getMessage());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UsageException("--host-baseline: interrupted");
            }
            if (code != 0) {
                throw new UsageException("--host-baseline: '" + hostBaseline + " " + n + "' exited with status " + code);
            }
            double rate = n / ((System.nanoTime() - start) / 1e9);
            progress(progress, name, round, "%.0f lifecycles/s".formatted(rate));
            if (round >= 0) {
                rates[round] = rate;
            }
        }
        return new Result(name, "lifecycles/s", rates, Map.of("lifecycles", n));
    }

    /**
     * The lifecycles run as a user meets it: {@code fugu boot} in a new JVM each round, with this
     * JVM's options, so JIT warm-up is inside the measured loop. No warm-up rounds: each is cold.
     */
    private Result coldCase(int n, int measured, PrintWriter progress)
    {
        String name = "cold boot amd64 4cpu direct";
        double[] rates = new double[measured];
        Path file = null;
        try {
            file = Files.createTempFile("fugu-bench-lifecycles", ".fw");
            Files.writeString(file, LIFECYCLE_SOURCE.formatted(n));
            String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>();
            command.add(javaBinary);
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "boot", "--arch", "amd64", "--ncpu", "4", "--exit-model", "direct", "--workload", file.toString(), "--json"));
            for (int round = 0; round < measured; round++) {
                Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    throw new IllegalStateException("cold boot round " + (round + 1) + " failed: " + String.join(" ", command));
                }
                rates[round] = SummaryJson.MAPPER.readTree(out).path("host").path("lifecycles_per_sec").asDouble();
                progress(progress, name, round, "%.0f lifecycles/s".formatted(rates[round]));
            }
        }
        catch (IOException e) {
            throw new IllegalStateException("cold boot: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cold boot: interrupted", e);
        }
        finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                }
                catch (IOException e) {
                    // a temporary file left behind: not worth failing the bench for
                }
            }
        }
        return new Result(name, "lifecycles/s", rates, Map.of("lifecycles", n));
    }

    private RunSummary runOnce(MachineConfig config, Workload workload, ExitModel model, int maxproc)
    {
        ArchPlugin plugin = injector.getInstance(ArchRegistry.class).validate(config);
        RunConfig run = RunConfig.of(workload, plugin.defaults().clockMhz())
                .withExitModel(model, model == ExitModel.DIRECT ? ExitSwitch.TOIDLE : ExitSwitch.NONE)
                .withMaxproc(maxproc);
        Kernel kernel = injector.createChildInjector(new MachineModule(config, run)).getInstance(Kernel.class);
        kernel.boot();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        RunSummary summary = kernel.run();
        lastRunCpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (summary.stopReason() != null || summary.expectsFailed() > 0 || summary.violations() > 0) {
            throw new IllegalStateException("bench run did not finish cleanly: " + summary.stopReason());
        }
        return summary;
    }

    // Every round of a case is the same simulation: a different result would be a determinism bug.
    private static String sameResult(String name, String previous, RunSummary summary)
    {
        if (previous != null && !previous.equals(summary.traceHash())) {
            throw new IllegalStateException(name + ": trace_hash " + summary.traceHash() + " differs from the first round's " + previous);
        }
        return summary.traceHash();
    }

    private static Workload parse(String name, String source)
    {
        try {
            return WorkloadParser.parse(name, name + ".fw", source);
        }
        catch (WorkloadException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void progress(PrintWriter progress, String name, int round, String what)
    {
        progress.printf(Locale.ROOT, "  %-34s %s %s%n", name, round < 0 ? "warm-up " + (-round) : "round " + (round + 1), what);
        progress.flush();
    }

    static List<String> jvmLines()
    {
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        List<String> lines = new ArrayList<>();
        lines.add("fugu bench: " + runtime.getVmName() + " " + runtime.getVmVersion() + " (" + runtime.getVmVendor() + "), "
                + Runtime.getRuntime().availableProcessors() + " host CPUs");
        lines.add("JVM flags: " + (runtime.getInputArguments().isEmpty() ? "(none)" : String.join(" ", runtime.getInputArguments())));
        lines.add("max heap (-Xmx in force): " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; GC: "
                + String.join(", ", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList()));
        return lines;
    }

    private static void printTable(List<Result> results, PrintWriter out)
    {
        out.printf(Locale.ROOT, "%-36s %-13s %12s %12s %12s %7s%n", "case", "unit", "min", "median", "max", "rounds");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-36s %-13s %12s %12s %12s %7d%n", r.name(), r.unit(), format(r.min()), format(r.median()), format(r.max()), r.values().length);
            Object perCpu = r.extra().get("median_per_cpu_second");
            if (perCpu != null) {
                out.printf(Locale.ROOT, "%-36s (median %s lifecycles per CPU second of the simulating thread)%n", "", perCpu);
            }
            Object times = r.extra().get("fugu_times_host");
            if (times != null) {
                out.printf(Locale.ROOT, "%-36s (fugu's median lifecycles/s is %s times the host's)%n", "", times);
            }
            Object small = r.extra().get("small_host_s");
            if (small != null) {
                out.printf(Locale.ROOT, "%-36s (median %.3f s for %s, %.3f s for %s; collector %.3f s and %.3f s; %.2fx without it)%n", "",
                        (Double) small, r.extra().get("small"), (Double) r.extra().get("large_host_s"), r.extra().get("large"),
                        (Double) r.extra().get("small_gc_s"), (Double) r.extra().get("large_gc_s"), (Double) r.extra().get("ratio_without_gc"));
            }
            Object peak = r.extra().get("peak_heap_bytes");
            if (peak != null) {
                out.printf(Locale.ROOT, "%-36s peak heap %d MiB (pools), %d MiB after GC, %d B heap per live process, -Xmx %d MiB%n", "",
                        ((Long) peak) >> 20, ((Long) r.extra().get("peak_heap_after_gc_bytes")) >> 20,
                        r.extra().get("heap_per_live_process_bytes"), ((Long) r.extra().get("max_heap_bytes")) >> 20);
            }
        }
    }

    private static String format(double value)
    {
        return value >= 100 ? "%.0f".formatted(value) : "%.3f".formatted(value);
    }

    private static String toJson(List<String> jvm, List<Result> results)
    {
        ObjectNode root = SummaryJson.MAPPER.createObjectNode();
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        ObjectNode jvmNode = root.putObject("jvm");
        jvmNode.put("name", runtime.getVmName());
        jvmNode.put("version", runtime.getVmVersion());
        jvmNode.put("vendor", runtime.getVmVendor());
        ArrayNode flags = jvmNode.putArray("flags");
        runtime.getInputArguments().forEach(flags::add);
        jvmNode.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        jvmNode.put("host_cpus", Runtime.getRuntime().availableProcessors());
        ArrayNode cases = root.putArray("cases");
        for (Result r : results) {
            ObjectNode node = cases.addObject();
            node.put("name", r.name());
            node.put("unit", r.unit());
            node.put("min", r.min());
            node.put("median", r.median());
            node.put("max", r.max());
            ArrayNode values = node.putArray("rounds");
            for (double v : r.values()) {
                values.add(v);
            }
            r.extra().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                if (e.getValue() instanceof Double number) {
                    node.put(e.getKey(), number);
                }
                else if (e.getValue() instanceof Number number) {
                    node.put(e.getKey(), number.longValue());
                }
                else {
                    node.put(e.getKey(), String.valueOf(e.getValue()));
                }
            });
        }
        try {
            return SummaryJson.MAPPER.writeValueAsString(root);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Peak heap of one run: the heap pools' peak usage (reset before the run) and the largest heap
     * left after any collection during it, which is close to the live data at that moment.
     */
    private static final class HeapWatch
            implements NotificationListener
    {
        private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        private volatile long peakAfterGc;

        HeapWatch()
        {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(this, null, null);
                }
            }
        }

        /** Collects, resets the peaks, and returns the heap in use now (the run's starting point). */
        long settle()
        {
            System.gc();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            peakAfterGc = 0;
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        long peakPools()
        {
            return pools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        }

        long peakAfterGc()
        {
            return peakAfterGc;
        }

        @Override
        public void handleNotification(javax.management.Notification notification, Object handback)
        {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (MemoryPoolMXBean pool : pools) {
                MemoryUsage usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                used += usage == null ? 0 : usage.getUsed();
            }
            peakAfterGc = Math.max(peakAfterGc, used);
        }

        void close()
        {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    try {
                        emitter.removeNotificationListener(this);
                    }
                    catch (javax.management.ListenerNotFoundException ignored) {
                        // never added
                    }
                }
            }
        }
    }
}
