package dev.fugu.kernel.workload;

import java.util.random.RandomGenerator;

import static java.util.Objects.checkIndex;
import static java.util.Objects.requireNonNull;

/**
 * Where one simulated thread is in its program: the thread's interpreter state. The kernel asks
 * {@link #next()} what the thread does next and then reads that statement's operands; it owns
 * every process semantic (what fork, wait or exit mean). This class owns control flow only:
 * sequencing, repeat loops and drawing range operands. Not thread-safe; allocation-free per step.
 * <p>
 * When {@code next()} returns {@link Opcode#END} the program has ended: for a process's initial
 * program or one started by exec that is {@code _exit(0)}, for a program started by
 * {@code thread} it is {@code __threxit} — the kernel's call.
 */
public final class WorkloadCursor
{
    private static final Opcode[] OPCODES = Opcode.values();

    private final Workload workload;
    private final RandomGenerator random;
    private final long[] counters;
    private Program program;
    private long[] code;
    private int pc;
    // Base index in code of the statement last returned; -1 before the first and after END.
    private int current = -1;
    private Opcode currentOpcode = Opcode.END;
    private long amount;

    WorkloadCursor(Workload workload, int program, RandomGenerator random)
    {
        this.workload = requireNonNull(workload, "workload is null");
        this.random = requireNonNull(random, "random is null");
        this.counters = new long[workload.maxLoopDepth()];
        start(program);
    }

    /** Models the image switch of execve: the thread starts {@code program} from its beginning. */
    public void exec(int program)
    {
        start(program);
    }

    private void start(int programIndex)
    {
        checkIndex(programIndex, workload.programs().size());
        this.program = workload.program(programIndex);
        this.code = program.code;
        this.pc = 0;
        this.current = -1;
        this.currentOpcode = Opcode.END;
    }

    /**
     * Advances to the next statement and returns its opcode, never REPEAT or END_REPEAT;
     * {@link Opcode#END} once the program has ended (and on every later call).
     */
    public Opcode next()
    {
        long[] code = this.code;
        int length = code.length / Program.STRIDE;
        while (pc < length) {
            int base = pc * Program.STRIDE;
            Opcode opcode = OPCODES[(int) code[base]];
            if (opcode == Opcode.REPEAT) {
                counters[(int) code[base + Program.B]] = code[base + Program.A];
                pc++;
                continue;
            }
            if (opcode == Opcode.END_REPEAT) {
                int slot = (int) code[base + Program.B];
                if (--counters[slot] > 0) {
                    pc = (int) code[base + Program.A] + 1;
                }
                else {
                    pc++;
                }
                continue;
            }
            pc++;
            current = base;
            currentOpcode = opcode;
            if (opcode.takesAmount()) {
                long low = code[base + Program.A];
                long high = code[base + Program.B];
                // Fixed amounts never draw, so workloads without ranges leave the random stream alone.
                amount = low == high ? low : random.nextLong(low, high + 1);
            }
            return opcode;
        }
        current = -1;
        currentOpcode = Opcode.END;
        return Opcode.END;
    }

    /** Index of the program this thread runs now. */
    public int programIndex()
    {
        return program.index();
    }

    public Program program()
    {
        return program;
    }

    /** The opcode last returned by {@link #next()}. */
    public Opcode opcode()
    {
        return currentOpcode;
    }

    /** The statement last returned, with its position, for messages (e.g. a failed expect). */
    public Statement statement()
    {
        checkStatement();
        return program.statements[current / Program.STRIDE];
    }

    /** Cycles of COMPUTE/SLEEP or pages of TOUCH/READ/WRITE, drawn if the operand is a range. */
    public long amount()
    {
        check(currentOpcode.takesAmount());
        return amount;
    }

    /** Program index a FORK, SPAWN, EXEC or THREAD refers to. */
    public int targetProgram()
    {
        check(currentOpcode.referencesProgram());
        return (int) code[current + (currentOpcode == Opcode.SPAWN ? Program.B : Program.A)];
    }

    /** Children of SPAWN or events of KEVENT. */
    public long count()
    {
        check(currentOpcode == Opcode.SPAWN || currentOpcode == Opcode.KEVENT);
        return code[current + Program.A];
    }

    public int exitCode()
    {
        check(currentOpcode == Opcode.EXIT);
        return (int) code[current + Program.A];
    }

    /** WAIT with WNOHANG. */
    public boolean nohang()
    {
        check(currentOpcode == Opcode.WAIT);
        return code[current + Program.A] != 0;
    }

    /** Target of KILL or WATCH. */
    public Target target()
    {
        check(currentOpcode == Opcode.KILL || currentOpcode == Opcode.WATCH);
        return code[current + Program.A] == 0 ? Target.LAST : Target.ALL;
    }

    /** Signal number of KILL. */
    public int signal()
    {
        check(currentOpcode == Opcode.KILL);
        return (int) code[current + Program.B];
    }

    public ExpectKind expectKind()
    {
        check(currentOpcode == Opcode.EXPECT);
        return ExpectKind.values()[(int) code[current + Program.A]];
    }

    /** Exit code, signal or event count of EXPECT; 0 for kinds without an operand. */
    public long expectValue()
    {
        check(currentOpcode == Opcode.EXPECT);
        return code[current + Program.B];
    }

    private void checkStatement()
    {
        if (current < 0) {
            throw new IllegalStateException("no current statement");
        }
    }

    private void check(boolean applies)
    {
        checkStatement();
        if (!applies) {
            throw new IllegalStateException("operand does not apply to " + currentOpcode);
        }
    }
}
