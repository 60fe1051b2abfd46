package dev.fugu.kernel.workload;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Feeds seeded random mutations of valid workloads to the parser: each must parse or fail with a
 * {@link WorkloadException} pointing into the file, never with another exception. Capped by
 * iteration count (a few seconds at most); longer fuzzing is a matter of raising ITERATIONS.
 */
public class TestWorkloadFuzz
{
    private static final int ITERATIONS = 6_000;
    private static final long SEED = 20251125;

    private static final String[] FRAGMENTS = {
            "{", "}", ";", "\n", "\r\n", "#", " ", "\t", "..", "_", "$", "${", "}", "${jobs}", "${nosuch}", "${scale",
            "proc", "proc main {", "proc x {", "main", "x", "repeat", "repeat 3 {", "compute", "touch", "read", "write",
            "fork", "spawn", "exec", "thread", "exit", "texit", "wait", "nohang", "waitall", "kill", "last", "all",
            "nocldwait", "sleep", "watch", "kevent", "ps", "expect", "exited", "signaled", "echild", "none", "events",
            "eagain", "SIGKILL", "THR", "SIGTHR", "0", "1", "-1", "31", "32", "255", "256", "16777216", "16777217",
            "1000000000000", "1000000000001", "10000000", "10000001", "9223372036854775807", "9223372036854775808",
            "99999999999999999999999999999999999999999", "1..", "..1", "5..3", "1..2..3", "é", "\u0000", "\u00a0",
    };

    private static final String[] SEEDS = {
            """
            proc main {
              repeat 200 {
                fork sh
                wait
                expect exited 0
              }
            }
            proc sh { touch 64; write 16; compute 20000; exec cc }
            proc cc { touch 400; compute 2000000; exit 0 }
            """,
            """
            # param: n=3
            proc main { nocldwait; spawn ${n} w; watch all; kevent ${n}; expect events ${n}; waitall; expect echild
              repeat 2 { repeat 3 { thread t; kill last TERM; wait nohang; expect none } }
              ps; sleep 1..10; exit 255 }
            proc w { read 1..16777216; texit }
            proc t { expect signaled SIGKILL; expect eagain; kill all 9 }
            """,
    };

    @Test
    public void testMutationsFailOnlyWithWorkloadException()
    {
        List<String> corpus = new ArrayList<>(Arrays.asList(SEEDS));
        for (String name : Workloads.BUILTINS) {
            corpus.add(Workloads.builtinSource(name).orElseThrow());
        }
        SplittableRandom random = new SplittableRandom(SEED);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String source = corpus.get(random.nextInt(corpus.size()));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                source = mutate(source, random);
            }
            Map<String, String> parameters = random.nextInt(4) == 0
                    ? Map.of("jobs", FRAGMENTS[random.nextInt(FRAGMENTS.length)], "n", FRAGMENTS[random.nextInt(FRAGMENTS.length)])
                    : Map.of();
            try {
                Workload workload = WorkloadParser.parse("fuzz", "fuzz.fw", source, parameters);
                parsed++;
                runEveryProgram(workload, random);
            }
            catch (WorkloadException e) {
                rejected++;
                assertPointsIntoFile(e, source);
            }
            catch (RuntimeException | StackOverflowError e) {
                fail("unexpected " + e + " for parameters " + parameters + " and source:\n" + source, e);
            }
        }
        // the mutations must exercise both outcomes
        assertThat(parsed).isGreaterThan(ITERATIONS / 50);
        assertThat(rejected).isGreaterThan(ITERATIONS / 2);
    }

    private static void runEveryProgram(Workload workload, SplittableRandom random)
    {
        for (Program program : workload.programs()) {
            WorkloadCursor cursor = workload.cursor(program.index(), random);
            for (int step = 0; step < 2_000 && cursor.next() != Opcode.END; step++) {
                assertThat(cursor.statement()).isNotNull();
            }
        }
    }

    private static void assertPointsIntoFile(WorkloadException e, String source)
    {
        assertThat(e.getMessage()).startsWith("fuzz.fw:" + e.line() + ":" + e.column() + ": ");
        assertThat(e.detail()).isNotBlank().doesNotContain("\n");
        String[] lines = source.split("\n", -1);
        assertThat(e.line()).as(e.getMessage()).isBetween(1, lines.length);
        assertThat(e.column()).as(e.getMessage()).isBetween(1, lines[e.line() - 1].length() + 1);
    }

    private static String mutate(String source, SplittableRandom random)
    {
        int at = source.isEmpty() ? 0 : random.nextInt(source.length() + 1);
        switch (random.nextInt(6)) {
            case 0: {
                // delete a short span
                int end = Math.min(source.length(), at + 1 + random.nextInt(8));
                return source.substring(0, at) + source.substring(end);
            }
            case 1:
            case 2:
                // insert a fragment
                return source.substring(0, at) + FRAGMENTS[random.nextInt(FRAGMENTS.length)] + source.substring(at);
            case 3: {
                // replace a word with a fragment
                String[] words = source.split("(?<=\\s)|(?=\\s)", -1);
                if (words.length == 0) {
                    return source;
                }
                words[random.nextInt(words.length)] = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
                return String.join("", words);
            }
            case 4: {
                // duplicate or drop a line
                List<String> lines = new ArrayList<>(Arrays.asList(source.split("\n", -1)));
                int line = random.nextInt(lines.size());
                if (random.nextBoolean()) {
                    lines.add(line, lines.get(line));
                }
                else {
                    lines.remove(line);
                }
                return String.join("\n", lines);
            }
            default: {
                // swap two lines
                List<String> lines = new ArrayList<>(Arrays.asList(source.split("\n", -1)));
                int a = random.nextInt(lines.size());
                int b = random.nextInt(lines.size());
                String line = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, line);
                return String.join("\n", lines);
            }
        }
    }
}
