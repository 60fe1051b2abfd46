package dev.fugu.kernel.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

public class TestWorkloadErrors
{
    private static WorkloadException error(String source)
    {
        return error(source, Map.of());
    }

    private static WorkloadException error(String source, Map<String, String> parameters)
    {
        WorkloadException e = catchThrowableOfType(WorkloadException.class, () -> WorkloadParser.parse("t", "t.fw", source, parameters));
        assertThat(e).as("expected an error for:\n%s", source).isNotNull();
        return e;
    }

    private static void assertError(String source, int line, int column, String detail)
    {
        assertError(source, Map.of(), line, column, detail);
    }

    private static void assertError(String source, Map<String, String> parameters, int line, int column, String detail)
    {
        WorkloadException e = error(source, parameters);
        assertThat(e.getMessage()).isEqualTo("t.fw:" + line + ":" + column + ": " + e.detail());
        assertThat(e.file()).isEqualTo("t.fw");
        assertThat(e.line()).as("line of %s", e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as("column of %s", e.getMessage()).isEqualTo(column);
        assertThat(e.detail()).isEqualTo(detail);
    }

    /** {@code proc main {} } with one statement on line 2 starting at column 3. */
    private static void assertStatementError(String statement, int column, String detail)
    {
        assertError("proc main {\n  " + statement + "\n}\nproc x { }\n", 2, column, detail);
    }

    @Test
    public void testUnknownStatement()
    {
        assertStatementError("frob 3", 3, "unknown statement 'frob'");
        assertStatementError("ps; Fork x", 7, "unknown statement 'Fork'");
        assertStatementError("{", 3, "unexpected '{' (blocks open with 'proc NAME {' or 'repeat N {')");
    }

    @Test
    public void testTopLevel()
    {
        assertError("fork x\n", 1, 1, "statement 'fork' outside a program (write it inside 'proc NAME { ... }')");
        assertError("\n\n  hello\n", 3, 3, "expected 'proc NAME {', found 'hello'");
        assertError("proc main { }\n}\n", 2, 1, "stray '}' with no open '{'");
        assertError("proc main { ps } }\n", 1, 18, "stray '}' with no open '{'");
        assertError("proc main { repeat 2 { ps } } }\n", 1, 31, "stray '}' with no open '{'");
        assertError("{\n", 1, 1, "stray '{' (blocks open with 'proc NAME {' or 'repeat N {')");
    }

    @Test
    public void testProcHeader()
    {
        assertError("proc\n", 1, 1, "proc: missing program name");
        assertError("proc {\n", 1, 1, "proc: missing program name");
        assertError("proc 9lives { }\n", 1, 6, "proc: bad program name '9lives' (letters, digits, '_' and '-', not starting with a digit)");
        assertError("proc main\n{ }\n", 1, 6, "proc main: expected '{' after the name, found end of line");
        assertError("proc main x { }\n", 1, 11, "proc main: expected '{' after the name, found 'x'");
    }

    @Test
    public void testDuplicateProgram()
    {
        assertError("proc main { }\nproc a { }\n  proc a { ps }\n", 3, 8, "duplicate program 'a' (first defined at 2:6)");
    }

    @Test
    public void testUnknownProgram()
    {
        assertStatementError("fork nosuch", 8, "unknown program 'nosuch'");
        assertStatementError("spawn 2 nosuch", 11, "unknown program 'nosuch'");
        assertStatementError("exec nosuch", 8, "unknown program 'nosuch'");
        assertStatementError("thread nosuch", 10, "unknown program 'nosuch'");
        // in an unused program, inside a repeat
        assertError("proc main { }\nproc a {\n  repeat 2 {\n    fork b\n  }\n}\n", 4, 10, "unknown program 'b'");
        assertStatementError("fork 2x", 8, "fork: bad program name '2x'");
    }

    @Test
    public void testMissingBrace()
    {
        assertError("proc main {\n  ps\n", 1, 11, "missing '}': the '{' of proc main opened here is still open at end of file");
        assertError("proc main {\n  repeat 3 {\n    ps\n}\n", 1, 11, "missing '}': the '{' of proc main opened here is still open at end of file");
        assertError("proc main {\n  repeat 3 {\n    ps\n", 2, 12, "missing '}': the '{' of repeat opened here is still open at end of file");
        assertError("proc main {\n  ps\nproc a { }\n", 1, 11, "missing '}': the '{' of proc main opened here is still open at the 'proc' on line 3");
        assertStatementError("repeat 3", 3, "repeat: expected '{' after the count on the same line, found end of line");
        assertStatementError("repeat 3 ps", 12, "repeat: expected '{' after the count on the same line, found 'ps'");
    }

    @Test
    public void testMissingOperand()
    {
        assertStatementError("compute", 3, "compute: missing operand CYCLES");
        assertStatementError("sleep ; ps", 3, "sleep: missing operand CYCLES");
        assertStatementError("touch", 3, "touch: missing operand PAGES");
        assertStatementError("read", 3, "read: missing operand PAGES");
        assertStatementError("write", 3, "write: missing operand PAGES");
        assertStatementError("fork", 3, "fork: missing operand PROG");
        assertStatementError("spawn", 3, "spawn: missing operand N");
        assertStatementError("spawn 3", 3, "spawn: missing operand PROG");
        assertStatementError("exec", 3, "exec: missing operand PROG");
        assertStatementError("thread", 3, "thread: missing operand PROG");
        assertStatementError("exit", 3, "exit: missing operand CODE");
        assertStatementError("kill", 3, "kill: missing operand last|all");
        assertStatementError("watch", 3, "watch: missing operand last|all");
        assertStatementError("kevent", 3, "kevent: missing operand N");
        assertStatementError("repeat { ps }", 3, "repeat: missing operand N");
        assertStatementError("expect", 3, "expect: missing operand exited CODE|signaled SIG|echild|none|events N|eagain");
        assertStatementError("expect exited", 3, "expect: missing operand CODE");
        assertStatementError("expect signaled", 3, "expect: missing operand SIG");
        assertStatementError("expect events", 3, "expect: missing operand N");
    }

    @Test
    public void testTrailingGarbage()
    {
        assertStatementError("ps now", 6, "trailing garbage 'now' after 'ps' (one statement a line, or separate them with ';')");
        assertStatementError("compute 5 6", 13, "trailing garbage '6' after 'compute' (one statement a line, or separate them with ';')");
        assertStatementError("kill last 9 9", 15, "trailing garbage '9' after 'kill' (one statement a line, or separate them with ';')");
        assertStatementError("expect echild 0", 17, "trailing garbage '0' after 'expect' (one statement a line, or separate them with ';')");
        assertStatementError("repeat 2 { ps } ps", 19, "trailing garbage 'ps' after '}' (one statement a line, or separate them with ';')");
        assertError("proc main { } proc x { }\n", 1, 15, "trailing garbage 'proc' after '}' (one statement a line, or separate them with ';')");
        assertStatementError("wait 5", 8, "wait: expected 'nohang' or the end of the statement, found '5'");
        assertStatementError("kill some", 8, "kill: expected 'last' or 'all', found 'some'");
        assertStatementError("watch 3", 9, "watch: expected 'last' or 'all', found '3'");
        assertStatementError("expect crashed", 10, "expect: unknown result 'crashed' (expected exited, signaled, echild, none, events or eagain)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "compute 0|11|compute: 0 is out of range 1..1000000000000 for CYCLES",
            "compute 1000000000001|11|compute: 1000000000001 is out of range 1..1000000000000 for CYCLES",
            "sleep 0|9|sleep: 0 is out of range 1..1000000000000 for CYCLES",
            "sleep 1000000000001|9|sleep: 1000000000001 is out of range 1..1000000000000 for CYCLES",
            "touch 0|9|touch: 0 is out of range 1..16777216 for PAGES",
            "touch 16777217|9|touch: 16777217 is out of range 1..16777216 for PAGES",
            "read 16777217|8|read: 16777217 is out of range 1..16777216 for PAGES",
            "write 0|9|write: 0 is out of range 1..16777216 for PAGES",
            "repeat 0 { ps }|10|repeat: 0 is out of range 1..10000000 for N",
            "repeat 10000001 { ps }|10|repeat: 10000001 is out of range 1..10000000 for N",
            "spawn 0 x|9|spawn: 0 is out of range 1..10000000 for N",
            "spawn 10000001 x|9|spawn: 10000001 is out of range 1..10000000 for N",
            "kevent 0|10|kevent: 0 is out of range 1..10000000 for N",
            "kevent 10000001|10|kevent: 10000001 is out of range 1..10000000 for N",
            "exit 256|8|exit: 256 is out of range 0..255 for CODE",
            "expect exited 256|17|expect: 256 is out of range 0..255 for CODE",
            "expect events 0|17|expect: 0 is out of range 1..10000000 for N",
            "expect events 10000001|17|expect: 10000001 is out of range 1..10000000 for N",
            "kill last 0|13|kill: 0 is out of range 1..31 for SIGNAL",
            "kill last 32|13|kill: 32 is out of range 1..31 for SIGNAL",
            "expect signaled 32|19|expect: 32 is out of range 1..31 for SIGNAL",
            "kill all SIGTHR|12|kill: SIGTHR (32) is out of range 1..31",
            "compute 1234567890123456789012345678901234567890|11|compute: 1234567890123456789012345678901234567890 is out of range 1..1000000000000 for CYCLES",
            "exit 99999999999999999999999999999999999999|8|exit: 99999999999999999999999999999999999999 is out of range 0..255 for CODE",
            "touch 1..16777217|12|touch: 16777217 is out of range 1..16777216 for PAGES",
            "touch 0..5|9|touch: 0 is out of range 1..16777216 for PAGES",
            "compute 9..3|11|compute: empty range '9..3' (LO must not be above HI)",
    })
    public void testOutOfRange(String statement, int column, String detail)
    {
        assertStatementError(statement, column, detail);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "compute x|11|compute: bad number 'x' for CYCLES (expected 1..1000000000000)",
            "compute -5|11|compute: bad number '-5' for CYCLES (expected 1..1000000000000)",
            "compute 1e6|11|compute: bad number '1e6' for CYCLES (expected 1..1000000000000)",
            "compute 0x10|11|compute: bad number '0x10' for CYCLES (expected 1..1000000000000)",
            "compute 1__0|11|compute: bad number '1__0' for CYCLES (expected 1..1000000000000)",
            "compute _1|11|compute: bad number '_1' for CYCLES (expected 1..1000000000000)",
            "compute 1..|13|compute: range '1..' lacks a number for CYCLES (expected LO..HI)",
            "compute ..5|11|compute: range '..5' lacks a number for CYCLES (expected LO..HI)",
            "compute 1..2..3|14|compute: bad number '2..3' for CYCLES (expected 1..1000000000000)",
            "exit 1..2|8|exit: bad number '1..2' for CODE (expected 0..255)",
            "exit -1|8|exit: bad number '-1' for CODE (expected 0..255)",
            "expect exited -1|17|expect: bad number '-1' for CODE (expected 0..255)",
            "spawn x y|9|spawn: bad number 'x' for N (expected 1..10000000)",
            "kill last FOO|13|kill: unknown signal 'FOO' (a number 1..31 or a name such as KILL or SIGTERM)",
            "kill last 9x|13|kill: bad number '9x' for SIGNAL (expected 1..31)",
            "expect signaled SIGFOO|19|expect: unknown signal 'SIGFOO' (a number 1..31 or a name such as KILL or SIGTERM)",
    })
    public void testBadNumber(String statement, int column, String detail)
    {
        assertStatementError(statement, column, detail);
    }

