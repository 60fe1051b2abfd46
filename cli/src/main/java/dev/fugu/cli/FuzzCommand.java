package dev.fugu.cli;

import com.google.inject.Inject;
import com.google.inject.Injector;
import dev.fugu.kernel.boot.ConfigException;
import dev.fugu.kernel.boot.MachineConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code fugu fuzz}: a long campaign of generated workloads on random machines, checking that no
 * run panics, leaks or breaks a POSIX rule, and that mutated workload text only ever gets a
 * {@code file:line:col:} message. A failure is shrunk to a small workload with the command that
 * replays it.
 */
@Command(name = "fuzz",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = {
                "Run generated workloads on random machines (arch, 1-8 CPUs, exit model, memory) and check: no panic,",
                "no leak, every forked process reaped once, no zombie, every expect right; feed mutated workload text",
                "to the parser. Failures are shrunk and written as .fw files with the command that replays them.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu fuzz --count 1000",
                "  fugu fuzz --count 200 --seed 7 --arch arm64",
                "  fugu fuzz --count 10000 --out /tmp/fuzz --mutations 20",
                "  fugu fuzz --seed 7 --show 42 > case.fw      # one generated case",
                "  fugu fuzz --count 20 --inject early-stack-free  # failures expected: shrunk reproducers",
                "",
                "Exit status: 0 no failure; 1 at least one failure (each printed with its replay command); 2 bad usage.",
        })
