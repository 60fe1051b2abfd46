package dev.fugu.kernel.sched;

import java.util.Locale;

/**
 * Why a context switch happened, as the JSON's {@code context_switches.by_cause} counts it. A
 * switch into or out of the reaper thread counts as {@link #REAPER} whatever else caused it;
 * otherwise the cause is why the outgoing thread left the CPU ({@link #IDLE}: the idle thread
 * found work).
 */
public enum SwitchCause
{
    PREEMPT,
    SLEEP,
    YIELD,
    EXIT,
    REAPER,
    IDLE;

    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
