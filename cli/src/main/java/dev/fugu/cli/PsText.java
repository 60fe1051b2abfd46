package dev.fugu.cli;

import dev.fugu.kernel.stats.PsRow;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * A ps snapshot as ps(1) prints it: PID PPID STAT THR RSS TIME COMMAND.
 */
final class PsText
{
    private PsText()
    {
    }

    static void print(List<PsRow> rows, PrintWriter out)
    {
        out.printf(Locale.ROOT, "%5s %5s %-4s %3s %7s %9s %s%n", "PID", "PPID", "STAT", "THR", "RSS", "TIME", "COMMAND");
        for (PsRow row : rows) {
            out.printf(Locale.ROOT, "%5d %5d %-4s %3d %7d %9s %s%n", row.pid(), row.ppid(), row.stat(), row.threads(),
                    row.rssKb(), time(row.timeUs()), row.command());
        }
        out.flush();
    }

    /** M:SS.mm of simulated time. */
    private static String time(long micros)
    {
        long centis = micros / 10_000;
        return String.format(Locale.ROOT, "%d:%02d.%02d", centis / 6000, (centis / 100) % 60, centis % 100);
    }
}
