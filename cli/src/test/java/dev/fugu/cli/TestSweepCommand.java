package dev.fugu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestSweepCommand
{
    @Test
    void everyCellsMeanLiesInItsIntervalAndSeedsMakeSomeIntervalsWide()
            throws Exception
    {
        CliRun run = CliRun.of("sweep", "--arch", "i386", "--ncpu", "1,2", "--seeds", "5", "--workload", "storm", "--scale", "2",
                "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = SummaryJson.MAPPER.readTree(run.out());
        assertThat(json.get("seeds")).hasSize(5);
        JsonNode cells = json.get("cells");
        assertThat(cells).hasSize(2 * 3);
        int wide = 0;
        List<String> models = new ArrayList<>();
        for (JsonNode cell : cells) {
            models.add(cell.get("exit_model").asText());
            assertThat(cell.get("n").asInt()).isEqualTo(5);
            for (Metric metric : Metric.values()) {
                JsonNode m = cell.get("metrics").get(metric.key());
                double mean = m.get("mean").asDouble();
                assertThat(m.get("ci_low").asDouble()).as(metric.key()).isLessThanOrEqualTo(mean);
                assertThat(m.get("ci_high").asDouble()).as(metric.key()).isGreaterThanOrEqualTo(mean);
                if (m.get("ci_low").asDouble() < m.get("ci_high").asDouble()) {
                    wide++;
                }
            }
        }
        assertThat(models).containsExactly("reaper", "purge", "direct", "reaper", "purge", "direct");
        assertThat(wide).isPositive();
        // no progress bar and nothing else on stderr when it is not a terminal
        assertThat(run.err()).isEmpty();
    }

    @Test
    void csvHasAHeaderAndOneRowPerCell(@TempDir Path dir)
            throws Exception
    {
        Path csv = dir.resolve("sweep.csv");
        CliRun run = CliRun.of("sweep", "--arch", "all", "--ncpu", "1", "--exit-model", "reaper,direct+mi_switch", "--seeds", "2",
                "--workload", "storm", "--scale", "2", "--csv", csv.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("arch,ncpu,exit_model,n,exit_latency_mean_mean,exit_latency_mean_ci_low,");
        int columns = lines.get(0).split(",").length;
        assertThat(columns).isEqualTo(4 + 3 * Metric.values().length);
        assertThat(lines).hasSize(1 + 3 * 2);
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line.split(",")).hasSize(columns));
        assertThat(lines.get(1)).startsWith("amd64,1,reaper,2,");
        assertThat(lines.get(2)).startsWith("amd64,1,direct+mi_switch,2,");
        // the text table goes to stdout as well
        assertThat(run.out()).contains("csv: " + csv, "exit_latency_mean");
    }

    @Test
    void plotHasASeriesPerModelAndArch(@TempDir Path dir)
            throws Exception
    {
        Path svg = dir.resolve("sweep.svg");
        CliRun run = CliRun.of("sweep", "--arch", "i386", "--ncpu", "1,2", "--exit-model", "reaper,direct", "--seeds", "2",
                "--workload", "storm", "--scale", "2", "--plot", svg.toString(), "--metric", "switches_per_exit", "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String text = Files.readString(svg);
        assertThat(text).startsWith("<?xml").contains("<svg", "title=\"switches per exit, mean and 95% CI over seeds\"",
                "<fugu:series name=\"reaper i386\"/>", "<fugu:series name=\"direct i386\"/>");
    }

    @Test
    void seedsStartAtSeed()
            throws Exception
    {
        CliRun run = CliRun.of("sweep", "--arch", "i386", "--ncpu", "1", "--exit-model", "direct", "--seed", "40", "--seeds", "2",
                "--workload", "storm", "--scale", "1", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = SummaryJson.MAPPER.readTree(run.out());
        assertThat(json.get("seeds").get(0).asLong()).isEqualTo(40);
        assertThat(json.get("seeds").get(1).asLong()).isEqualTo(41);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--seeds 0 | --seeds",
            "--exit-model reaper,bogus | --exit-model",
            "--metric host_wall_ms | --metric",
            "--plot out.jpg | --plot",
            "--ncpu 1,,2 | --ncpu",
            "--arch i386,vax | --arch",
    })
    void badValuesAreOneLineUsageErrors(String args, String named)
    {
        CliRun run = CliRun.of(("sweep --arch i386 " + args).split(" "));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains(named).doesNotContain("Exception", "\tat ");
        assertThat(run.out()).isEmpty();
    }
}
