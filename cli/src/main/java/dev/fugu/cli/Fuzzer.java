package dev.fugu.cli;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.ConfigException;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadException;
import dev.fugu.kernel.workload.WorkloadParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Runs generated cases and checks the properties every run must keep (no panic, no leak, every
 * forked process reaped exactly once, no zombie at the end, every {@code expect} right); shrinks
 * a failing case; and feeds mutated, mostly invalid, workload text to the parser, which must
 * answer with a {@code file:line:col: } message and nothing else.
 */
final class Fuzzer
{
    static final String FILE = "fuzz.fw";
    private static final Pattern LOCATED = Pattern.compile("\\Q" + FILE + "\\E:\\d+:\\d+: \\S.*");
    private static final String[] JUNK = {
            "{", "}", ";", "#", "proc", "main", "repeat", "fork", "spawn", "exec", "thread", "kill", "expect", "watch",
            "kevent", "wait", "nohang", "exited", "signaled", "events", "-1", "0", "99999999999999999999", "4294967296",
            "1..", "..5", "10^12", "1e9", "${x}", "${", "SIGFOO", "all", "last", "\t", "\n", "é", "\u0000", "\\",
    };

    private final Runs runs;
    private final Set<String> injects;

    Fuzzer(Runs runs)
    {
        this(runs, Set.of());
    }

    /** With {@code injects}, the campaign shows which generated workloads catch those bugs. */
    Fuzzer(Runs runs, Set<String> injects)
    {
        this.runs = requireNonNull(runs, "runs is null");
        this.injects = Set.copyOf(requireNonNull(injects, "injects is null"));
    }

