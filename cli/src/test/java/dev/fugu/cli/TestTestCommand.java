package dev.fugu.cli;

import dev.fugu.kernel.boot.Plugins;
import dev.fugu.kernel.exit.ExitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTestCommand
{
    private static final Path SCENARIO_DIRECTORY = Path.of("src/main/resources/dev/fugu/cli/regress");

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "i386"})
    void everyScenarioPassesOnEachArchUnderEveryExitModel(String arch)
    {
        CliRun run = CliRun.of("test", "--arch", arch, "--ncpu", "1,4");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("===> " + arch + ": 1 CPU, exit model reaper, seed 1")
                .contains("===> " + arch + ": 4 CPUs, exit model direct, seed 1")
                .containsPattern("(?m)^wait4-status \\.+ ok +[0-9.]+s sim +[0-9]+ms host$")
                .contains("0 failed")
                .endsWith("SUCCESS\n")
                .doesNotContain("FAIL");
        // Every injected bug that exists on the arch is caught under direct, and runs clean where the seed's fixes are not needed.
        assertThat(run.out())
                .containsPattern("inject-early-stack-free \\.+ ok .*\\(caught: panic stack-freed-on-cpu\\)")
                .containsPattern("inject-early-stack-free \\.+ ok .*\\(clean under reaper\\)")
                .containsPattern("inject-kqueue-rwlock \\.+ ok .*\\(caught: panic assertwaitok\\)")
                .containsPattern("inject-missed-shootdown \\.+ ok .*\\(caught: panic stale-tlb\\)")
                .containsPattern("inject-latent-kqueue-rwlock \\.+ ok .*\\(caught: panic sleep-in-sdead\\)")
                .containsPattern("inject-latent-kqueue-rwlock \\.+ skipped +\\(needs at least 2 CPUs\\)");
        if (arch.equals("amd64")) {
            assertThat(run.out()).containsPattern("inject-stale-ci-proc-pmap \\.+ ok .*\\(caught: panic ci-proc-pmap\\)");
        }
        else {
            assertThat(run.out()).containsPattern("inject-stale-ci-proc-pmap \\.+ skipped +\\(inject stale-ci-proc-pmap does not exist on " + arch + "\\)");
        }
    }

    @Test
    void scenarioFilterAndList()
    {
        CliRun list = CliRun.of("test", "--list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().count()).isEqualTo(RegressScenario.builtin().size());
        assertThat(list.out()).containsPattern("(?m)^oom-kill +out of memory");

        CliRun one = CliRun.of("test", "--arch", "i386", "--ncpu", "2", "--exit-model", "direct", "--scenario", "oom-kill,wait4-status");
        assertThat(one.exitCode()).isZero();
        assertThat(one.out()).contains("2 passed, 0 failed, 0 skipped").contains("oom-kill").contains("wait4-status").doesNotContain("nocldwait");
    }

    @Test
    void helpHasExamplesAndTheTopCommandListsTestAndFuzz()
    {
        for (String command : List.of("test", "fuzz")) {
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: fugu " + command, "Examples:", "fugu " + command + " --", "Exit status:");
        }
        assertThat(CliRun.of("--help").out()).containsPattern("(?m)^ +test +Run the regress suite").containsPattern("(?m)^ +fuzz +Run generated");
    }

    @Test
    void badUsageIsOneLineAndExit2()
    {
        for (String[] args : List.of(
                new String[] {"test", "--arch", "sparc64"},
                new String[] {"test", "--ncpu", "0"},
                new String[] {"test", "--arch", "i386", "--ncpu", "999"},
                new String[] {"test", "--exit-model", "sometimes"},
                new String[] {"test", "--scenario", "nope"},
                new String[] {"test", "--ncpu", "x"})) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err().lines().count()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).doesNotContain("Exception");
        }
    }

    @Test
    void junitXmlIsWhatCiReads(@TempDir Path dir)
            throws Exception
    {
        Path xml = dir.resolve("regress.xml");
        CliRun run = CliRun.of("test", "--arch", "i386", "--ncpu", "1", "--exit-model", "reaper,direct", "--junit-xml", xml.toString());
        assertThat(run.exitCode()).isZero();
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element root = document.getDocumentElement();
        int scenarios = RegressScenario.builtin().size();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo(Integer.toString(2 * scenarios));
        assertThat(root.getAttribute("failures")).isEqualTo("0");
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(2);
        assertThat(((Element) suites.item(0)).getAttribute("name")).isEqualTo("fugu.regress.i386.ncpu1.reaper");
        NodeList cases = document.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2 * scenarios);
        NodeList skipped = document.getElementsByTagName("skipped");
        assertThat(skipped.getLength()).isEqualTo(Integer.parseInt(root.getAttribute("skipped"))).isPositive();
        assertThat(((Element) skipped.item(0)).getAttribute("message")).isNotEmpty();
    }

    @Test
    void markdownReportForTech(@TempDir Path dir)
            throws IOException
    {
        Path report = dir.resolve("regress.md");
        CliRun run = CliRun.of("test", "--arch", "i386", "--ncpu", "2", "--exit-model", "direct", "--report", report.toString());
        assertThat(run.exitCode()).isZero();
        String md = Files.readString(report);
        assertThat(md)
                .startsWith("# fugu regress: SUCCESS")
                .contains("## Machines", "| i386 | PAE (3-level, NX) |", "## Results", "| wait4-status | ok 1/1 |")
                .contains("## Exit models on `configure` (2 CPUs, 1G, seed 1)", "| metric | reaper | purge | direct |")
                .contains("| reaper switches |", "| context switches per exit |")
                .contains("fugu ", "JVM ")
                .contains("fugu test --arch i386 --ncpu 2 --exit-model direct --report");
    }

    @Test
    void failuresAreReported()
    {
        RegressRunner runner = new RegressRunner(new Runs(Plugins.createInjector()), 1);
        RegressResult.RegressMachine machine = new RegressResult.RegressMachine("i386", 2, ExitModel.DIRECT);

        RegressScenario wrongExpect = RegressScenario.parse("wrong", "# description: wrong status\nproc main { fork a; wait; expect exited 3 }\nproc a { exit 4 }\n");
        RegressResult result = runner.run(wrongExpect, machine);
        assertThat(result.status()).isEqualTo(RegressResult.Status.FAIL);
        assertThat(result.message()).contains("1 expect(s) failed");
        assertThat(TestCommand.line(result)).startsWith("wrong ....").contains("FAIL");

        RegressScenario noPanic = RegressScenario.parse("nopanic", "# description: no bug\n# expect-panic: stale-tlb\nproc main { fork a; wait }\nproc a { exit 0 }\n");
        assertThat(runner.run(noPanic, machine).message()).isEqualTo("expected panic stale-tlb, but the run was clean");

        RegressScenario otherPanic = RegressScenario.parse("other",
                "# description: d\n# options: --inject early-stack-free\n# expect-panic: stale-tlb direct\nproc main { fork kid; wait }\nproc kid { touch 4 }\n");
        assertThat(runner.run(otherPanic, machine).message()).startsWith("expected panic stale-tlb, got panic: stack-freed-on-cpu");

        RegressScenario unexpectedPanic = RegressScenario.parse("unexpected",
                "# description: d\n# options: --inject early-stack-free\nproc main { fork kid; wait }\nproc kid { touch 4 }\n");
        RegressResult panicked = runner.run(unexpectedPanic, machine);
        assertThat(panicked.status()).isEqualTo(RegressResult.Status.FAIL);
        assertThat(panicked.message()).startsWith("panic: stack-freed-on-cpu");
    }

    @Test
    void scenarioHeaders()
    {
        RegressScenario scenario = RegressScenario.parse("s", """
                # description: something to check
                # options: --maxproc 20 --mem 64M
                # min-ncpu: 2
                # expect-panic: stale-tlb reaper,direct
                proc main { exit 0 }
                """);
        assertThat(scenario.description()).isEqualTo("something to check");
        assertThat(scenario.options()).containsExactly("--maxproc", "20", "--mem", "64M");
        assertThat(scenario.minNcpu()).isEqualTo(2);
        assertThat(scenario.expectedPanic()).isEqualTo(Optional.of("stale-tlb"));
        assertThat(scenario.panicModels()).isEqualTo(Set.of(ExitModel.REAPER, ExitModel.DIRECT));
        assertThat(scenario.panicsUnder(ExitModel.PURGE)).isFalse();

        assertThatThrownBy(() -> RegressScenario.parse("s", "proc main { exit 0 }\n"))
                .isInstanceOf(UsageException.class).hasMessageContaining("description");
        assertThatThrownBy(() -> RegressScenario.parse("s", "# description: d\n# options: --arch amd64\nproc main { exit 0 }\n"))
                .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.location()).isEqualTo("regress/s.fw:2:12: "));
        assertThatThrownBy(() -> RegressScenario.parse("s", "# description: d\n# expect-panic: x sometimes\nproc main { exit 0 }\n"))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown exit model");
    }

    @Test
    void everyShippedScenarioIsListedParsedAndDescribed()
            throws IOException
    {
        List<String> files;
        try (Stream<Path> paths = Files.list(SCENARIO_DIRECTORY)) {
            files = paths.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".fw"))
                    .map(name -> name.substring(0, name.length() - 3))
                    .sorted()
                    .toList();
        }
        List<RegressScenario> scenarios = RegressScenario.builtin();
        assertThat(scenarios).extracting(RegressScenario::name).containsExactlyInAnyOrderElementsOf(files);
        for (RegressScenario scenario : scenarios) {
            assertThat(scenario.description()).as(scenario.name()).isNotBlank();
            assertThat(RegressRunner.flags(scenario, new RegressResult.RegressMachine("i386", 2, ExitModel.DIRECT), 1)).isNotNull();
        }
        // One scenario per injected bug.
        assertThat(scenarios).flatExtracting(RegressScenario::options).contains(
                "early-stack-free", "kqueue-rwlock", "missed-shootdown", "stale-ci-proc-pmap", "kqueue-rwlock,no-assertwaitok");
    }
}
