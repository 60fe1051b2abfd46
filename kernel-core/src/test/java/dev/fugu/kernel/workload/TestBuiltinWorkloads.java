package dev.fugu.kernel.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class TestBuiltinWorkloads
{
    static List<String> builtins()
    {
        return Workloads.BUILTINS;
    }

    @ParameterizedTest
    @MethodSource("builtins")
    public void testParsesWithDescriptionAndReachableAcyclicPrograms(String name)
            throws WorkloadException
    {
        Workload workload = Workloads.loadBuiltin(name, Map.of());
        assertThat(workload.name()).isEqualTo(name);
        assertThat(workload.file()).isEqualTo(name + ".fw");
        assertThat(workload.description()).hasValueSatisfying(description -> assertThat(description).isNotBlank());
        assertThat(workload.source()).isEqualTo(Workloads.builtinSource(name).orElseThrow());

        // Every program is reachable from main, and no reachable program can reach itself.
        Set<Integer> reached = new HashSet<>();
        assertAcyclic(workload, workload.main(), new ArrayList<>(), reached);
        assertThat(reached).as("programs reachable from main").hasSize(workload.programs().size());
    }

    private static void assertAcyclic(Workload workload, int program, List<Integer> path, Set<Integer> reached)
    {
        assertThat(path).as("cycle through %s", workload.program(program).name()).doesNotContain(program);
        reached.add(program);
        path.add(program);
        for (int target : references(workload.program(program).body(), workload)) {
            assertAcyclic(workload, target, path, reached);
        }
        path.remove(path.size() - 1);
    }

    private static List<Integer> references(List<Statement> body, Workload workload)
    {
        List<Integer> targets = new ArrayList<>();
        for (Statement statement : body) {
            if (statement instanceof Statement.Repeat repeat) {
                targets.addAll(references(repeat.body(), workload));
            }
            Statement.ProgramRef ref = WorkloadParser.reference(statement);
            if (ref != null) {
                targets.add(workload.programIndex(ref.name()).orElseThrow());
            }
        }
        return targets;
    }

    /** Processes a program creates, itself excluded, as written (every fork succeeds). */
    private static long processes(Workload workload, List<Statement> body, Map<Integer, Long> memo)
    {
        long total = 0;
        for (Statement statement : body) {
            if (statement instanceof Statement.Repeat repeat) {
                total += repeat.count() * processes(workload, repeat.body(), memo);
            }
            else if (statement instanceof Statement.Fork fork) {
                total += 1 + processes(workload, fork.program().name(), memo);
            }
            else if (statement instanceof Statement.Spawn spawn) {
                total += spawn.count() * (1 + processes(workload, spawn.program().name(), memo));
            }
            else if (statement instanceof Statement.NewThread thread) {
                total += processes(workload, thread.program().name(), memo);
            }
            else if (statement instanceof Statement.Exec exec) {
                return total + processes(workload, exec.program().name(), memo);
            }
            else if (statement instanceof Statement.Exit) {
                return total;
            }
        }
        return total;
    }

    private static long processes(Workload workload, String program, Map<Integer, Long> memo)
    {
        int index = workload.programIndex(program).orElseThrow();
        Long known = memo.get(index);
        if (known == null) {
            known = processes(workload, workload.program(index).body(), memo);
            memo.put(index, known);
        }
        return known;
    }

    private static long processes(Workload workload)
    {
        return 1 + processes(workload, Workload.MAIN, new HashMap<>());
    }

    private static long maxTouch(List<Statement> body)
    {
        long max = 0;
        for (Statement statement : body) {
            if (statement instanceof Statement.Repeat repeat) {
                max = Math.max(max, maxTouch(repeat.body()));
            }
            else if (statement instanceof Statement.Touch touch) {
                max = Math.max(max, touch.pages().high());
            }
        }
        return max;
    }

    @ParameterizedTest
    @MethodSource("builtins")
    public void testBoundedSize(String name)
            throws WorkloadException
    {
        Workload workload = Workloads.loadBuiltin(name, Map.of(Workloads.JOBS, "4"));
        // thousands of processes, not millions
        assertThat(processes(workload)).isBetween(10L, 20_000L);
        long touch = workload.programs().stream().mapToLong(program -> maxTouch(program.body())).max().orElseThrow();
        if (name.equals("bigmem")) {
            assertThat(touch).isGreaterThanOrEqualTo(10_000);
        }
        else {
            assertThat(touch).isBetween(10L, 999L);
        }
    }

    @Test
    public void testDesignSizes()
            throws WorkloadException
    {
        Workload configure = Workloads.loadBuiltin("configure", Map.of());
        assertThat(processes(configure)).isGreaterThanOrEqualTo(1_000);
        for (String jobs : List.of("1", "2", "8", "64")) {
            Workload make = Workloads.loadBuiltin("make-kernel", Map.of(Workloads.JOBS, jobs));
            assertThat(make.parameters()).containsEntry(Workloads.JOBS, jobs);
            assertThat(processes(make)).isGreaterThanOrEqualTo(6_000);
        }
        Workload small = Workloads.loadBuiltin("storm", Map.of(Workloads.SCALE, "1"));
        Workload large = Workloads.loadBuiltin("storm", Map.of(Workloads.SCALE, "1000"));
        assertThat(processes(large)).isEqualTo(1 + 1000 * (processes(small) - 1));
    }

    @Test
    public void testMakeKernelKeepsJobsRunning()
            throws WorkloadException
    {
        Workload make = Workloads.loadBuiltin("make-kernel", Map.of(Workloads.JOBS, "8"));
        assertThat(make.program(make.main()).body())
                .filteredOn(Statement.Spawn.class::isInstance)
                .extracting(statement -> ((Statement.Spawn) statement).count())
                .containsExactly(8L);
    }

    @Test
    public void testBadParameterValueIsReportedInTheBuiltin()
    {
        assertThatThrownBy(() -> Workloads.loadBuiltin("make-kernel", Map.of(Workloads.JOBS, "0")))
                .isInstanceOf(WorkloadException.class)
                .hasMessageMatching("make-kernel\\.fw:\\d+:\\d+: spawn: 0 is out of range 1\\.\\.10000000 for N \\(from \\$\\{jobs\\}=0\\)");
    }

    @Test
    public void testList()
    {
        List<BuiltinWorkload> list = Workloads.builtins();
        assertThat(list).extracting(BuiltinWorkload::name)
                .containsExactly("configure", "make-kernel", "threads", "orphans", "kqueue-watch", "bigmem", "faults", "storm");
        assertThat(list).allSatisfy(builtin -> assertThat(builtin.description()).isNotBlank().doesNotContain("\n"));
        assertThat(list).filteredOn(builtin -> builtin.name().equals("make-kernel"))
                .singleElement()
                .satisfies(builtin -> assertThat(builtin.parameters()).containsEntry(Workloads.JOBS, "4"));
        assertThat(list).filteredOn(builtin -> builtin.name().equals("storm"))
                .singleElement()
                .satisfies(builtin -> assertThat(builtin.parameters()).containsEntry(Workloads.SCALE, "100"));
        assertThat(Workloads.builtinSource("nosuch")).isEmpty();
    }

    @Test
    public void testResolve(@TempDir Path directory)
            throws IOException, WorkloadException
    {
        assertThat(Workloads.resolve("orphans", Map.of()).name()).isEqualTo("orphans");

        Path file = directory.resolve("mine.fw");
        Files.writeString(file, "proc main { spawn 2 child; waitall }\nproc child { compute 5 }\n");
        Workload mine = Workloads.resolve(file.toString(), Map.of());
        assertThat(mine.name()).isEqualTo("mine");
        assertThat(mine.file()).isEqualTo(file.toString());

        Path bad = directory.resolve("bad.fw");
        Files.writeString(bad, "proc main {\n  compute 0\n}\n");
        assertThatThrownBy(() -> Workloads.resolve(bad.toString(), Map.of()))
                .isInstanceOf(WorkloadException.class)
                .hasMessage(bad + ":2:11: compute: 0 is out of range 1..1000000000000 for CYCLES");

        assertThatThrownBy(() -> Workloads.resolve(directory.resolve("nosuch").toString(), Map.of()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no such built-in workload (configure, make-kernel");
    }
}
