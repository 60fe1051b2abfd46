package dev.fugu.cli;

import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One exit design as compare and sweep name it: an exit model, and for direct how the dead
 * thread leaves its CPU ({@code direct+mi_switch} is the seed's proposed follow-up).
 */
record Variant(String name, ExitModel model, ExitSwitch exitSwitch)
{
    static final Variant REAPER = new Variant("reaper", ExitModel.REAPER, ExitSwitch.NONE);
    static final Variant PURGE = new Variant("purge", ExitModel.PURGE, ExitSwitch.NONE);
    static final Variant DIRECT = new Variant("direct", ExitModel.DIRECT, ExitSwitch.TOIDLE);
    static final Variant DIRECT_MI_SWITCH = new Variant("direct+mi_switch", ExitModel.DIRECT, ExitSwitch.MI_SWITCH);

    /** The four designs compare runs, the baseline first. */
    static final List<Variant> ALL = List.of(REAPER, PURGE, DIRECT, DIRECT_MI_SWITCH);

    Variant
    {
        requireNonNull(name, "name is null");
        requireNonNull(model, "model is null");
        requireNonNull(exitSwitch, "exitSwitch is null");
    }

    static Variant parse(String option, String text)
    {
        String key = text.trim().toLowerCase(Locale.ROOT);
        for (Variant variant : ALL) {
            if (variant.name.equals(key)) {
                return variant;
            }
        }
        throw new UsageException(option + " '" + text + "' is not one of reaper, purge, direct, direct+mi_switch");
    }
}
