package dev.fugu.kernel.stats;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;

import java.util.Map;

/**
 * What a run measured, for the text summary and {@code --json}.
 */
public record RunSummary(
        String arch,
        Map<String, String> archOptions,
        int ncpu,
        long memBytes,
        long seed,
        String paging,
        int clockMhz,
        long simCycles,
        double simSeconds,
        long framesTotal,
        long framesFreeAtEnd,
        long tlbFlushes,
        long tlbInvalidations,
        long shootdownIpis,
        long sysCycles)
{
    public static RunSummary of(Machine machine)
    {
        MachineConfig config = machine.config();
        MachineStats stats = machine.stats();
        long simCycles = 0;
        long sys = 0;
        for (int cpu = 0; cpu < config.ncpu(); cpu++) {
            simCycles = Math.max(simCycles, stats.sysCycles(cpu));
            sys += stats.sysCycles(cpu);
        }
        int mhz = machine.md().clockMhz();
        String paging = machine.md().pagingMode();
        return new RunSummary(config.arch(), config.archOptions(), config.ncpu(), config.memBytes(), config.seed(),
                paging, mhz, simCycles, simCycles / (mhz * 1e6),
                machine.physmem().totalFrames(), machine.physmem().freeFrames(),
                stats.tlbFlushes(), stats.tlbInvalidations(), stats.shootdownIpis(), sys);
    }
}