    @Test
    public void testNoMain()
    {
        assertError("proc a { }\n", 1, 1, "no 'proc main' in file (main is the program the workload starts with)");
        assertError("", 1, 1, "no 'proc main' in file (main is the program the workload starts with)");
        assertError("# only a comment\n", 1, 1, "no 'proc main' in file (main is the program the workload starts with)");
    }

    @Test
    public void testCycles()
    {
        assertError("proc main {\n  fork main\n}\n", 2, 8, "cycle main -> main (a program that can reach itself never ends)");
        assertError("proc main { ps }\nproc a { exec a }\n", 2, 15, "cycle a -> a (a program that can reach itself never ends)");
        // among programs main never reaches
        assertError("proc main { ps }\nproc a { fork b }\nproc b {\n  repeat 2 { thread c }\n}\nproc c { spawn 2 a }\n", 6, 18,
                "cycle a -> b -> c -> a (a program that can reach itself never ends)");
        // the cycle is closed where the search, in file order, first comes back
        assertError("proc main { fork a }\nproc a { fork b; fork c }\nproc b { ps }\nproc c { exec a }\n", 4, 15,
                "cycle a -> c -> a (a program that can reach itself never ends)");
        assertError("proc main { fork a }\nproc a { fork b }\nproc b { exec main }\n", 3, 15,
                "cycle main -> a -> b -> main (a program that can reach itself never ends)");
    }

