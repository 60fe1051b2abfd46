package dev.fugu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TestBenchCommand
{
    /** The host baseline of docs/performance.md: N times fork, touch 16 pages, _exit, waitpid. */
    static final String FORKBENCH_C = """
            #include <stdlib.h>
            #include <string.h>
            #include <sys/mman.h>
            #include <sys/wait.h>
            #include <unistd.h>

            int main(int argc, char **argv)
            {
                long n = argc > 1 ? atol(argv[1]) : 10000;
                long page = sysconf(_SC_PAGESIZE);
                for (long i = 0; i < n; i++) {
                    pid_t pid = fork();
                    if (pid < 0)
                        return 1;
                    if (pid == 0) {
                        char *p = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                        if (p == MAP_FAILED)
                            _exit(1);
                        for (int k = 0; k < 16; k++)
                            p[k * page] = 1;
                        _exit(0);
                    }
                    int status;
                    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        return 1;
                }
                return 0;
            }
            """;

    @Test
    void quickRunsEveryCaseAndPrintsTheJvmAndATable()
    {
        CliRun run = CliRun.of("bench", "--quick");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("JVM flags:", "max heap (-Xmx in force):",
                "lifecycles amd64 4cpu direct", "make-kernel amd64 8cpu direct", "scale amd64 64cpu 2000 live", "cold boot amd64 4cpu direct",
                "matrix arm64 reaper", "matrix i386 purge", "peak heap", "median", "per CPU second",
                "growth lifecycles 2500 to 5000", "growth scale 1000 to 2000", "s for 5000");
    }

    @Test
    void growthTimesEachRunAtHalfAndFullSizeAndReportsTheRatio()
            throws Exception
    {
        CliRun run = CliRun.of("bench", "--quick", "--cases", "growth", "--lifecycles", "3000", "--processes", "800", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode cases = SummaryJson.MAPPER.readTree(run.out()).get("cases");
        assertThat(cases).hasSize(2);
        JsonNode lifecycles = cases.get(0);
        assertThat(lifecycles.get("name").asText()).isEqualTo("growth lifecycles 1500 to 3000");
        assertThat(lifecycles.get("unit").asText()).isEqualTo("x host time");
        assertThat(lifecycles.get("small").asLong()).isEqualTo(1_500);
        assertThat(lifecycles.get("large").asLong()).isEqualTo(3_000);
        JsonNode scale = cases.get(1);
        assertThat(scale.get("name").asText()).isEqualTo("growth scale 400 to 800");
        for (JsonNode growth : cases) {
            // One round: the ratio is that round's full-size time over its half-size time.
            double small = growth.get("small_host_s").asDouble();
            double large = growth.get("large_host_s").asDouble();
            assertThat(small).isPositive();
            assertThat(growth.get("rounds")).hasSize(1);
            assertThat(growth.get("median").asDouble()).isCloseTo(large / small, org.assertj.core.data.Offset.offset(1e-9));
            // The collector's time in each whole run (boot and audit too), and their ratio without it.
            double smallRun = growth.get("small_run_s").asDouble();
            double largeRun = growth.get("large_run_s").asDouble();
            double smallGc = growth.get("small_gc_s").asDouble();
            double largeGc = growth.get("large_gc_s").asDouble();
            assertThat(smallRun).isGreaterThanOrEqualTo(small);
            assertThat(largeRun).isGreaterThanOrEqualTo(large);
            assertThat(smallGc).isBetween(0.0, smallRun);
            assertThat(largeGc).isBetween(0.0, largeRun);
            assertThat(growth.get("ratio_without_gc").asDouble())
                    .isCloseTo((largeRun - largeGc) / (smallRun - smallGc), org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(run.err()).contains("growth lifecycles", "1500: ", "3000: ", "without the collector");
    }

    @Test
    void jsonHasTheJvmAndOneObjectPerCase()
            throws Exception
    {
        CliRun run = CliRun.of("bench", "--quick", "--cases", "lifecycles,scale", "--rounds", "2", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = SummaryJson.MAPPER.readTree(run.out());
        assertThat(root.get("jvm").get("max_heap_bytes").asLong()).isPositive();
        assertThat(root.get("cases")).hasSize(2);
        JsonNode lifecycles = root.get("cases").get(0);
        assertThat(lifecycles.get("unit").asText()).isEqualTo("lifecycles/s");
        assertThat(lifecycles.get("rounds")).hasSize(2);
        assertThat(lifecycles.get("min").asDouble()).isPositive().isLessThanOrEqualTo(lifecycles.get("median").asDouble());
        JsonNode scale = root.get("cases").get(1);
        assertThat(scale.get("max_live").asLong()).isGreaterThanOrEqualTo(2_000);
        assertThat(scale.get("peak_heap_bytes").asLong()).isPositive();
        // Progress goes to stderr so stdout is one JSON object.
        assertThat(run.err()).contains("round 1");
    }

    @Test
    void hostBaselineGivesFugusRateAsAMultipleOfTheHosts()
            throws Exception
    {
        // A stand-in baseline that takes a fixed 0.2 s: its rate is 500 / 0.2 s, about 2,500/s.
        CliRun run = CliRun.of("bench", "--quick", "--cases", "lifecycles", "--lifecycles", "500", "--json",
                "--host-baseline", "sleep 0.2; true");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode cases = SummaryJson.MAPPER.readTree(run.out()).get("cases");
        assertThat(cases).hasSize(2);
        double fugu = cases.get(0).get("median").asDouble();
        JsonNode host = cases.get(1);
        assertThat(host.get("name").asText()).isEqualTo("host baseline: sleep 0.2; true");
        assertThat(host.get("median").asDouble()).isBetween(100.0, 2_600.0);
        assertThat(host.get("fugu_times_host").asDouble()).isCloseTo(fugu / host.get("median").asDouble(), org.assertj.core.data.Offset.offset(0.06));
    }

    @Test
    void coldCaseBootsANewJvmPerRoundAndComparesWithTheHost()
            throws Exception
    {
        CliRun run = CliRun.of("bench", "--quick", "--cases", "lifecycles,cold", "--rounds", "2", "--lifecycles", "2000", "--json",
                "--host-baseline", "sleep 0.2; true");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode cases = SummaryJson.MAPPER.readTree(run.out()).get("cases");
        assertThat(cases).hasSize(3);
        JsonNode cold = cases.get(2);
        assertThat(cold.get("name").asText()).isEqualTo("cold boot amd64 4cpu direct");
        assertThat(cold.get("rounds")).hasSize(2);
        assertThat(cold.get("min").asDouble()).isPositive();
        double host = cases.get(1).get("median").asDouble();
        assertThat(cold.get("fugu_times_host").asDouble()).isCloseTo(cold.get("median").asDouble() / host, org.assertj.core.data.Offset.offset(0.06));
        assertThat(run.err()).contains("cold boot amd64 4cpu direct", "round 2");
    }

    @Test
    void unknownCaseIsAUsageError()
    {
        CliRun run = CliRun.of("bench", "--cases", "lifecycles,bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown case 'bogus'");
    }

    @Test
    void hostBaselineRunsBesideFugu(@TempDir Path dir)
            throws Exception
    {
        Path source = dir.resolve("forkbench.c");
        Files.writeString(source, FORKBENCH_C);
        Path binary = dir.resolve("forkbench");
        boolean compiled;
        try {
            Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString()).inheritIO().start();
            compiled = gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0;
        }
        catch (java.io.IOException e) {
            compiled = false;
        }
        assumeTrue(compiled, "gcc is needed for the host baseline");
        CliRun run = CliRun.of("bench", "--quick", "--cases", "lifecycles", "--lifecycles", "500", "--host-baseline", binary.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("host baseline: " + binary, "times the host's");
    }
}
