package dev.fugu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same command and seed, same run: identical {@code --json} apart from {@code host.*} and the
 * same {@code trace_hash}, on each arch and exit model; a different seed gives a different schedule.
 */
class TestDeterminism
{
    private static final String WORKLOAD = """
            proc main { spawn 6 kid; watch all; kill all; kevent 6; waitall; repeat 3 { fork tool; wait } }
            proc kid { touch 5..40; thread helper; sleep 1000000000000 }
            proc helper { compute 1000..90000; texit }
            proc tool { touch 8..32; compute 2000..60000; exec cc }
            proc cc { touch 16; write 8; exit 0 }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "amd64, direct", "amd64, reaper",
            "arm64, direct", "arm64, purge",
            "i386, direct", "i386, reaper",
    })
    void sameSeedSameRunDifferentSeedDifferentSchedule(String arch, String model)
            throws IOException
    {
        Path file = dir.resolve("w.fw");
        Files.writeString(file, WORKLOAD);
        JsonNode first = run(arch, model, "5", file);
        JsonNode second = run(arch, model, "5", file);
        assertThat(first.at("/trace_hash").asText()).isNotEmpty().isEqualTo(second.at("/trace_hash").asText());
        assertThat(first).isEqualTo(second);

        JsonNode other = run(arch, model, "6", file);
        assertThat(other.at("/processes/reaped").asLong()).as("the same work").isEqualTo(first.at("/processes/reaped").asLong());
        boolean differs = other.at("/sim_cycles").asLong() != first.at("/sim_cycles").asLong()
                || !other.at("/trace_hash").asText().equals(first.at("/trace_hash").asText());
        assertThat(differs).as("seed 6 schedules differently from seed 5").isTrue();
    }

    private static JsonNode run(String arch, String model, String seed, Path workload)
            throws IOException
    {
        CliRun run = CliRun.of("boot", "--json", "--arch", arch, "--ncpu", "2", "--exit-model", model, "--seed", seed,
                "--workload", workload.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        ObjectNode json = (ObjectNode) SummaryJson.MAPPER.readTree(run.out());
        assertThat(json.has("host")).isTrue();
        json.remove("host");
        return json;
    }
}