public final class FuzzCommand
        implements Callable<Integer>
{
    private final Injector injector;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "100",
            description = "Generated workloads to run (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the campaign; the same seed generates the same cases (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--arch", paramLabel = "ARCH", split = ",", defaultValue = "all",
            description = "Architectures to draw from, comma-separated, or 'all' (default: ${DEFAULT-VALUE}).")
    List<String> archs = new ArrayList<>();

    @Option(names = "--mutations", paramLabel = "N", defaultValue = "5",
            description = "Mutated (mostly invalid) texts of each generated workload to parse (default: ${DEFAULT-VALUE}).")
    int mutations;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Where to write each failure's shrunk workload, fuzz-SEED-INDEX.fw (default: current directory).")
    Path out;

    @Option(names = "--inject", paramLabel = "NAME", split = ",",
            description = "Run every case with these bugs turned back on, to see which workloads catch them and how small they shrink.")
    List<String> injects = new ArrayList<>();

    @Option(names = "--show", paramLabel = "INDEX",
            description = "Print case INDEX of the campaign (its workload and the command that runs it) instead of running.")
    Long show;

    @Option(names = "--no-shrink", description = "Report failures as generated, without shrinking them.")
    boolean noShrink;

    @Inject
    FuzzCommand(Injector injector)
    {
        this.injector = requireNonNull(injector, "injector is null");
    }

    @Override
    public Integer call()
    {
        if (count < 0 || count > 1_000_000_000L) {
            throw new UsageException("--count " + count + " is out of range (0 to 1000000000)");
        }
        if (mutations < 0 || mutations > 10_000) {
            throw new UsageException("--mutations " + mutations + " is out of range (0 to 10000)");
        }
        if (!Files.isDirectory(out)) {
            throw new UsageException("--out " + out + ": not a directory");
        }
        Runs runs = new Runs(injector);
        List<String> archNames = archNames(runs);
        PrintWriter stdout = spec.commandLine().getOut();
        if (show != null) {
            WorkloadGenerator.Case c = WorkloadGenerator.generate(seed, show, archNames);
            stdout.print(c.source());
            stdout.println("# run: fugu boot " + String.join(" ", c.bootArgs(String.format(Locale.ROOT, "fuzz-%d-%d.fw", seed, show))));
            stdout.flush();
            return CommandLine.ExitCode.OK;
        }
        Set<String> injected = new LinkedHashSet<>(injects);
        for (String arch : archNames) {
            try {
                runs.registry().validate(MachineConfig.of(arch, 1, 128L << 20).withInjects(injected));
            }
            catch (ConfigException e) {
                throw new UsageException(Errors.oneLine(e.getMessage()) + " (choose --arch accordingly)");
            }
        }
        Fuzzer fuzzer = new Fuzzer(runs, injected);
        long every = Math.max(1, count / 20);
        long failures = 0;
        long parsed = 0;
        long parseFailures = 0;
        long start = System.nanoTime();
        stdout.printf(Locale.ROOT, "fuzz: %d workloads, seed %d, arch %s%n", count, seed, String.join(",", archNames));
        for (long i = 0; i < count; i++) {
            WorkloadGenerator.Case c = WorkloadGenerator.generate(seed, i, archNames);
            Optional<Fuzzer.Failure> failure = fuzzer.check(c);
            if (failure.isPresent()) {
                failures++;
                report(stdout, fuzzer, i, c, failure.get());
            }
            for (int m = 0; m < mutations; m++) {
                String text = Fuzzer.mutate(c.source(), c.seed() * 31 + m);
                parsed++;
                Optional<Fuzzer.Failure> bad = Fuzzer.checkInvalid(text);
                if (bad.isPresent()) {
                    parseFailures++;
                    failures++;
                    Path file = out.resolve(String.format(Locale.ROOT, "fuzz-%d-%d-mutant%d.fw", seed, i, m));
                    write(file, text);
                    stdout.println("FAIL parse #" + i + "." + m + ": " + bad.get().category() + ": " + Errors.oneLine(bad.get().detail()));
                    stdout.println("  text written to " + file + "; replay: fugu boot --workload " + file);
                }
            }
            if ((i + 1) % every == 0 || i + 1 == count) {
                double seconds = (System.nanoTime() - start) / 1e9;
                stdout.printf(Locale.ROOT, "fuzz: %d/%d runs, %d mutants parsed, %d failure(s), %.1f runs/s%n",
                        i + 1, count, parsed, failures, (i + 1) / Math.max(seconds, 1e-9));
                stdout.flush();
            }
        }
        stdout.printf(Locale.ROOT, "fuzz: done: %d runs, %d mutants, %d run failure(s), %d parser failure(s)%n",
                count, parsed, failures - parseFailures, parseFailures);
        stdout.println(failures == 0 ? "SUCCESS" : "FAILED");
        stdout.flush();
        return failures == 0 ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    private void report(PrintWriter stdout, Fuzzer fuzzer, long index, WorkloadGenerator.Case c, Fuzzer.Failure failure)
    {
        stdout.println("FAIL run #" + index + ": " + Errors.oneLine(failure.detail()));
        WorkloadGenerator.Case small = noShrink ? c : fuzzer.shrink(c, failure);
        Path file = out.resolve(String.format(Locale.ROOT, "fuzz-%d-%d.fw", seed, index));
        write(file, small.source());
        stdout.println("  " + (noShrink ? "workload" : "shrunk workload") + " (" + small.source().split("\n").length + " lines, written to " + file + "):");
        for (String line : small.source().split("\n")) {
            stdout.println("    " + line);
        }
        String inject = injects.isEmpty() ? "" : " --inject " + String.join(",", new LinkedHashSet<>(injects));
        stdout.println("  replay: fugu boot " + String.join(" ", small.bootArgs(file.toString())) + inject);
    }

    private static void write(Path file, String text)
    {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UsageException("--out: cannot write " + file + ": " + e.getMessage());
        }
    }

    private List<String> archNames(Runs runs)
    {
        Set<String> names = new LinkedHashSet<>();
        for (String arch : archs) {
            String name = arch.trim().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                names.addAll(runs.registry().names());
            }
            else if (runs.registry().names().contains(name)) {
                names.add(name);
            }
            else {
                throw new UsageException("--arch: unknown architecture '" + arch + "' (known: " + String.join(", ", runs.registry().names()) + ", all)");
            }
        }
        if (names.isEmpty()) {
            throw new UsageException("--arch needs at least one architecture");
        }
        return List.copyOf(names);
    }
}