    @Test
    public void testLongChainsAndDeepNesting()
            throws WorkloadException
    {
        // 20,000 programs in a chain: no recursion over programs, so no stack overflow
        StringBuilder chain = new StringBuilder("proc main { fork p0 }\n");
        for (int i = 0; i < 20_000; i++) {
            chain.append("proc p").append(i).append(" { fork p").append(i + 1).append(" }\n");
        }
        assertThat(WorkloadParser.parse("t", "t.fw", chain + "proc p20000 { ps }\n").programs()).hasSize(20_002);
        assertError(chain + "proc p20000 { exec p0 }\n", 20_002, 20,
                "cycle p0 -> p1 -> p2 -> p3 -> p4 -> ... -> p19997 -> p19998 -> p19999 -> p20000 -> p0, 20001 programs (a program that can reach itself never ends)");

        String nested64 = "repeat 2 { ".repeat(64) + "ps" + " }".repeat(64);
        assertThat(WorkloadParser.parse("t", "t.fw", "proc main { " + nested64 + " }\n").maxLoopDepth()).isEqualTo(64);
        String nested65 = "repeat 2 { ".repeat(65) + "ps" + " }".repeat(65);
        assertError("proc main { " + nested65 + " }\n", 1, 13 + 64 * 11, "repeat: nested deeper than 64 levels");
        // far deeper than any stack would allow: still the same one-line error
        assertError("proc main { " + "repeat 2 { ".repeat(100_000) + "\n", 1, 13 + 64 * 11, "repeat: nested deeper than 64 levels");
    }

