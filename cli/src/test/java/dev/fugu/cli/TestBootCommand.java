package dev.fugu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TestBootCommand
{
    @Test
    void bootsWithDefaults()
    {
        CliRun run = CliRun.of("boot");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("cpu0 at mainbus0", "cpu3 at mainbus0", "real mem", "avail mem", "paging: 4-level");
        assertThat(run.out()).doesNotContain("cpu4 at mainbus0");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void bootsArm64WithEightCpus()
    {
        CliRun run = CliRun.of("boot", "--arch", "arm64", "--ncpu", "8", "--mem", "2G");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Pattern.compile("^cpu\\d+ at mainbus0", Pattern.MULTILINE).matcher(run.out()).results().count()).isEqualTo(8);
        assertThat(run.out()).contains("paging: 4K granule");
    }

    @Test
    void jsonGoesAloneToStdout()
            throws Exception
    {
        CliRun run = CliRun.of("boot", "--arch", "i386", "--ncpu", "2", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = SummaryJson.MAPPER.readTree(run.out());
        assertThat(json.isObject()).isTrue();
        assertThat(json.get("arch").asText()).isEqualTo("i386");
        assertThat(json.get("ncpu").asInt()).isEqualTo(2);
        assertThat(json.get("arch_options").isObject()).isTrue();
        assertThat(run.err()).contains("cpu1 at mainbus0", "paging: PAE (3-level, NX)");
    }

    @Test
    void i386NopaeBootsTwoLevelPaging()
    {
        CliRun run = CliRun.of("boot", "--arch", "i386", "--arch-opt", "nopae");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("paging: 2-level");
    }

    @Test
    void amd64NopcidBoots()
    {
        CliRun run = CliRun.of("boot", "--arch", "amd64", "--arch-opt", "nopcid");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void sameSeedSameJson()
    {
        CliRun first = CliRun.of("boot", "--arch", "arm64", "--json", "--seed", "9");
        CliRun second = CliRun.of("boot", "--arch", "arm64", "--json", "--seed", "9");
        assertThat(withoutHost(first.out())).isEqualTo(withoutHost(second.out()));
        assertThat(withoutHost(first.out())).contains("\"seed\" : 9");
    }

    private static String withoutHost(String json)
    {
        return json.replaceAll("(?s)\"host\" : \\{[^}]*\\}", "");
    }

    @Test
    void unknownArchIsAUsageError()
    {
        CliRun run = CliRun.of("boot", "--arch", "sparc64");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("fugu: unknown architecture 'sparc64' (known: amd64, arm64, i386)");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--ncpu 0|--ncpu",
            "--ncpu 100000|--ncpu",
            "--ncpu x|--ncpu",
            "--arch i386 --mem 8G|--mem",
            "--mem 1M|--mem",
            "--mem lots|--mem",
            "--arch-opt bogus|--arch-opt",
            "--arch amd64 --arch-opt nopae|--arch-opt",
            "--inject no-such-bug|--inject",
            "--arch i386 --inject stale-ci-proc-pmap|--inject",
            "--cost md.no_such_cost=5|--cost",
            "--cost md.tlb.flush=-5|--cost",
            "--no-such-flag|--no-such-flag",
    })
    void badValuesAreOneLineUsageErrors(String args, String named)
    {
        CliRun run = CliRun.of(("boot " + args).split(" "));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains(named).doesNotContain("Exception", "\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpAndVersionWorkOnEveryCommand()
    {
        for (String command : new String[] {"boot", "archs"}) {
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: fugu " + command, "Examples:");
            CliRun version = CliRun.of(command, "--version");
            assertThat(version.exitCode()).isZero();
            assertThat(version.out()).startsWith("fugu ");
        }
        assertThat(CliRun.of("--version").out()).startsWith("fugu ");
    }

    @Test
    void noCommandIsAUsageError()
    {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(2);
    }
}
