package dev.fugu.cli;

import dev.fugu.kernel.boot.Sizes;
import dev.fugu.kernel.stats.RunSummary;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A run's summary as aligned text, grouped like the JSON.
 */
final class SummaryText
{
    private SummaryText()
    {
    }

    static void print(RunSummary s, PrintWriter out)
    {
        out.println();
        out.println("summary");
        row(out, "machine", s.arch() + (s.archOptions().isEmpty() ? "" : " " + s.archOptions().keySet())
                + ", " + s.ncpu() + " CPUs, " + Sizes.format(s.memBytes()) + ", " + s.clockMhz() + " MHz, seed " + s.seed());
        row(out, "paging", s.paging());
        row(out, "simulated", String.format(Locale.ROOT, "%,d cycles (%.6f s)", s.simCycles(), s.simSeconds()));
        row(out, "cpu sys", String.format(Locale.ROOT, "%,d cycles", s.sysCycles()));
        row(out, "tlb", String.format(Locale.ROOT, "%,d flushes, %,d invalidations, %,d shootdown IPIs",
                s.tlbFlushes(), s.tlbInvalidations(), s.shootdownIpis()));
        row(out, "memory", String.format(Locale.ROOT, "%,d frames, %,d free at end", s.framesTotal(), s.framesFreeAtEnd()));
    }

    private static void row(PrintWriter out, String key, String value)
    {
        out.printf(Locale.ROOT, "  %-12s %s%n", key, value);
    }
}
