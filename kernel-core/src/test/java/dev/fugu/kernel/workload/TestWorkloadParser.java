package dev.fugu.kernel.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

public class TestWorkloadParser
{
    static Workload parse(String source)
            throws WorkloadException
    {
        return WorkloadParser.parse("t", "t.fw", source);
    }

    /** The single statement of {@code proc main { STATEMENT }} written on line 2, column 3. */
    private static Statement only(String statement, String... otherPrograms)
            throws WorkloadException
    {
        Workload workload = parse("proc main {\n  " + statement + "\n}\n" + String.join("\n", otherPrograms));
        List<Statement> body = workload.program(workload.main()).body();
        assertThat(body).hasSize(1);
        return body.get(0);
    }

    private static Position at(int line, int column)
    {
        return new Position(line, column);
    }

    private static long[] code(String statement, String... otherPrograms)
            throws WorkloadException
    {
        Workload workload = parse("proc main {\n  " + statement + "\n}\n" + String.join("\n", otherPrograms));
        return workload.program(workload.main()).code();
    }

    private static long packed(int line, int column)
    {
        return ((long) line << 32) | column;
    }

    @Test
    public void testMemoryAndTimeStatements()
            throws WorkloadException
    {
        assertThat(only("compute 20000")).isEqualTo(new Statement.Compute(Amount.of(20000), at(2, 3)));
        assertThat(only("touch 64")).isEqualTo(new Statement.Touch(Amount.of(64), at(2, 3)));
        assertThat(only("read 16")).isEqualTo(new Statement.Read(Amount.of(16), at(2, 3)));
        assertThat(only("write 16")).isEqualTo(new Statement.Write(Amount.of(16), at(2, 3)));
        assertThat(only("sleep 1_000")).isEqualTo(new Statement.Sleep(Amount.of(1000), at(2, 3)));
        assertThat(only("compute 10..20")).isEqualTo(new Statement.Compute(new Amount(10, 20), at(2, 3)));

        assertThat(code("compute 20000")).containsExactly(Opcode.COMPUTE.ordinal(), 20000, 20000, packed(2, 3));
        assertThat(code("touch 5..9")).containsExactly(Opcode.TOUCH.ordinal(), 5, 9, packed(2, 3));
        assertThat(code("read 7")).containsExactly(Opcode.READ.ordinal(), 7, 7, packed(2, 3));
        assertThat(code("write 8")).containsExactly(Opcode.WRITE.ordinal(), 8, 8, packed(2, 3));
        assertThat(code("sleep 9")).containsExactly(Opcode.SLEEP.ordinal(), 9, 9, packed(2, 3));
    }

    @Test
    public void testProgramStatements()
            throws WorkloadException
    {
        // main is program 0, sh program 1
        assertThat(only("fork sh", "proc sh { }")).isEqualTo(new Statement.Fork(new Statement.ProgramRef("sh", at(2, 8)), at(2, 3)));
        assertThat(only("spawn 3 sh", "proc sh { }")).isEqualTo(new Statement.Spawn(3, new Statement.ProgramRef("sh", at(2, 11)), at(2, 3)));
        assertThat(only("exec sh", "proc sh { }")).isEqualTo(new Statement.Exec(new Statement.ProgramRef("sh", at(2, 8)), at(2, 3)));
        assertThat(only("thread sh", "proc sh { }")).isEqualTo(new Statement.NewThread(new Statement.ProgramRef("sh", at(2, 10)), at(2, 3)));

        assertThat(code("fork sh", "proc sh { }")).containsExactly(Opcode.FORK.ordinal(), 1, 0, packed(2, 3));
        assertThat(code("spawn 3 sh", "proc sh { }")).containsExactly(Opcode.SPAWN.ordinal(), 3, 1, packed(2, 3));
        assertThat(code("exec sh", "proc sh { }")).containsExactly(Opcode.EXEC.ordinal(), 1, 0, packed(2, 3));
        assertThat(code("thread sh", "proc sh { }")).containsExactly(Opcode.THREAD.ordinal(), 1, 0, packed(2, 3));
    }

