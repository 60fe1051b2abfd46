package dev.fugu.kernel.stats;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.sched.SwitchCause;
import dev.fugu.kernel.sim.CpuClocks;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a run measured: the fields of DESIGN 3, for the text summary and {@code --json}.
 */
public record RunSummary(
        String arch,
        Map<String, String> archOptions,
        int ncpu,
        long memBytes,
        String exitModel,
        String exitSwitch,
        long seed,
        String workload,
        String paging,
        int clockMhz,
        long simCycles,
        double simSeconds,
        Processes processes,
        long threadsCreated,
        long threadsExited,
        long switchesTotal,
        Map<SwitchCause, Long> switchesByCause,
        long[] exitLatency,
        Teardown teardown,
        int teardownCpuSpread,
        int teardownMaxParallel,
        Teardown exec,
        long execs,
        long tlbFlushes,
        long tlbInvalidations,
        long shootdownIpis,
        long[] kernelLock,
        long[] fpageq,
        long[] pageCache,
        long userCycles,
        long sysCycles,
        long spinCycles,
        long idleCycles,
        long exitSysCycles,
        long framesTotal,
        long framesFreeAtEnd,
        long leakedFrames,
        long oomKills,
        long invariantsChecked,
        long violations,
        long expectsPassed,
        long expectsFailed,
        List<String> expectFailures,
        List<List<PsRow>> ps,
        String traceHash,
        double hostWallMs,
        String stopReason)
{
    /** processes.* of DESIGN 3. */
    public record Processes(long forked, long exited, long reaped, long zapped, long maxLive, long zombiesAtEnd, long forkEagain)
    {
    }

    public double switchesPerExit()
    {
        return processes.exited() == 0 ? 0 : (double) switchesTotal / processes.exited();
    }

    public double lifecyclesPerSecond()
    {
        return hostWallMs <= 0 ? 0 : processes.reaped() / (hostWallMs / 1000.0);
    }

    public static RunSummary of(Kernel kernel)
    {
        Machine machine = kernel.machine();
        MachineConfig config = machine.config();
        RunConfig run = kernel.runConfig();
        MachineStats md = machine.stats();
        RunStats stats = kernel.stats();
        CpuClocks clocks = kernel.clocks();
        long user = 0;
        long sys = 0;
        long spin = 0;
        long idle = 0;
        long simCycles = clocks.max();
        for (int cpu = 0; cpu < config.ncpu(); cpu++) {
            user += clocks.user(cpu);
            sys += clocks.sys(cpu);
            spin += clocks.spin(cpu);
            // A CPU that finished early idled until the machine's end.
            idle += clocks.idle(cpu) + (simCycles - clocks.now(cpu));
        }
        Map<SwitchCause, Long> byCause = new EnumMap<>(SwitchCause.class);
        long total = 0;
        for (SwitchCause cause : SwitchCause.values()) {
            long n = kernel.sched().switches(cause);
            byCause.put(cause, n);
            total += n;
        }
        int mhz = machine.md().clockMhz();
        var fpageq = machine.physmem().fpageq();
        var klock = kernel.klock();
        return new RunSummary(config.arch(), config.archOptions(), config.ncpu(), config.memBytes(),
                run.exitModel().key(), run.exitModel() == ExitModel.DIRECT ? run.exitSwitch().key() : "none",
                config.seed(), run.workload().name(), machine.md().pagingMode(), mhz,
                simCycles, simCycles / (mhz * 1e6),
                new Processes(stats.forked, stats.exited, stats.reaped, stats.zapped, stats.maxLive,
                        kernel.procs().zombieCount(), stats.forkEagain),
                stats.threadsCreated, stats.threadsExited, total, byCause, stats.latencySummary(),
                stats.teardown, stats.cpuSpread(), stats.maxParallel(), stats.exec, stats.execs,
                md.tlbFlushes(), md.tlbInvalidations(), md.shootdownIpis(),
                new long[] {klock.acquires(), klock.contended(), klock.spinCycles()},
                new long[] {fpageq.acquires(), fpageq.contended(), fpageq.spinCycles()},
                new long[] {machine.physmem().cacheHits(), machine.physmem().cacheMisses(), machine.physmem().cachedFrames()},
                user, sys, spin, idle, stats.exitSysCycles,
                machine.physmem().totalFrames(), machine.physmem().freeFrames(), kernel.leakedFrames(), stats.oomKills,
                kernel.checker().invariantsChecked(), 0, stats.expectsPassed, stats.expectsFailed,
                List.copyOf(stats.expectFailures), List.copyOf(kernel.psSnapshots()), kernel.trace().hash(),
                kernel.hostNanos() / 1e6, kernel.stopReason());
    }
}
