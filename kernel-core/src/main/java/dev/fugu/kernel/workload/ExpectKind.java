package dev.fugu.kernel.workload;

import java.util.Locale;

/**
 * What an {@code expect} statement checks, against the result of the most recent {@code wait}
 * (exited, signaled, echild, none), {@code kevent} (events) or fork/spawn (eagain).
 */
public enum ExpectKind
{
    /** The child just reaped called _exit with this code (operand: 0..255). */
    EXITED,
    /** The child just reaped was killed by this signal (operand: 1..31). */
    SIGNALED,
    /** The last wait found no children. */
    ECHILD,
    /** The last {@code wait nohang} found no child ready. */
    NONE,
    /** The last kevent returned this many events (operand: 1..10^7). */
    EVENTS,
    /** The last fork or spawn failed with EAGAIN (it hit --maxproc). */
    EAGAIN;

    public String keyword()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean hasOperand()
    {
        return this == EXITED || this == SIGNALED || this == EVENTS;
    }
}