    @Test
    public void testProcessStatements()
            throws WorkloadException
    {
        assertThat(only("exit 3")).isEqualTo(new Statement.Exit(3, at(2, 3)));
        assertThat(only("texit")).isEqualTo(new Statement.Texit(at(2, 3)));
        assertThat(only("wait")).isEqualTo(new Statement.Wait(false, at(2, 3)));
        assertThat(only("wait nohang")).isEqualTo(new Statement.Wait(true, at(2, 3)));
        assertThat(only("waitall")).isEqualTo(new Statement.WaitAll(at(2, 3)));
        assertThat(only("kill last")).isEqualTo(new Statement.Kill(Target.LAST, 9, at(2, 3)));
        assertThat(only("kill all TERM")).isEqualTo(new Statement.Kill(Target.ALL, 15, at(2, 3)));
        assertThat(only("nocldwait")).isEqualTo(new Statement.NoCldWait(at(2, 3)));
        assertThat(only("watch last")).isEqualTo(new Statement.Watch(Target.LAST, at(2, 3)));
        assertThat(only("watch all")).isEqualTo(new Statement.Watch(Target.ALL, at(2, 3)));
        assertThat(only("kevent 20")).isEqualTo(new Statement.Kevent(20, at(2, 3)));
        assertThat(only("ps")).isEqualTo(new Statement.Ps(at(2, 3)));

        assertThat(code("exit 3")).containsExactly(Opcode.EXIT.ordinal(), 3, 0, packed(2, 3));
        assertThat(code("texit")).containsExactly(Opcode.TEXIT.ordinal(), 0, 0, packed(2, 3));
        assertThat(code("wait")).containsExactly(Opcode.WAIT.ordinal(), 0, 0, packed(2, 3));
        assertThat(code("wait nohang")).containsExactly(Opcode.WAIT.ordinal(), 1, 0, packed(2, 3));
        assertThat(code("waitall")).containsExactly(Opcode.WAITALL.ordinal(), 0, 0, packed(2, 3));
        assertThat(code("kill last")).containsExactly(Opcode.KILL.ordinal(), Target.LAST.ordinal(), 9, packed(2, 3));
        assertThat(code("kill all SIGHUP")).containsExactly(Opcode.KILL.ordinal(), Target.ALL.ordinal(), 1, packed(2, 3));
        assertThat(code("nocldwait")).containsExactly(Opcode.NOCLDWAIT.ordinal(), 0, 0, packed(2, 3));
        assertThat(code("watch all")).containsExactly(Opcode.WATCH.ordinal(), Target.ALL.ordinal(), 0, packed(2, 3));
        assertThat(code("kevent 20")).containsExactly(Opcode.KEVENT.ordinal(), 20, 0, packed(2, 3));
        assertThat(code("ps")).containsExactly(Opcode.PS.ordinal(), 0, 0, packed(2, 3));
    }

    @Test
    public void testExpect()
            throws WorkloadException
    {
        assertThat(only("expect exited 0")).isEqualTo(new Statement.Expect(ExpectKind.EXITED, 0, at(2, 3)));
        assertThat(only("expect signaled SIGKILL")).isEqualTo(new Statement.Expect(ExpectKind.SIGNALED, 9, at(2, 3)));
        assertThat(only("expect echild")).isEqualTo(new Statement.Expect(ExpectKind.ECHILD, 0, at(2, 3)));
        assertThat(only("expect none")).isEqualTo(new Statement.Expect(ExpectKind.NONE, 0, at(2, 3)));
        assertThat(only("expect events 20")).isEqualTo(new Statement.Expect(ExpectKind.EVENTS, 20, at(2, 3)));
        assertThat(only("expect eagain")).isEqualTo(new Statement.Expect(ExpectKind.EAGAIN, 0, at(2, 3)));

        assertThat(code("expect exited 7")).containsExactly(Opcode.EXPECT.ordinal(), ExpectKind.EXITED.ordinal(), 7, packed(2, 3));
        assertThat(code("expect signaled 15")).containsExactly(Opcode.EXPECT.ordinal(), ExpectKind.SIGNALED.ordinal(), 15, packed(2, 3));
        assertThat(code("expect eagain")).containsExactly(Opcode.EXPECT.ordinal(), ExpectKind.EAGAIN.ordinal(), 0, packed(2, 3));
    }

