package dev.fugu.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestArchsCommand
{
    @Test
    void listsTheThreePluginsWithTheirOptions()
    {
        CliRun run = CliRun.of("archs");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("amd64 ", "arm64 ", "i386 ", "nopcid", "nopae", "asid8", "MAXCPUS");
    }

    @Test
    void costsListsEveryArchTable()
    {
        CliRun run = CliRun.of("archs", "--costs");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().split("md\\.ttb\\.load", -1)).hasSize(4);
    }

    @Test
    void unknownArchIsAUsageError()
    {
        CliRun run = CliRun.of("archs", "--arch", "vax");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown architecture 'vax'");
    }

    @Test
    void completionScriptIsGenerated()
    {
        CliRun run = CliRun.of("generate-completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F", "fugu");
    }
}
