package dev.fugu.cli;

import dev.fugu.kernel.boot.Plugins;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.workload.WorkloadException;
import dev.fugu.kernel.workload.WorkloadParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property and fuzz tests with capped tries (long campaigns are {@code fugu fuzz}): generated
 * valid workloads keep every rule on random machines; mutated text and random flags never give
 * a stack trace.
 */
class TestFuzz
{
    private static final List<String> ARCHS = List.of("amd64", "arm64", "i386");
    private static Fuzzer fuzzer;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp()
    {
        fuzzer = new Fuzzer(new Runs(Plugins.createInjector()));
    }

    @Test
    void generatedWorkloadsKeepEveryRuleOnRandomMachines()
    {
        List<String> failures = new ArrayList<>();
        Set<String> archs = new HashSet<>();
        Set<ExitModel> models = new HashSet<>();
        for (long i = 0; i < 300; i++) {
            WorkloadGenerator.Case c = WorkloadGenerator.generate(42, i, ARCHS);
            archs.add(c.arch());
            models.add(c.exitModel());
            assertThat(c.ncpu()).isBetween(1, 8);
            fuzzer.check(c).ifPresent(failure -> failures.add(c + ": " + failure));
        }
        assertThat(failures).isEmpty();
        assertThat(archs).containsExactlyInAnyOrderElementsOf(ARCHS);
        assertThat(models).containsExactlyInAnyOrder(ExitModel.values());
    }

    @Test
    void generatorIsSeededAndUsesTheWholeLanguage()
    {
        assertThat(WorkloadGenerator.generate(7, 3, ARCHS)).isEqualTo(WorkloadGenerator.generate(7, 3, ARCHS));
        assertThat(WorkloadGenerator.generate(7, 3, ARCHS).source()).isNotEqualTo(WorkloadGenerator.generate(7, 4, ARCHS).source());
        StringBuilder all = new StringBuilder();
        for (long i = 0; i < 200; i++) {
            all.append(WorkloadGenerator.generate(1, i, ARCHS).source());
        }
        for (String statement : List.of("fork ", "spawn ", "exec ", "thread ", "exit ", "texit", "wait\n", "wait nohang", "waitall",
                "kill last", "kill all", "nocldwait", "watch last", "watch all", "kevent ", "sleep ", "compute ", "touch ", "read ",
                "write ", "repeat ", "expect exited", "expect signaled", "expect events", "expect echild", "ps\n")) {
            assertThat(all).as(statement).contains(statement);
        }
    }

    @Test
    void aFailureIsShrunkToASmallWorkloadThatStillFails()
    {
        // A wrong expect buried in a generated workload.
        WorkloadGenerator.Case generated = WorkloadGenerator.generate(3, 0, List.of("i386"));
        String source = generated.source().replaceFirst("proc main \\{\n", "proc main {\n  fork wrong\n  wait\n  expect exited 3\n")
                + "proc wrong {\n  touch 2\n  exit 4\n}\n";
        WorkloadGenerator.Case failing = generated.withSource(source);
        Optional<Fuzzer.Failure> failure = fuzzer.check(failing);
        assertThat(failure).isPresent();
        assertThat(failure.get().category()).startsWith("expect: expect exited 3");
        WorkloadGenerator.Case small = fuzzer.shrink(failing, failure.get());
        assertThat(fuzzer.check(small).map(Fuzzer.Failure::category)).contains(failure.get().category());
        assertThat(small.source().lines().count()).isLessThanOrEqualTo(8).isLessThan(source.lines().count());
        assertThat(small.source()).contains("expect exited 3");
    }

