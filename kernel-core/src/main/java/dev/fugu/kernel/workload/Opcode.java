package dev.fugu.kernel.workload;

import java.util.List;

/**
 * Instructions of the compiled form. Each instruction is {@link Program#STRIDE} longs in
 * {@link Program#code()}: {@code [opcode ordinal, A, B, packed position]}. The operands per
 * opcode are listed on each constant. {@link WorkloadCursor#next()} returns every opcode but
 * {@link #REPEAT} and {@link #END_REPEAT}, which it runs itself.
 */
public enum Opcode
{
    /** A = low, B = high cycles (equal unless a range). */
    COMPUTE,
    /** A = low, B = high pages. */
    TOUCH,
    /** A = low, B = high pages. */
    READ,
    /** A = low, B = high pages. */
    WRITE,
    /** A = low, B = high cycles. */
    SLEEP,
    /** A = program index of the child. */
    FORK,
    /** A = count, B = program index of the children. */
    SPAWN,
    /** A = program index of the new image. */
    EXEC,
    /** A = program index the new thread runs. */
    THREAD,
    /** A = exit code 0..255. */
    EXIT,
    /** No operands. */
    TEXIT,
    /** A = 1 for WNOHANG, else 0. */
    WAIT,
    /** No operands. */
    WAITALL,
    /** A = {@link Target} ordinal, B = signal 1..31. */
    KILL,
    /** No operands. */
    NOCLDWAIT,
    /** A = {@link Target} ordinal. */
    WATCH,
    /** A = number of events to wait for. */
    KEVENT,
    /** No operands. */
    PS,
    /** A = {@link ExpectKind} ordinal, B = value (0 when the kind has none). */
    EXPECT,
    /** Loop head: A = count (at least 1), B = counter slot. Run by the cursor itself. */
    REPEAT,
    /** Loop tail: A = instruction index of the matching REPEAT, B = counter slot. Run by the cursor. */
    END_REPEAT,
    /** Never in code: returned by the cursor when the program has no more statements. */
    END;

    private static final List<Opcode> VALUES = List.of(values());

    public static Opcode of(long ordinal)
    {
        return VALUES.get((int) ordinal);
    }

    /** Whether operands A..B are an {@link Amount} drawn per execution. */
    public boolean takesAmount()
    {
        return this == COMPUTE || this == TOUCH || this == READ || this == WRITE || this == SLEEP;
    }

    /** Whether operand A (SPAWN: B) is a program index. */
    public boolean referencesProgram()
    {
        return this == FORK || this == SPAWN || this == EXEC || this == THREAD;
    }
}