    @ParameterizedTest
    @CsvSource({"KILL, 9", "SIGKILL, 9", "9, 9", "kill, 9", "HUP, 1", "SIGINT, 2", "TERM, 15", "USR1, 30", "USR2, 31", "SIGCHLD, 20", "INFO, 29", "31, 31", "1, 1"})
    public void testSignalForms(String written, int number)
            throws WorkloadException
    {
        assertThat(only("kill last " + written)).isEqualTo(new Statement.Kill(Target.LAST, number, at(2, 3)));
        assertThat(only("expect signaled " + written)).isEqualTo(new Statement.Expect(ExpectKind.SIGNALED, number, at(2, 3)));
    }

    @Test
    public void testRepeatCompilesToLoop()
            throws WorkloadException
    {
        Workload workload = parse("""
                proc main {
                  repeat 3 {
                    compute 5
                    repeat 2 { ps }
                  }
                  exit 0
                }
                """);
        Program main = workload.program(workload.main());
        assertThat(main.body()).containsExactly(
                new Statement.Repeat(3, List.of(
                        new Statement.Compute(Amount.of(5), at(3, 5)),
                        new Statement.Repeat(2, List.of(new Statement.Ps(at(4, 16))), at(4, 5))), at(2, 3)),
                new Statement.Exit(0, at(6, 3)));
        assertThat(main.disassemble()).isEqualTo("""
                0: REPEAT 3 0 @2:3
                1: COMPUTE 5 5 @3:5
                2: REPEAT 2 1 @4:5
                3: PS 0 0 @4:16
                4: END_REPEAT 2 1 @4:5
                5: END_REPEAT 0 0 @2:3
                6: EXIT 0 0 @6:3
                """);
        assertThat(main.loopDepth()).isEqualTo(2);
        assertThat(workload.maxLoopDepth()).isEqualTo(2);
    }

    @Test
    public void testEmptyRepeatsAreDropped()
            throws WorkloadException
    {
        Workload workload = parse("proc main {\n  repeat 10000000 { repeat 10000000 { } }\n  ps\n}\n");
        assertThat(workload.program(0).body()).hasSize(2);
        assertThat(workload.program(0).disassemble()).isEqualTo("0: PS 0 0 @3:3\n");
    }

    @Test
    public void testDesignExample()
            throws WorkloadException
    {
        Workload workload = parse("""
                proc main {
                  repeat 200 {
                    fork sh          # fork a child that runs program `sh`
                    wait             # wait4(-1): block until a child is reaped
                    expect exited 0  # the status of the child just reaped
                  }
                }
                proc sh {
                  touch 64           # fault in 64 new anonymous pages
                  write 16           # write to 16 existing pages (copy-on-write after fork)
                  compute 20000      # user-mode cycles, no memory access
                  exec cc            # replace the image with program `cc` (new vmspace)
                }
                proc cc { touch 400; compute 2000000; exit 0 }
                """);
        assertThat(workload.programs()).extracting(Program::name).containsExactly("main", "sh", "cc");
        assertThat(workload.main()).isZero();
        assertThat(workload.programIndex("cc")).hasValue(2);
        assertThat(workload.programIndex("nope")).isEmpty();
        assertThat(workload.program(2).body()).containsExactly(
                new Statement.Touch(Amount.of(400), at(14, 11)),
                new Statement.Compute(Amount.of(2000000), at(14, 22)),
                new Statement.Exit(0, at(14, 39)));
        assertThat(workload.toSource()).isEqualTo("""
                proc main {
                  repeat 200 {
                    fork sh
                    wait
                    expect exited 0
                  }
                }
                proc sh {
                  touch 64
                  write 16
                  compute 20000
                  exec cc
                }
                proc cc {
                  touch 400
                  compute 2000000
                  exit 0
                }
                """);
    }

