package dev.fugu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.workload.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import javax.xml.parsers.DocumentBuilderFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestCompareCommand
{
    private static final List<String> VARIANTS = List.of("reaper", "purge", "direct", "direct+mi_switch");

    @Test
    void tableShowsEveryVariantWithDeltasPerCell()
    {
        CliRun run = CliRun.of("compare", "--arch", "i386", "--ncpu", "1,2", "--workload", "storm", "--scale", "3");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("i386, 1 CPU\n", "i386, 2 CPUs\n", "deltas relative to reaper");
        String header = run.out().lines().filter(l -> l.startsWith("metric")).findFirst().orElseThrow();
        assertThat(header.split("\\s+")).containsExactly("metric", "reaper", "purge", "direct", "direct+mi_switch");
        for (Metric metric : Metric.values()) {
            assertThat(run.out()).contains(metric.title());
        }
        // reaper is the baseline: no delta in its column, one per other variant
        String switches = run.out().lines().filter(l -> l.startsWith("switches per exit")).findFirst().orElseThrow();
        assertThat(switches.chars().filter(c -> c == '%').count()).isEqualTo(3);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonHasACellPerArchAndNcpuWithTheFourVariants()
            throws Exception
    {
        CliRun run = CliRun.of("compare", "--arch", "all", "--ncpu", "1,2", "--workload", "storm", "--scale", "2", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = SummaryJson.MAPPER.readTree(run.out());
        assertThat(names(json.get("variants"))).containsExactlyElementsOf(VARIANTS);
        JsonNode cells = json.get("cells");
        List<String> shapes = new ArrayList<>();
        for (JsonNode cell : cells) {
            shapes.add(cell.get("arch").asText() + "/" + cell.get("ncpu").asInt());
            assertThat(names(cell.get("variants").fieldNames())).containsExactlyElementsOf(VARIANTS);
            for (String variant : VARIANTS) {
                JsonNode metrics = cell.get("variants").get(variant).get("metrics");
                for (Metric metric : Metric.values()) {
                    assertThat(metrics.get(metric.key()).isNumber()).as(variant + " " + metric.key()).isTrue();
                }
            }
            JsonNode reaper = cell.get("variants").get("reaper").get("delta_vs_reaper");
            assertThat(reaper.get("teardown_cycles").asDouble()).isZero();
            assertThat(cell.get("variants").get("direct+mi_switch").get("exit_switch").asText()).isEqualTo("mi_switch");
            assertThat(cell.get("variants").get("purge").get("exit_switch").asText()).isEqualTo("none");
        }
        assertThat(shapes).containsExactly("amd64/1", "amd64/2", "arm64/1", "arm64/2", "i386/1", "i386/2");
    }

    @Test
    void sameArgumentsGiveTheSameJson()
    {
        String[] args = {"compare", "--arch", "i386", "--ncpu", "2", "--workload", "storm", "--scale", "2", "--seed", "7", "--json"};
        assertThat(CliRun.of(args).out()).isEqualTo(CliRun.of(args).out());
    }

    @Test
    void svgPlotIsValidXmlWithOneSeriesPerVariantInEveryPanel(@TempDir Path dir)
            throws Exception
    {
        Path svg = dir.resolve("compare.svg");
        CliRun run = CliRun.of("compare", "--arch", "i386", "--ncpu", "1,2", "--workload", "storm", "--scale", "2",
                "--plot", svg.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("plot: " + svg);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // the SVG names the W3C DTD: never fetch it
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = factory.newDocumentBuilder().parse(svg.toFile());
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
        NodeList panels = document.getElementsByTagNameNS(Plots.METADATA_NAMESPACE, "panel");
        assertThat(panels.getLength()).isEqualTo(Metric.values().length);
        for (int i = 0; i < panels.getLength(); i++) {
            NodeList series = ((Element) panels.item(i)).getElementsByTagNameNS(Plots.METADATA_NAMESPACE, "series");
            List<String> names = new ArrayList<>();
            for (int s = 0; s < series.getLength(); s++) {
                names.add(((Element) series.item(s)).getAttribute("name"));
            }
            assertThat(names).containsExactlyElementsOf(VARIANTS);
        }
        assertThat(document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").getLength()).isGreaterThan(100);
    }

    @Test
    void chartsHaveOneSeriesPerVariant(@TempDir Path dir)
            throws Exception
    {
        Path png = dir.resolve("compare.png");
        CliRun run = CliRun.of("compare", "--arch", "i386", "--ncpu", "1", "--workload", "storm", "--scale", "2",
                "--plot", png.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        // --json keeps stdout to the one object
        assertThat(SummaryJson.MAPPER.readTree(run.out()).isObject()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--arch vax | --arch",
            "--arch i386 --ncpu 0 | --ncpu",
            "--arch i386 --ncpu 1,x | --ncpu",
            "--arch i386 --ncpu 999 | --ncpu",
            "--arch i386 --plot out.pdf | --plot",
            "--arch i386 --mem 1K | --mem",
            "--arch i386 --arch-opt bogus | --arch-opt",
            "--arch all --arch-opt bogus | --arch-opt",
            "--arch i386 --pmr-free sometimes | --pmr-free",
            "--arch i386 --pmr-cache maybe | --pmr-cache",
            "--arch i386 --exit-model reaper | --exit-model",
    })
    void badValuesAreOneLineUsageErrors(String args, String named)
    {
        CliRun run = CliRun.of(("compare " + args).split(" "));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains(named).doesNotContain("Exception", "\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void archOptionGoesOnlyToThePlugInThatHasIt()
    {
        CliRun run = CliRun.of("compare", "--arch", "amd64,i386", "--ncpu", "1", "--arch-opt", "nopae", "--workload", "storm",
                "--scale", "1", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void replayLineIsABootOfTheOneMachine()
            throws Exception
    {
        CommandLine commandLine = Fugu.commandLine();
        commandLine.parseArgs("compare", "--arch", "all", "--ncpu=1,2", "--workload", "storm", "--scale", "3", "--json",
                "--plot", "x.svg", "--seed", "9", "-q", "--arch-opt", "nopae");
        CommandSpec spec = commandLine.getSubcommands().get("compare").getCommandSpec();
        MatrixRuns.Job job = new MatrixRuns.Job(new MatrixOptions.Cell("arm64", 2), Variant.DIRECT_MI_SWITCH, 9,
                new MachineConfig("arm64", 2, 1L << 30, 9, Map.of(), Set.of(), Map.of()),
                RunConfig.of(Workloads.loadBuiltin("storm", Map.of()), 1000));
        assertThat(MatrixRuns.replay(spec, job)).isEqualTo(
                "fugu boot --workload storm --scale 3 --arch arm64 --ncpu 2 --exit-model direct --exit-switch mi_switch --seed 9");
    }

    private static List<String> names(JsonNode array)
    {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static List<String> names(java.util.Iterator<String> fields)
    {
        List<String> names = new ArrayList<>();
        fields.forEachRemaining(names::add);
        return names;
    }
}
