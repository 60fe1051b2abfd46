package dev.fugu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits: --maxproc bounds a fork bomb, running out of memory kills and frees, --max-sim-seconds
 * stops a run that never ends, and numbers past the language's ranges never reach a run.
 */
class TestLimits
{
    @TempDir
    Path dir;

    private Path workload(String text)
            throws IOException
    {
        Path file = dir.resolve("limits.fw");
        Files.writeString(file, text);
        return file;
    }

    private static JsonNode json(CliRun run)
            throws IOException
    {
        return SummaryJson.MAPPER.readTree(run.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "i386"})
    void forkBombBoundedByMaxprocGetsEagainAndEnds(String arch)
            throws IOException
    {
        // Every level forks as much as it can; acyclic, so the bomb is three levels deep.
        Path file = workload("""
                proc main { spawn 40 a; expect eagain; waitall }
                proc a { spawn 40 b; waitall }
                proc b { spawn 40 c; waitall }
                proc c { touch 4; sleep 100000 }
                """);
        CliRun run = CliRun.of("boot", "--json", "--arch", arch, "--ncpu", "2", "--mem", "256M", "--maxproc", "30", "--workload", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = json(run);
        assertThat(json.at("/processes/fork_eagain").asLong()).isPositive();
        assertThat(json.at("/processes/max_live").asLong()).isLessThanOrEqualTo(30);
        assertThat(json.at("/processes/forked").asLong()).isEqualTo(json.at("/processes/reaped").asLong());
        assertThat(json.at("/processes/zombies_at_end").asLong()).isZero();
        assertThat(json.at("/memory/leaked_frames").asLong()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "i386"})
    void memoryExhaustionKillsAsUvmDoesAndLeaksNothing(String arch)
            throws IOException
    {
        Path file = workload("""
                proc main { spawn 6 hog; waitall; expect signaled KILL; fork small; wait; expect exited 0 }
                proc hog { repeat 20 { touch 1000; compute 10000 } }
                proc small { touch 10 }
                """);
        CliRun run = CliRun.of("boot", "--json", "--arch", arch, "--ncpu", "2", "--mem", "64M", "--workload", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = json(run);
        assertThat(json.at("/memory/oom_kills").asLong()).isPositive();
        assertThat(json.at("/memory/leaked_frames").asLong()).isZero();
        assertThat(json.at("/processes/forked").asLong()).isEqualTo(json.at("/processes/reaped").asLong()).isEqualTo(8);
        assertThat(json.at("/processes/zombies_at_end").asLong()).isZero();
        assertThat(json.at("/expects/passed").asLong()).isEqualTo(2);
    }

    @Test
    void runThatNeverEndsStopsAtMaxSimSeconds()
            throws IOException
    {
        Path file = workload("proc main { spawn 3 s; repeat 10000000 { compute 1000000000000 } }\nproc s { sleep 1000000000000 }\n");
        CliRun run = CliRun.of("boot", "--arch", "i386", "--ncpu", "2", "--max-sim-seconds", "2", "--workload", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("fugu: stopped at --max-sim-seconds").doesNotContain("Exception");
    }

    @Test
    void aKilledSleepersTimerDoesNotStopAFinishedRun()
            throws IOException
    {
        Path file = workload("proc main { fork s; sleep 1000; kill last; wait; expect signaled KILL }\nproc s { sleep 1000000000000 }\n");
        CliRun run = CliRun.of("boot", "--quiet", "--arch", "i386", "--ncpu", "2", "--max-sim-seconds", "60", "--workload", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "compute 1000000000001     | 2:11",
            "sleep 99999999999999999999 | 2:9",
            "touch 16777217            | 2:9",
            "repeat 10000001 { compute 1 } | 2:10",
            "spawn 10000001 main       | 2:9",
            "kevent 10000001           | 2:10",
            "exit 256                  | 2:8",
            "kill last 32              | 2:13",
            "compute 0                 | 2:11",
            "touch -5                  | 2:9",
    })
    void hugeNumbersAreRejectedAtParseTime(String statement, String lineColumn)
            throws IOException
    {
        Path file = workload("proc main {\n  " + statement.strip() + "\n}\n");
        CliRun run = CliRun.of("boot", "--arch", "i386", "--workload", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith(file + ":" + lineColumn.strip() + ": ").doesNotContain("\n");
        assertThat(run.out()).as("nothing ran").doesNotContain("cpu0 at mainbus0");
    }
}