    @Test
    public void testCanonicalSourceParsesToSameCode()
            throws WorkloadException
    {
        Workload workload = parse("""
                proc main { kill all INT; wait nohang; expect none; spawn 2 x; watch all; kevent 2; expect events 2; expect signaled 2
                  repeat 4 { touch 1..16777216 ; sleep 1000000000000 }; nocldwait; waitall; expect echild; expect eagain; ps; texit }
                proc x { thread y; exec y }
                proc y { read 3; write 2..4; exit 255 }
                """);
        Workload again = parse(workload.toSource());
        for (int i = 0; i < workload.programs().size(); i++) {
            assertThat(again.program(i).disassemble().replaceAll("@\\d+:\\d+", ""))
                    .isEqualTo(workload.program(i).disassemble().replaceAll("@\\d+:\\d+", ""));
        }
    }

    @Test
    public void testSeparatorsAndComments()
            throws WorkloadException
    {
        Workload workload = parse("# leading comment\r\n\r\nproc main { ;; ps ; ; ps # trailing; ps\r\n;}\r\n");
        assertThat(workload.program(0).body()).containsExactly(new Statement.Ps(at(3, 16)), new Statement.Ps(at(3, 23)));
        assertThat(parse("proc main {}").program(0).body()).isEmpty();
        assertThat(parse("proc main { repeat 2 { ps } }").program(0).instructionCount()).isEqualTo(3);
    }

    @Test
    public void testDescriptionAndParameters()
            throws WorkloadException
    {
        String source = """
                # description: a small test
                # param: n=3 how many
                # param: pages=8
                proc main { repeat ${n} { touch ${pages}; compute 1${n}0 } }
                """;
        Workload defaults = parse(source);
        assertThat(defaults.description()).hasValue("a small test");
        assertThat(defaults.parameters()).isEqualTo(Map.of("n", "3", "pages", "8"));
        assertThat(defaults.program(0).body()).containsExactly(new Statement.Repeat(3, List.of(
                new Statement.Touch(Amount.of(8), at(4, 27)),
                new Statement.Compute(Amount.of(130), at(4, 43))), at(4, 13)));

        Workload given = WorkloadParser.parse("t", "t.fw", source, Map.of("n", "5", "unused", "1"));
        assertThat(((Statement.Repeat) given.program(0).body().get(0)).count()).isEqualTo(5);
        assertThat(given.source()).isEqualTo(source);
        assertThat(WorkloadParser.declaredParameters(source)).isEqualTo(Map.of("n", "3", "pages", "8"));
        assertThat(parse("proc main {}").description()).isEmpty();
    }

    @Test
    public void testRangeBounds()
            throws WorkloadException
    {
        assertThat(only("compute 1")).isEqualTo(new Statement.Compute(Amount.of(1), at(2, 3)));
        assertThat(only("compute 1000000000000")).isEqualTo(new Statement.Compute(Amount.of(1_000_000_000_000L), at(2, 3)));
        assertThat(only("sleep 1..1000000000000")).isEqualTo(new Statement.Sleep(new Amount(1, 1_000_000_000_000L), at(2, 3)));
        assertThat(only("touch 16777216")).isEqualTo(new Statement.Touch(Amount.of(1 << 24), at(2, 3)));
        assertThat(only("read 1")).isEqualTo(new Statement.Read(Amount.of(1), at(2, 3)));
        assertThat(only("repeat 10000000 { ps }")).isInstanceOf(Statement.Repeat.class);
        assertThat(only("repeat 1 { ps }")).isInstanceOf(Statement.Repeat.class);
        assertThat(only("kevent 10000000")).isEqualTo(new Statement.Kevent(10_000_000, at(2, 3)));
        assertThat(only("kevent 1")).isEqualTo(new Statement.Kevent(1, at(2, 3)));
        assertThat(only("spawn 10000000 x", "proc x { }")).isInstanceOf(Statement.Spawn.class);
        assertThat(only("exit 0")).isEqualTo(new Statement.Exit(0, at(2, 3)));
        assertThat(only("exit 255")).isEqualTo(new Statement.Exit(255, at(2, 3)));
        assertThat(only("expect exited 255")).isEqualTo(new Statement.Expect(ExpectKind.EXITED, 255, at(2, 3)));
        assertThat(only("expect events 10000000")).isEqualTo(new Statement.Expect(ExpectKind.EVENTS, 10_000_000, at(2, 3)));
    }
}
