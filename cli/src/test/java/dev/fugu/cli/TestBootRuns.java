package dev.fugu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fugu boot} running workloads: exit codes for a failed expect, the time limit, a bad
 * workload file and a kernel panic, and the JSON's field set.
 */
class TestBootRuns
{
    @TempDir
    Path dir;

    private Path workload(String text)
            throws IOException
    {
        Path file = dir.resolve("w.fw");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void badWorkloadFileIsFileLineColumnAndNothingRuns()
            throws IOException
    {
        Path file = workload("proc main {\n  fork nosuch\n}\n");
        CliRun run = CliRun.of("boot", "--workload", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith(file + ":2:8: ").doesNotContain("\n");
        assertThat(run.out()).doesNotContain("cpu0 at mainbus0");
    }

    @Test
    void unknownWorkloadIsAUsageError()
    {
        CliRun run = CliRun.of("boot", "--workload", "no-such-workload");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--workload 'no-such-workload'");
    }

    @Test
    void failedExpectExitsOne()
            throws IOException
    {
        Path file = workload("proc main { fork kid; wait; expect exited 1 }\nproc kid { exit 2 }\n");
        CliRun run = CliRun.of("boot", "--workload", file.toString(), "--ncpu", "2");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(file + ":1:29: expect exited 1 failed", "got exited 2");
    }

    @Test
    void maxSimSecondsStopsTheRunWithExitOne()
            throws IOException
    {
        Path file = workload("proc main { fork spin; wait }\nproc spin { compute 1000000000000 }\n");
        CliRun run = CliRun.of("boot", "--workload", file.toString(), "--max-sim-seconds", "0.01");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--max-sim-seconds");
    }

    @Test
    void panicExitsThreeWithInvariantAndReplay()
    {
        CliRun run = CliRun.of("boot", "--ncpu", "2", "--inject", "early-stack-free", "--workload", "configure");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("panic: stack-freed-on-cpu", "cpu ", "simulated time",
                "replay: fugu boot --ncpu 2 --inject early-stack-free --workload configure --seed 1");
    }

    @Test
    void exitSwitchNeedsDirect()
    {
        CliRun run = CliRun.of("boot", "--exit-model", "reaper", "--exit-switch", "mi_switch");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--exit-switch");
    }

    @Test
    void jsonHasEveryDesignField()
            throws Exception
    {
        CliRun run = CliRun.of("boot", "--json", "--ncpu", "2", "--workload", "orphans", "--exit-model", "reaper");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = SummaryJson.MAPPER.readTree(run.out());
        for (String field : new String[] {"arch", "arch_options", "ncpu", "mem_bytes", "exit_model", "exit_switch", "seed",
                "workload", "sim_cycles", "sim_seconds", "trace_hash", "ps"}) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        assertThat(json.get("exit_switch").asText()).isEqualTo("none");
        for (String path : new String[] {"processes/forked", "processes/exited", "processes/reaped", "processes/zapped",
                "processes/max_live", "processes/zombies_at_end", "processes/fork_eagain", "threads/created", "threads/exited",
                "context_switches/total", "context_switches/per_exit", "context_switches/by_cause/preempt",
                "context_switches/by_cause/sleep", "context_switches/by_cause/yield", "context_switches/by_cause/exit",
                "context_switches/by_cause/reaper", "context_switches/by_cause/idle", "exit/latency_cycles/mean",
                "exit/latency_cycles/p50", "exit/latency_cycles/p99", "exit/latency_cycles/max", "teardown/pages_freed",
                "teardown/ptes_cleared", "teardown/ptp_freed", "teardown/stack_pages_freed", "teardown/cycles",
                "teardown/cpu_spread", "teardown/max_parallel", "tlb/flushes", "tlb/invalidations", "tlb/shootdown_ipis",
                "locks/kernel_lock/acquires", "locks/kernel_lock/contended", "locks/kernel_lock/spin_cycles",
                "locks/fpageq/acquires", "locks/fpageq/contended", "locks/fpageq/spin_cycles", "cpu/user_cycles",
                "cpu/sys_cycles", "cpu/spin_cycles", "cpu/idle_cycles", "accounting/exit_sys_cycles",
                "memory/frames_total", "memory/frames_free_at_end", "memory/leaked_frames", "memory/oom_kills",
                "memory/pcp_hits", "memory/pcp_misses", "memory/pcp_cached_at_end",
                "checks/invariants_checked", "checks/violations", "expects/passed", "expects/failed", "host/wall_ms",
                "host/lifecycles_per_sec"}) {
            JsonNode node = json.at("/" + path);
            assertThat(node.isMissingNode() || node.isNull()).as(path).isFalse();
            assertThat(node.isNumber()).as(path).isTrue();
        }
        assertThat(json.at("/processes/forked").asLong())
                .isEqualTo(json.at("/processes/reaped").asLong() + json.at("/processes/zapped").asLong());
    }

    @Test
    void sameCommandSameJsonApartFromHost()
            throws Exception
    {
        String[] args = {"boot", "--json", "--ncpu", "4", "--workload", "storm", "--arch", "arm64"};
        JsonNode first = SummaryJson.MAPPER.readTree(CliRun.of(args).out());
        JsonNode second = SummaryJson.MAPPER.readTree(CliRun.of(args).out());
        ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("host");
        ((com.fasterxml.jackson.databind.node.ObjectNode) second).remove("host");
        assertThat(first).isEqualTo(second);
    }

    @Test
    void traceFileIsTraceEventJsonWithEveryCpuTrack()
            throws Exception
    {
        Path trace = dir.resolve("out.trace.json");
        CliRun run = CliRun.of("boot", "--ncpu", "4", "--workload", "orphans", "--trace", trace.toString(), "-q");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = SummaryJson.MAPPER.readTree(trace.toFile());
        JsonNode events = json.get("traceEvents");
        assertThat(events.isArray()).isTrue();
        for (int cpu = 0; cpu < 4; cpu++) {
            int id = cpu;
            boolean named = false;
            boolean ran = false;
            for (JsonNode event : events) {
                named |= event.get("ph").asText().equals("M") && event.path("tid").asInt(-1) == id
                        && event.at("/args/name").asText().equals("cpu" + id);
                ran |= event.get("ph").asText().equals("X") && event.get("tid").asInt() == id && event.get("dur").asDouble() > 0;
            }
            assertThat(named).as("thread_name cpu%d", id).isTrue();
            assertThat(ran).as("complete events on cpu%d", id).isTrue();
        }
        boolean exitPhase = false;
        boolean instant = false;
        for (JsonNode event : events) {
            assertThat(event.get("pid").asInt()).isZero();
            assertThat(event.has("name")).isTrue();
            exitPhase |= event.get("ph").asText().equals("X") && event.path("cat").asText().equals("exit");
            instant |= event.get("ph").asText().equals("i");
        }
        assertThat(exitPhase).as("exit phases as complete events").isTrue();
        assertThat(instant).as("TLB flushes or IPIs as instants").isTrue();
    }
}
