package dev.fugu.kernel.workload;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class TestWorkloadCursor
{
    private static Workload parse(String source)
            throws WorkloadException
    {
        return WorkloadParser.parse("t", "t.fw", source);
    }

    /** Runs a cursor to END, returning each statement as its source text (amounts drawn). */
    private static List<String> run(WorkloadCursor cursor)
    {
        List<String> trace = new ArrayList<>();
        for (Opcode opcode = cursor.next(); opcode != Opcode.END; opcode = cursor.next()) {
            trace.add(opcode.takesAmount() ? opcode + " " + cursor.amount() : cursor.statement().toSource());
        }
        return trace;
    }

    @Test
    public void testNestedRepeatCounts()
            throws WorkloadException
    {
        Workload workload = parse("""
                proc main {
                  ps
                  repeat 3 {
                    compute 1
                    repeat 4 {
                      touch 2
                      repeat 5 { read 3 }
                    }
                    repeat 2 { write 4 }
                  }
                  exit 0
                }
                """);
        WorkloadCursor cursor = workload.cursor(workload.main(), new SplittableRandom(1));
        Map<Opcode, Integer> counts = new HashMap<>();
        List<Opcode> order = new ArrayList<>();
        for (Opcode opcode = cursor.next(); opcode != Opcode.END; opcode = cursor.next()) {
            counts.merge(opcode, 1, Integer::sum);
            order.add(opcode);
        }
        assertThat(counts).isEqualTo(Map.of(
                Opcode.PS, 1,
                Opcode.COMPUTE, 3,
                Opcode.TOUCH, 12,
                Opcode.READ, 60,
                Opcode.WRITE, 6,
                Opcode.EXIT, 1));
        assertThat(order.get(0)).isEqualTo(Opcode.PS);
        assertThat(order.get(order.size() - 1)).isEqualTo(Opcode.EXIT);
        // one outer iteration: compute, 4 x (touch, 5 reads), 2 writes
        List<Opcode> iteration = new ArrayList<>();
        iteration.add(Opcode.COMPUTE);
        for (int i = 0; i < 4; i++) {
            iteration.add(Opcode.TOUCH);
            for (int j = 0; j < 5; j++) {
                iteration.add(Opcode.READ);
            }
        }
        iteration.add(Opcode.WRITE);
        iteration.add(Opcode.WRITE);
        assertThat(order.subList(1, 1 + iteration.size())).isEqualTo(iteration);
        assertThat(order.subList(1 + iteration.size(), 1 + 2 * iteration.size())).isEqualTo(iteration);
        assertThat(order).hasSize(2 + 3 * iteration.size());

        // END repeats
        assertThat(cursor.next()).isEqualTo(Opcode.END);
        assertThat(cursor.opcode()).isEqualTo(Opcode.END);
    }

    @Test
    public void testLargeCountsAndRepeatOfOne()
            throws WorkloadException
    {
        Workload workload = parse("proc main { repeat 1000 { repeat 1000 { compute 1 } }; repeat 1 { ps } }");
        WorkloadCursor cursor = workload.cursor(0, new SplittableRandom(1));
        long computes = 0;
        long ps = 0;
        for (Opcode opcode = cursor.next(); opcode != Opcode.END; opcode = cursor.next()) {
            if (opcode == Opcode.COMPUTE) {
                computes++;
            }
            else if (opcode == Opcode.PS) {
                ps++;
            }
        }
        assertThat(computes).isEqualTo(1_000_000);
        assertThat(ps).isEqualTo(1);
    }

    @Test
    public void testOperands()
            throws WorkloadException
    {
        Workload workload = parse("""
                proc main {
                  fork a; spawn 7 b; exec a; thread b
                  exit 9; texit; wait; wait nohang; waitall
                  kill all TERM; watch last; kevent 3; nocldwait; ps
                  expect exited 4; expect signaled HUP; expect none
                }
                proc a { }
                proc b { }
                """);
        WorkloadCursor cursor = workload.cursor(workload.main(), new SplittableRandom(1));
        assertThat(cursor.next()).isEqualTo(Opcode.FORK);
        assertThat(cursor.targetProgram()).isEqualTo(1);
        assertThat(cursor.next()).isEqualTo(Opcode.SPAWN);
        assertThat(cursor.count()).isEqualTo(7);
        assertThat(cursor.targetProgram()).isEqualTo(2);
        assertThat(cursor.next()).isEqualTo(Opcode.EXEC);
        assertThat(cursor.targetProgram()).isEqualTo(1);
        assertThat(cursor.next()).isEqualTo(Opcode.THREAD);
        assertThat(cursor.targetProgram()).isEqualTo(2);
        assertThat(cursor.next()).isEqualTo(Opcode.EXIT);
        assertThat(cursor.exitCode()).isEqualTo(9);
        assertThat(cursor.next()).isEqualTo(Opcode.TEXIT);
        assertThat(cursor.next()).isEqualTo(Opcode.WAIT);
        assertThat(cursor.nohang()).isFalse();
        assertThat(cursor.next()).isEqualTo(Opcode.WAIT);
        assertThat(cursor.nohang()).isTrue();
        assertThat(cursor.next()).isEqualTo(Opcode.WAITALL);
        assertThat(cursor.next()).isEqualTo(Opcode.KILL);
        assertThat(cursor.target()).isEqualTo(Target.ALL);
        assertThat(cursor.signal()).isEqualTo(15);
        assertThat(cursor.next()).isEqualTo(Opcode.WATCH);
        assertThat(cursor.target()).isEqualTo(Target.LAST);
        assertThat(cursor.next()).isEqualTo(Opcode.KEVENT);
        assertThat(cursor.count()).isEqualTo(3);
        assertThat(cursor.next()).isEqualTo(Opcode.NOCLDWAIT);
        assertThat(cursor.next()).isEqualTo(Opcode.PS);
        assertThat(cursor.statement()).isEqualTo(new Statement.Ps(new Position(4, 51)));
        assertThat(cursor.next()).isEqualTo(Opcode.EXPECT);
        assertThat(cursor.expectKind()).isEqualTo(ExpectKind.EXITED);
        assertThat(cursor.expectValue()).isEqualTo(4);
        assertThat(cursor.next()).isEqualTo(Opcode.EXPECT);
        assertThat(cursor.expectKind()).isEqualTo(ExpectKind.SIGNALED);
        assertThat(cursor.expectValue()).isEqualTo(1);
        assertThat(cursor.next()).isEqualTo(Opcode.EXPECT);
        assertThat(cursor.expectKind()).isEqualTo(ExpectKind.NONE);
        assertThatThrownBy(cursor::amount).isInstanceOf(IllegalStateException.class);
        assertThat(cursor.next()).isEqualTo(Opcode.END);
        assertThatThrownBy(cursor::statement).isInstanceOf(IllegalStateException.class);
    }

    @Test
    public void testExecRestartsAtAnotherProgram()
            throws WorkloadException
    {
        Workload workload = parse("proc main { repeat 3 { ps }; exec cc; compute 5 }\nproc cc { touch 4; exit 0 }\n");
        WorkloadCursor cursor = workload.cursor(workload.main(), new SplittableRandom(1));
        assertThat(cursor.next()).isEqualTo(Opcode.PS);
        assertThat(cursor.next()).isEqualTo(Opcode.PS);
        assertThat(cursor.next()).isEqualTo(Opcode.PS);
        assertThat(cursor.next()).isEqualTo(Opcode.EXEC);
        // the kernel does the exec, then points the thread at the new image
        cursor.exec(cursor.targetProgram());
        assertThat(cursor.programIndex()).isEqualTo(1);
        assertThat(cursor.program().name()).isEqualTo("cc");
        assertThat(run(cursor)).containsExactly("TOUCH 4", "exit 0");
        assertThatThrownBy(() -> cursor.exec(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    public void testRangesDrawFromTheSuppliedGenerator()
            throws WorkloadException
    {
        Workload workload = parse("proc main { repeat 200 { compute 10..20; touch 1..3; sleep 5 } }");
        List<String> first = run(workload.cursor(0, new SplittableRandom(42)));
        List<String> same = run(workload.cursor(0, new SplittableRandom(42)));
        List<String> other = run(workload.cursor(0, new SplittableRandom(43)));
        assertThat(first).hasSize(600).isEqualTo(same).isNotEqualTo(other);
        assertThat(first).filteredOn(s -> s.startsWith("COMPUTE"))
                .extracting(s -> Long.parseLong(s.substring(8)))
                .allMatch(value -> value >= 10 && value <= 20)
                .contains(10L, 20L);
        assertThat(first).filteredOn(s -> s.startsWith("TOUCH"))
                .extracting(s -> Long.parseLong(s.substring(6)))
                .containsOnly(1L, 2L, 3L);
        assertThat(first).filteredOn(s -> s.startsWith("SLEEP")).containsOnly("SLEEP 5");
    }

    @Test
    public void testFixedAmountsNeverDraw()
            throws WorkloadException
    {
        RandomGenerator refuses = new RandomGenerator()
        {
            @Override
            public long nextLong()
            {
                throw new AssertionError("drew a random number for a fixed amount");
            }
        };
        Workload workload = parse("proc main { compute 5; touch 6; read 7; write 8; sleep 9 }");
        assertThat(run(workload.cursor(0, refuses))).containsExactly("COMPUTE 5", "TOUCH 6", "READ 7", "WRITE 8", "SLEEP 9");
    }

    @Test
    public void testEmptyProgramEndsAtOnce()
            throws WorkloadException
    {
        Workload workload = parse("proc main { repeat 5 { } }");
        WorkloadCursor cursor = workload.cursor(0, new SplittableRandom(1));
        assertThat(cursor.next()).isEqualTo(Opcode.END);
        assertThat(cursor.next()).isEqualTo(Opcode.END);
    }
}
