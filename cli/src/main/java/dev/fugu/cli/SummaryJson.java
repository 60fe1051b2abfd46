package dev.fugu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fugu.kernel.stats.RunSummary;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A run's summary as the JSON object of DESIGN 3; keys in a fixed order so that equal runs give
 * byte-identical output.
 */
final class SummaryJson
{
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private SummaryJson()
    {
    }

    static ObjectNode toNode(RunSummary summary)
    {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("arch", summary.arch());
        ObjectNode options = root.putObject("arch_options");
        for (Map.Entry<String, String> option : summary.archOptions().entrySet()) {
            options.put(option.getKey(), option.getValue());
        }
        root.put("ncpu", summary.ncpu());
        root.put("mem_bytes", summary.memBytes());
        root.put("seed", summary.seed());
        root.put("paging", summary.paging());
        root.put("clock_mhz", summary.clockMhz());
        root.put("sim_cycles", summary.simCycles());
        root.put("sim_seconds", summary.simSeconds());
        ObjectNode tlb = root.putObject("tlb");
        tlb.put("flushes", summary.tlbFlushes());
        tlb.put("invalidations", summary.tlbInvalidations());
        tlb.put("shootdown_ipis", summary.shootdownIpis());
        ObjectNode cpu = root.putObject("cpu");
        cpu.put("sys_cycles", summary.sysCycles());
        ObjectNode memory = root.putObject("memory");
        memory.put("frames_total", summary.framesTotal());
        memory.put("frames_free_at_end", summary.framesFreeAtEnd());
        return root;
    }

    static String toJson(RunSummary summary)
    {
        try {
            return MAPPER.writeValueAsString(toNode(summary));
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