    /**
     * What went wrong with a case: a category (kept while shrinking) and the details.
     */
    record Failure(String category, String detail)
    {
        Failure
        {
            requireNonNull(category, "category is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /** Runs a case; empty when every property held. */
    Optional<Failure> check(WorkloadGenerator.Case c)
    {
        Workload workload;
        try {
            workload = WorkloadParser.parse("fuzz", FILE, c.source());
        }
        catch (WorkloadException e) {
            return Optional.of(new Failure("invalid-workload", e.getMessage()));
        }
        MachineConfig machine = MachineConfig.of(c.arch(), c.ncpu(), c.memBytes()).withSeed(c.seed()).withInjects(injects);
        int mhz = runs.registry().get(c.arch()).defaults().clockMhz();
        ExitModel model = c.exitModel();
        // The default limit: a killed sleeper's timer may lie far ahead (sleep 10^12 cycles), and a
        // timer past the limit stops a run even when its work is done (kernel-core, reported).
        RunConfig run = RunConfig.of(workload, mhz).withExitModel(model, model == ExitModel.DIRECT ? ExitSwitch.TOIDLE : ExitSwitch.NONE);
        Kernel kernel;
        try {
            kernel = runs.boot(machine, run);
        }
        catch (ConfigException e) {
            return Optional.of(new Failure("config", e.getMessage()));
        }
        try {
            RunSummary summary = kernel.run();
            List<String> problems = RegressRunner.problems(summary);
            if (summary.processes().forkEagain() > 0) {
                problems.add(summary.processes().forkEagain() + " fork(s) hit maxproc");
            }
            if (summary.oomKills() > 0) {
                problems.add(summary.oomKills() + " process(es) killed for want of memory");
            }
            if (problems.isEmpty()) {
                return Optional.empty();
            }
            String category = category(problems.get(0));
            if (summary.expectsFailed() > 0 && !summary.expectFailures().isEmpty()) {
                // Shrinking keeps the same expect failing (without its position), not any expect.
                category = "expect: " + Errors.oneLine(summary.expectFailures().get(0).replaceFirst("^.*?:\\d+:\\d+: ", ""));
            }
            return Optional.of(new Failure(category, String.join("; ", problems)));
        }
        catch (KernelPanic panic) {
            return Optional.of(new Failure("panic " + panic.invariant(), "panic: " + panic.invariant() + ": " + Errors.oneLine(panic.detail())));
        }
        catch (RuntimeException e) {
            return Optional.of(new Failure("exception " + e.getClass().getName(), String.valueOf(e)));
        }
    }

    private static String category(String problem)
    {
        // The words before the first colon, numbers left out, name the kind of problem.
        return problem.replaceAll(":.*", "").replaceAll("[0-9]+", "N").trim();
    }

    /**
     * Deletes programs, repeat blocks and statements while the failure's category stays the
     * same; returns the smallest case found.
     */
    WorkloadGenerator.Case shrink(WorkloadGenerator.Case failing, Failure failure)
    {
        WorkloadGenerator.Case best = failing;
        boolean progress = true;
        while (progress) {
            progress = false;
            List<String> lines = List.of(best.source().split("\n"));
            for (int[] span : spans(lines)) {
                List<String> smaller = new ArrayList<>(lines.subList(0, span[0]));
                smaller.addAll(lines.subList(span[1], lines.size()));
                WorkloadGenerator.Case candidate = best.withSource(String.join("\n", smaller) + "\n");
                Optional<Failure> result = check(candidate);
                if (result.isPresent() && result.get().category().equals(failure.category())) {
                    best = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return best;
    }

    /** Line ranges [from, to) worth deleting, largest first: whole blocks, then single statements. */
    private static List<int[]> spans(List<String> lines)
    {
        List<int[]> blocks = new ArrayList<>();
        List<int[]> statements = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.endsWith("{")) {
                int depth = 0;
                for (int j = i; j < lines.size(); j++) {
                    String inner = lines.get(j).trim();
                    if (inner.endsWith("{")) {
                        depth++;
                    }
                    else if (inner.equals("}")) {
                        depth--;
                        if (depth == 0) {
                            if (!line.startsWith("proc main")) {
                                blocks.add(new int[] {i, j + 1});
                            }
                            break;
                        }
                    }
                }
            }
            else if (!line.isEmpty() && !line.equals("}")) {
                statements.add(new int[] {i, i + 1});
            }
        }
        blocks.sort((a, b) -> Integer.compare(b[1] - b[0], a[1] - a[0]));
        blocks.addAll(statements);
        return blocks;
    }

    /** Text from {@code source} with a few random edits: mostly invalid, sometimes still valid. */
    static String mutate(String source, long seed)
    {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder(source);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = text.length() == 0 ? 0 : random.nextInt(text.length());
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (text.length() > 0) {
                        text.deleteCharAt(at);
                    }
                }
                case 1 -> text.insert(at, JUNK[random.nextInt(JUNK.length)]);
                case 2 -> text.insert(at, " " + JUNK[random.nextInt(JUNK.length)] + " ");
                case 3 -> {
                    // Replace a number with a huge, negative or malformed one.
                    Matcher number = Pattern.compile("\\d+").matcher(text);
                    List<int[]> numbers = new ArrayList<>();
                    while (number.find()) {
                        numbers.add(new int[] {number.start(), number.end()});
                    }
                    if (!numbers.isEmpty()) {
                        int[] n = numbers.get(random.nextInt(numbers.size()));
                        String[] bad = {"0", "-3", "1000000000001", "16777217", "10000001", "256", "32", "99999999999999999999999", "0x10", "1..0"};
                        text.replace(n[0], n[1], bad[random.nextInt(bad.length)]);
                    }
                }
                default -> {
                    // Swap two lines.
                    String[] lines = text.toString().split("\n", -1);
                    if (lines.length > 1) {
                        int a = random.nextInt(lines.length);
                        int b = random.nextInt(lines.length);
                        String t = lines[a];
                        lines[a] = lines[b];
                        lines[b] = t;
                        text = new StringBuilder(String.join("\n", lines));
                    }
                }
            }
        }
        return text.toString();
    }

    /**
     * Parses mutated text; empty when the parser either accepted it or rejected it with one
     * {@code fuzz.fw:line:col: message} line, else what it did instead.
     */
    static Optional<Failure> checkInvalid(String text)
    {
        try {
            WorkloadParser.parse("fuzz", FILE, text);
            return Optional.empty();
        }
        catch (WorkloadException e) {
            if (!LOCATED.matcher(e.getMessage()).matches() || e.getMessage().contains("\n")) {
                return Optional.of(new Failure("bad parse error message", e.getMessage()));
            }
            return Optional.empty();
        }
        catch (RuntimeException | StackOverflowError e) {
            return Optional.of(new Failure("parser threw " + e.getClass().getName(), String.valueOf(e)));
        }
    }
}
