package dev.fugu.cli;

import dev.fugu.kernel.boot.Sizes;
import dev.fugu.kernel.sched.SwitchCause;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.stats.Teardown;

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
        heading(out, "machine");
        row(out, "arch", s.arch() + (s.archOptions().isEmpty() ? "" : " " + s.archOptions().keySet()) + ", paging " + s.paging());
        row(out, "size", s.ncpu() + " CPUs at " + s.clockMhz() + " MHz, " + Sizes.format(s.memBytes()));
        row(out, "run", "workload " + s.workload() + ", exit model " + s.exitModel()
                + (s.exitSwitch().equals("none") ? "" : " (" + s.exitSwitch() + ")") + ", seed " + s.seed());
        row(out, "simulated", f("%,d cycles (%.6f s)", s.simCycles(), s.simSeconds()));
        heading(out, "processes");
        row(out, "forked", f("%,d (max live %,d, EAGAIN %,d)", s.processes().forked(), s.processes().maxLive(), s.processes().forkEagain()));
        row(out, "exited", f("%,d; reaped %,d, zapped %,d, zombies at end %d", s.processes().exited(), s.processes().reaped(),
                s.processes().zapped(), s.processes().zombiesAtEnd()));
        row(out, "threads", f("%,d created, %,d exited", s.threadsCreated(), s.threadsExited()));
        heading(out, "context switches");
        StringBuilder causes = new StringBuilder();
        for (SwitchCause cause : SwitchCause.values()) {
            causes.append(causes.isEmpty() ? "" : ", ").append(cause.key()).append(' ').append(f("%,d", s.switchesByCause().get(cause)));
        }
        row(out, "total", f("%,d (%.2f per exit)", s.switchesTotal(), s.switchesPerExit()));
        row(out, "by cause", causes.toString());
        heading(out, "exit");
        row(out, "latency", f("mean %,d, p50 %,d, p99 %,d, max %,d cycles", s.exitLatency()[0], s.exitLatency()[1], s.exitLatency()[2], s.exitLatency()[3]));
        row(out, "teardown", ledger(s.teardown()) + f(", on %d CPU(s), at most %d at once", s.teardownCpuSpread(), s.teardownMaxParallel()));
        row(out, "exec", f("%,d execs; ", s.execs()) + ledger(s.exec()));
        row(out, "exit %sys", f("%,d cycles charged to exiting processes", s.exitSysCycles()));
        heading(out, "machine work");
        row(out, "tlb", f("%,d flushes, %,d invalidations, %,d shootdown IPIs", s.tlbFlushes(), s.tlbInvalidations(), s.shootdownIpis()));
        row(out, "kernel_lock", lock(s.kernelLock()));
        row(out, "fpageq", lock(s.fpageq()));
        row(out, "cpu", f("user %,d, sys %,d, spin %,d, idle %,d cycles", s.userCycles(), s.sysCycles(), s.spinCycles(), s.idleCycles()));
        row(out, "memory", f("%,d frames, %,d free at end, %d leaked, %d OOM kills", s.framesTotal(), s.framesFreeAtEnd(), s.leakedFrames(), s.oomKills()));
        row(out, "checks", f("%,d invariants checked, %d violations; expects %d passed, %d failed", s.invariantsChecked(), s.violations(),
                s.expectsPassed(), s.expectsFailed()));
        row(out, "host", f("%.1f ms in the event loop, %,.0f lifecycles/s; trace hash %s", s.hostWallMs(), s.lifecyclesPerSecond(), s.traceHash()));
    }

    private static String ledger(Teardown t)
    {
        return f("%,d pages, %,d PTEs, %,d PTPs, %,d stack pages freed in %,d cycles", t.pagesFreed(), t.ptesCleared(), t.ptpFreed(),
                t.stackPagesFreed(), t.cycles());
    }

    private static String lock(long[] c)
    {
        return f("%,d acquires, %,d contended, %,d spin cycles", c[0], c[1], c[2]);
    }

    private static void heading(PrintWriter out, String text)
    {
        out.println(text);
    }

    private static void row(PrintWriter out, String key, String value)
    {
        out.printf(Locale.ROOT, "  %-16s %s%n", key, value);
    }

    private static String f(String format, Object... args)
    {
        return String.format(Locale.ROOT, format, args);
    }
}