    @Test
    void mutatedWorkloadTextOnlyEverGetsFileLineColumnMessages()
    {
        List<String> failures = new ArrayList<>();
        int rejected = 0;
        for (long i = 0; i < 60; i++) {
            String source = WorkloadGenerator.workload(i);
            for (int m = 0; m < 20; m++) {
                String text = Fuzzer.mutate(source, i * 100 + m);
                Optional<Fuzzer.Failure> failure = Fuzzer.checkInvalid(text);
                failure.ifPresent(f -> failures.add(f + " for:\n" + text));
                if (!text.equals(source)) {
                    rejected++;
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(rejected).isGreaterThan(1000);
    }

    @Test
    void mutatedWorkloadFilesThroughTheCliAreOneLineErrors()
            throws IOException
    {
        int checked = 0;
        for (long i = 0; checked < 25; i++) {
            String text = Fuzzer.mutate(WorkloadGenerator.workload(i), i);
            if (Fuzzer.checkInvalid(text).isEmpty() && isValid(text)) {
                continue;
            }
            Path file = dir.resolve("m" + i + ".fw");
            Files.writeString(file, text);
            CliRun run = CliRun.of("boot", "--arch", "i386", "--ncpu", "1", "--workload", file.toString());
            assertThat(run.exitCode()).as(text).isEqualTo(2);
            assertThat(run.err().strip()).as(text).matches("\\Q" + file + "\\E:\\d+:\\d+: [^\\n]+");
            checked++;
        }
    }

    private static boolean isValid(String text)
    {
        try {
            WorkloadParser.parse("m", "m.fw", text);
            return true;
        }
        catch (WorkloadException e) {
            return false;
        }
    }

    @Test
    void randomFlagVectorsNeverGiveAStackTrace()
            throws IOException
    {
        Path tiny = dir.resolve("tiny.fw");
        Files.writeString(tiny, "proc main { fork k; wait }\nproc k { touch 2 }\n");
        String[][] flags = {
                {"--arch", "amd64", "arm64", "i386", "sparc64", "", "all"},
                {"--ncpu", "1", "2", "0", "-1", "65", "x", "99999999999"},
                {"--mem", "64M", "256M", "1G", "63M", "5T", "12Q", "-1G", "0"},
                {"--seed", "1", "-7", "x", "9223372036854775808"},
                {"--arch-opt", "nopcid", "nopae", "asid8", "bogus", "=", ","},
                {"--inject", "early-stack-free", "stale-ci-proc-pmap", "nope", ","},
                {"--cost", "x=1", "=", "exit.cpu=-5", "exit.cpu=abc"},
                {"--exit-model", "reaper", "purge", "direct", "both"},
                {"--exit-switch", "toidle", "mi_switch", "sideways"},
                {"--maxproc", "1", "2", "3", "20", "2000000", "z"},
                {"--max-sim-seconds", "0", "-1", "1", "nan", "1e99"},
                {"--pmr-free", "single", "batch", "double"},
                {"--pmr-cache", "on", "off", "OFF", "sometimes"},
                {"--scale", "0", "1", "2000000"},
                {"--jobs", "0", "1", "5000"},
                {"--ps-at", "-1", "100", "x"},
                {"--bogus-flag"},
        };
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 60; i++) {
            List<String> args = new ArrayList<>(List.of("boot", "--quiet", "--workload", tiny.toString()));
            int count = 1 + random.nextInt(4);
            for (int k = 0; k < count; k++) {
                String[] option = flags[random.nextInt(flags.length)];
                args.add(option[0]);
                if (option.length > 1) {
                    args.add(option[1 + random.nextInt(option.length - 1)]);
                }
            }
            CliRun run = CliRun.of(args.toArray(new String[0]));
            assertThat(run.exitCode()).as(args.toString()).isIn(0, 1, 2, 3);
            assertThat(run.err()).as(args.toString()).doesNotContain("Exception", "\tat ", "internal error");
            if (run.exitCode() == 2) {
                assertThat(run.err().strip()).as(args.toString()).isNotEmpty().doesNotContain("\n");
            }
        }
    }

    @Test
    void maxprocTooSmallForMainIsAnErrorNotACrash()
            throws IOException
    {
        Path tiny = dir.resolve("tiny.fw");
        Files.writeString(tiny, "proc main { exit 0 }\n");
        CliRun run = CliRun.of("boot", "--quiet", "--maxproc", "2", "--workload", tiny.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).contains("--maxproc").doesNotContain("\n", "Exception", "internal error");
    }

    @Test
    void orphanedThreadedExitsLeakNothingUnderReaper()
            throws IOException
    {
        Path file = dir.resolve("leak.fw");
        Files.writeString(file, "proc main { fork parent }\nproc parent { spawn 4 kid }\nproc kid { thread t }\nproc t { sleep 258785 }\n");
        for (String arch : ARCHS) {
            CliRun run = CliRun.of("boot", "--quiet", "--arch", arch, "--ncpu", "8", "--mem", "128M", "--exit-model", "reaper",
                    "--seed", "1", "--workload", file.toString());
            assertThat(run.exitCode()).as(arch + ": " + run.err()).isZero();
        }
    }

    @Test
    void fuzzCommandRunsACampaign()
    {
        CliRun run = CliRun.of("fuzz", "--count", "8", "--seed", "5", "--arch", "i386", "--out", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .startsWith("fuzz: 8 workloads, seed 5, arch i386")
                .contains("fuzz: 8/8 runs, 40 mutants parsed, 0 failure(s)")
                .contains("fuzz: done: 8 runs, 40 mutants, 0 run failure(s), 0 parser failure(s)")
                .endsWith("SUCCESS\n");

        CliRun show = CliRun.of("fuzz", "--seed", "5", "--arch", "i386", "--show", "2");
        assertThat(show.out()).startsWith("# generated by fugu fuzz\nproc main {").containsPattern("# run: fugu boot --arch i386 --ncpu \\d");

        assertThat(CliRun.of("fuzz", "--count", "-1").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("fuzz", "--arch", "vax").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("fuzz", "--out", dir.resolve("missing").toString()).exitCode()).isEqualTo(2);
    }
}