    @Test
    public void testSharedProgramsAreNoCycle()
            throws WorkloadException
    {
        // a diamond: two paths to the same program
        WorkloadParser.parse("t", "t.fw", "proc main { fork a; fork b }\nproc a { fork c }\nproc b { exec c }\nproc c { ps }\n");
    }

    @Test
    public void testFirstErrorWins()
    {
        // a syntax error is reported before unknown programs and cycles later in the file
        assertError("proc main { fork nosuch }\nproc a { exec a }\nproc b { compute 0 }\n", 3, 18,
                "compute: 0 is out of range 1..1000000000000 for CYCLES");
        // of two unknown references, the earlier one
        assertError("proc main { fork x; fork y }\n", 1, 18, "unknown program 'x'");
        // unknown references before a missing main
        assertError("proc a { fork x }\n", 1, 15, "unknown program 'x'");
        // placeholder and declaration errors take their turn in source order too
        assertError("proc main {\n  frob\n  compute ${nosuch}\n}\n", 2, 3, "unknown statement 'frob'");
        assertError("proc main {\n  frob; compute ${nosuch}\n}\n", 2, 3, "unknown statement 'frob'");
        assertError("proc main {\n  compute 0\n}\n# param: broken\n", 2, 11, "compute: 0 is out of range 1..1000000000000 for CYCLES");
        assertError("proc main {\n  ps\n}\n# param: broken\n", 4, 10, "bad parameter declaration (expected '# param: NAME=DEFAULT description')");
        assertError("proc main {\n  compute ${nosuch}\n  frob\n}\n", 2, 11, "unknown parameter '${nosuch}' (not given and no '# param: nosuch=DEFAULT' declared)");
    }

    @Test
    public void testPlaceholderErrors()
    {
        String source = "# param: n=3\nproc main {\n  repeat ${n} { ps }\n  spawn ${n} x\n}\nproc x { }\n";
        assertError(source, Map.of("n", "0"), 3, 10, "repeat: 0 is out of range 1..10000000 for N (from ${n}=0)");
        assertError(source, Map.of("n", "abc"), 3, 10, "repeat: bad number 'abc' for N (expected 1..10000000) (from ${n}=abc)");
        assertError(source, Map.of("n", "3 x"), 3, 10, "bad value '3 x' for parameter ${n} (must be one word of letters, digits, '_' or '.')");
        assertError(source, Map.of("n", ""), 3, 10, "bad value '' for parameter ${n} (must be one word of letters, digits, '_' or '.')");
        assertError(source, Map.of("n", "1;exit"), 3, 10, "bad value '1;exit' for parameter ${n} (must be one word of letters, digits, '_' or '.')");
        // a value past the placeholder's end: the range error points into the written text
        assertError("proc main {\n  compute 1..${n}\n}\n", Map.of("n", "0"), 2, 14, "compute: 0 is out of range 1..1000000000000 (from ${n}=0)".replace(" (from", " for CYCLES (from"));
        assertError("proc main {\n  compute ${hi}\n}\n", 2, 11, "unknown parameter '${hi}' (not given and no '# param: hi=DEFAULT' declared)");
        assertError("proc main {\n  compute ${n\n}\n", 2, 11, "unterminated placeholder '${' (expected '${NAME}')");
        assertError("proc main {\n  compute ${1n}\n}\n", 2, 11, "bad placeholder '${1n}'");
        assertError("# param: n\nproc main { }\n", 1, 10, "bad parameter declaration (expected '# param: NAME=DEFAULT description')");
        assertError("# param: n=1\n# param: n=2\nproc main { }\n", 2, 10, "parameter 'n' declared twice");
        // a substituted text after the placeholder keeps its own columns
        assertError("proc main {\n  compute ${n}x\n}\n", Map.of("n", "5"), 2, 11, "compute: bad number '5x' for CYCLES (expected 1..1000000000000) (from ${n}=5)");
    }

    @Test
    public void testColumnsAfterPlaceholder()
    {
        // columns of tokens after a placeholder are those of the file, not of the substituted line
        assertError("proc main {\n  spawn ${n} x; frob\n}\nproc x { }\n", Map.of("n", "1000"), 2, 17, "unknown statement 'frob'");
    }
}
