package dev.fugu.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every command shares: examples in its help, the version naming the build, completion.
 */
class TestOutputsCommands
{
    @Test
    void everyCommandHasExamplesInItsHelp()
    {
        CommandLine fugu = Fugu.commandLine();
        assertThat(fugu.getSubcommands()).containsKeys("boot", "compare", "sweep", "completion", "archs", "workloads");
        for (Map.Entry<String, CommandLine> command : fugu.getSubcommands().entrySet()) {
            if (command.getKey().equals("help")) {
                continue;
            }
            CliRun help = CliRun.of(command.getKey(), "--help");
            assertThat(help.exitCode()).as(command.getKey()).isZero();
            assertThat(help.out()).as(command.getKey()).contains("Usage: fugu " + command.getValue().getCommandName(), "Examples:", "  fugu ");
        }
        assertThat(CliRun.of("--help").out()).contains("Examples:", "fugu compare", "fugu sweep", "completion");
    }

    @Test
    void versionNamesTheBuild()
    {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("fugu ").containsPattern("(?m)^commit \\S+, built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$");
        assertThat(CliRun.of("compare", "--version").out()).isEqualTo(run.out());
    }

    @Test
    void completionPrintsTheScriptUnderBothNames()
    {
        CliRun run = CliRun.of("completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("#!/usr/bin/env bash").contains("complete -F", "compare", "sweep", "--exit-model", "--seeds");
        assertThat(CliRun.of("generate-completion").out()).isEqualTo(run.out());
    }

    @Test
    void progressBarOnlyForAPersonAtATerminal()
    {
        assertThat(Progress.enabled(false, true, Map.of())).isTrue();
        assertThat(Progress.enabled(true, true, Map.of())).isFalse();
        assertThat(Progress.enabled(false, false, Map.of())).isFalse();
        assertThat(Progress.enabled(false, true, Map.of("CI", "true"))).isFalse();
    }
}
