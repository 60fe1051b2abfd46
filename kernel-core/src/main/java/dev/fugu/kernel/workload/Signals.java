package dev.fugu.kernel.workload;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * OpenBSD's signal numbers and names, as in sys/sys/signal.h.
 */
public final class Signals
{
    public static final int SIGKILL = 9;
    /** Workloads may name signals 1..NSIG_USABLE only. */
    public static final int MAX_SIGNAL = 31;

    // Index = signal number; SIGTHR (32) exists but is out of the range workloads may use.
    private static final String[] NAMES = {
            null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "EMT", "FPE", "KILL", "BUS", "SEGV", "SYS",
            "PIPE", "ALRM", "TERM", "URG", "STOP", "TSTP", "CONT", "CHLD", "TTIN", "TTOU", "IO", "XCPU",
            "XFSZ", "VTALRM", "PROF", "WINCH", "INFO", "USR1", "USR2", "THR"};

    private Signals()
    {
    }

    /** The number of a signal name, with or without SIG, any case; empty if there is none. */
    public static OptionalInt number(String name)
    {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.startsWith("SIG")) {
            upper = upper.substring(3);
        }
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(upper)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /** {@code SIGKILL} for 9, or the number itself for a signal without a name. */
    public static String name(int signal)
    {
        if (signal >= 1 && signal < NAMES.length) {
            return "SIG" + NAMES[signal];
        }
        return Integer.toString(signal);
    }
}
