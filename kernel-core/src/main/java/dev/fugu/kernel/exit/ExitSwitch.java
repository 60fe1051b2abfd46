package dev.fugu.kernel.exit;

import java.util.Locale;

/**
 * How a dead thread leaves its CPU at the end of exit1() under {@link ExitModel#DIRECT}.
 */
public enum ExitSwitch
{
    /** sched_toidle(): switch to the idle thread, which then picks the next thread. */
    TOIDLE,
    /** mi_switch(): switch straight to the next runnable thread (the seed's follow-up). */
    MI_SWITCH,
    /** Not applicable: the model is not direct. */
    NONE;

    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
