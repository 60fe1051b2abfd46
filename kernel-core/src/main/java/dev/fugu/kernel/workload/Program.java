package dev.fugu.kernel.workload;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One {@code proc NAME { ... }} of a workload: its AST and its compiled instructions.
 * <p>
 * The compiled form is a flat {@code long[]}, {@link #STRIDE} longs per instruction:
 * {@code [opcode ordinal, A, B, position]} (see {@link Opcode} for A and B; the position of the
 * statement packed as {@code line << 32 | column}, see {@link #unpackPosition(long)}).
 * {@code repeat N { body }} compiles to {@code REPEAT N slot; body; END_REPEAT head slot}, the
 * loop counters living in the cursor, one slot per nesting depth; repeats with nothing inside
 * are dropped. Program references are indices into {@link Workload#programs()}.
 */
public final class Program
{
    public static final int STRIDE = 4;
    public static final int OPCODE = 0;
    public static final int A = 1;
    public static final int B = 2;
    public static final int POSITION = 3;

    private final String name;
    private final int index;
    private final Position position;
    private final List<Statement> body;
    // Shared with WorkloadCursor without copying; never mutated after construction.
    final long[] code;
    final Statement[] statements;
    private final int loopDepth;

    Program(String name, int index, Position position, List<Statement> body, long[] code, Statement[] statements, int loopDepth)
    {
        this.name = requireNonNull(name, "name is null");
        this.index = index;
        this.position = requireNonNull(position, "position is null");
        this.body = List.copyOf(requireNonNull(body, "body is null"));
        this.code = requireNonNull(code, "code is null");
        this.statements = requireNonNull(statements, "statements is null");
        this.loopDepth = loopDepth;
    }

    public String name()
    {
        return name;
    }

    /** Index in {@link Workload#programs()}, as compiled references use it. */
    public int index()
    {
        return index;
    }

    /** Where the program's name is in the file. */
    public Position position()
    {
        return position;
    }

    public List<Statement> body()
    {
        return body;
    }

    /** A copy of the compiled instructions. */
    public long[] code()
    {
        return code.clone();
    }

    public int instructionCount()
    {
        return code.length / STRIDE;
    }

    static long packPosition(Position position)
    {
        return ((long) position.line() << 32) | position.column();
    }

    public static Position unpackPosition(long packed)
    {
        return new Position((int) (packed >>> 32), (int) packed);
    }

    /** The statement instruction {@code instruction} was compiled from (a Repeat for loop heads and tails). */
    public Statement statementAt(int instruction)
    {
        return statements[instruction];
    }

    /** Deepest nesting of repeat loops: the counter slots a cursor needs. */
    public int loopDepth()
    {
        return loopDepth;
    }

    /** The AST in canonical source form. */
    public String toSource()
    {
        StringBuilder out = new StringBuilder("proc ").append(name).append(" {\n");
        for (Statement statement : body) {
            out.append("  ").append(statement.toSource().replace("\n", "\n  ")).append('\n');
        }
        return out.append("}\n").toString();
    }

    /** The instructions one a line, {@code index: OPCODE A B @line:col}, for tests and debugging. */
    public String disassemble()
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < instructionCount(); i++) {
            int base = i * STRIDE;
            out.append(i).append(": ").append(Opcode.of(code[base + OPCODE]))
                    .append(' ').append(code[base + A])
                    .append(' ').append(code[base + B])
                    .append(" @").append(statements[i].position())
                    .append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString()
    {
        return "Program{" + name + ", " + instructionCount() + " instructions, code=" + Arrays.toString(code) + "}";
    }
}
