package dev.fugu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fugu.kernel.sched.SwitchCause;
import dev.fugu.kernel.stats.PsRow;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.stats.Teardown;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A run's summary as the JSON object of DESIGN 3 (docs/json.md), keys in a fixed order so equal
 * runs give byte-identical output apart from {@code host.*}.
 */
final class SummaryJson
{
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private SummaryJson()
    {
    }

    static ObjectNode toNode(RunSummary s)
    {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("arch", s.arch());
        ObjectNode options = root.putObject("arch_options");
        for (Map.Entry<String, String> option : s.archOptions().entrySet()) {
            options.put(option.getKey(), option.getValue());
        }
        root.put("ncpu", s.ncpu());
        root.put("mem_bytes", s.memBytes());
        root.put("exit_model", s.exitModel());
        root.put("exit_switch", s.exitSwitch());
        root.put("seed", s.seed());
        root.put("workload", s.workload());
        root.put("paging", s.paging());
        root.put("clock_mhz", s.clockMhz());
        root.put("sim_cycles", s.simCycles());
        root.put("sim_seconds", s.simSeconds());

        ObjectNode processes = root.putObject("processes");
        processes.put("forked", s.processes().forked());
        processes.put("exited", s.processes().exited());
        processes.put("reaped", s.processes().reaped());
        processes.put("zapped", s.processes().zapped());
        processes.put("max_live", s.processes().maxLive());
        processes.put("zombies_at_end", s.processes().zombiesAtEnd());
        processes.put("fork_eagain", s.processes().forkEagain());

        ObjectNode threads = root.putObject("threads");
        threads.put("created", s.threadsCreated());
        threads.put("exited", s.threadsExited());

        ObjectNode switches = root.putObject("context_switches");
        switches.put("total", s.switchesTotal());
        switches.put("per_exit", s.switchesPerExit());
        ObjectNode byCause = switches.putObject("by_cause");
        for (SwitchCause cause : SwitchCause.values()) {
            byCause.put(cause.key(), s.switchesByCause().get(cause));
        }

        ObjectNode latency = root.putObject("exit").putObject("latency_cycles");
        latency.put("mean", s.exitLatency()[0]);
        latency.put("p50", s.exitLatency()[1]);
        latency.put("p99", s.exitLatency()[2]);
        latency.put("max", s.exitLatency()[3]);

        ObjectNode teardown = ledger(root.putObject("teardown"), s.teardown());
        teardown.put("cpu_spread", s.teardownCpuSpread());
        teardown.put("max_parallel", s.teardownMaxParallel());
        ObjectNode exec = ledger(root.putObject("exec"), s.exec());
        exec.put("count", s.execs());

        ObjectNode tlb = root.putObject("tlb");
        tlb.put("flushes", s.tlbFlushes());
        tlb.put("invalidations", s.tlbInvalidations());
        tlb.put("shootdown_ipis", s.shootdownIpis());

        ObjectNode locks = root.putObject("locks");
        lock(locks.putObject("kernel_lock"), s.kernelLock());
        lock(locks.putObject("fpageq"), s.fpageq());

        ObjectNode cpu = root.putObject("cpu");
        cpu.put("user_cycles", s.userCycles());
        cpu.put("sys_cycles", s.sysCycles());
        cpu.put("spin_cycles", s.spinCycles());
        cpu.put("idle_cycles", s.idleCycles());

        root.putObject("accounting").put("exit_sys_cycles", s.exitSysCycles());

        ObjectNode memory = root.putObject("memory");
        memory.put("frames_total", s.framesTotal());
        memory.put("frames_free_at_end", s.framesFreeAtEnd());
        memory.put("leaked_frames", s.leakedFrames());
        memory.put("oom_kills", s.oomKills());
        memory.put("pcp_hits", s.pageCache()[0]);
        memory.put("pcp_misses", s.pageCache()[1]);
        memory.put("pcp_cached_at_end", s.pageCache()[2]);

        ObjectNode checks = root.putObject("checks");
        checks.put("invariants_checked", s.invariantsChecked());
        checks.put("violations", s.violations());

        ObjectNode expects = root.putObject("expects");
        expects.put("passed", s.expectsPassed());
        expects.put("failed", s.expectsFailed());

        ArrayNode ps = root.putArray("ps");
        for (List<PsRow> snapshot : s.ps()) {
            ArrayNode rows = ps.addArray();
            for (PsRow row : snapshot) {
                ObjectNode r = rows.addObject();
                r.put("pid", row.pid());
                r.put("ppid", row.ppid());
                r.put("stat", row.stat());
                r.put("thr", row.threads());
                r.put("rss_kb", row.rssKb());
                r.put("time_us", row.timeUs());
                r.put("command", row.command());
            }
        }
        root.put("trace_hash", s.traceHash());

        ObjectNode host = root.putObject("host");
        host.put("wall_ms", Math.round(s.hostWallMs() * 1000) / 1000.0);
        host.put("lifecycles_per_sec", Math.round(s.lifecyclesPerSecond()));
        return root;
    }

    private static ObjectNode ledger(ObjectNode node, Teardown t)
    {
        node.put("pages_freed", t.pagesFreed());
        node.put("ptes_cleared", t.ptesCleared());
        node.put("ptp_freed", t.ptpFreed());
        node.put("stack_pages_freed", t.stackPagesFreed());
        node.put("cycles", t.cycles());
        return node;
    }

    private static void lock(ObjectNode node, long[] counters)
    {
        node.put("acquires", counters[0]);
        node.put("contended", counters[1]);
        node.put("spin_cycles", counters[2]);
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
