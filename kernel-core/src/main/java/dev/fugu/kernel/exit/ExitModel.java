package dev.fugu.kernel.exit;

import java.util.Locale;

/**
 * The exit designs fugu compares (DESIGN 2.2).
 */
public enum ExitModel
{
    /** Before the seed: the reaper thread frees stacks, tears address spaces down and makes zombies. */
    REAPER,
    /** What OpenBSD committed: exit1() purges user mappings itself; the reaper does the rest. */
    PURGE,
    /** The seed's proposal: exit1() does everything; no reaper. */
    DIRECT;

    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExitModel parse(String text)
    {
        for (ExitModel model : values()) {
            if (model.key().equals(text)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown exit model '" + text + "' (known: reaper, purge, direct)");
    }
}
