package dev.fugu.arch.amd64;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.CostTable;
import dev.fugu.kernel.md.MachineContext;
import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An amd64 machine built directly, with a sink that records who charged, flushed, invalidated and
 * sent IPIs to whom, so tests can check exact targets.
 */
final class Rig
{
    final Recorder sink;
    final SimplePhysMem physmem;
    final Amd64MachineDependent md;
    final int ncpu;

    private Rig(int ncpu, long memBytes, Map<String, String> options, Set<String> injects, Map<String, Long> costOverrides)
    {
        this.ncpu = ncpu;
        this.sink = new Recorder(ncpu);
        this.physmem = new SimplePhysMem(memBytes / 4096);
        CostTable costs = Amd64Costs.defaults().withOverrides(costOverrides);
        this.md = new Amd64MachineDependent(new Context(ncpu, memBytes, options, injects, costs, physmem, sink));
        md.boot();
    }

    static Rig pcid(int ncpu, String... injects)
    {
        return new Rig(ncpu, 64L << 20, Map.of(), Set.of(injects), Map.of());
    }

    static Rig nopcid(int ncpu, String... injects)
    {
        return new Rig(ncpu, 64L << 20, Map.of(Amd64Plugin.OPTION_NOPCID, ""), Set.of(injects), Map.of());
    }

    static Rig withCosts(Map<String, Long> overrides)
    {
        return new Rig(1, 64L << 20, Map.of(), Set.of(), overrides);
    }

    long userFrame()
    {
        long pfn = physmem.allocate();
        assertThat(pfn).isNotEqualTo(PhysicalMemory.NO_FRAME);
        return pfn;
    }

    Pcb idle(int cpu)
    {
        Pcb idle = md.cpuFork(cpu, null, md.pmapKernel(), true);
        md.cpuSwitchto(cpu, null, idle);
        return idle;
    }

    /** A user thread on {@code pmap} switched in on {@code cpu} from a fresh idle thread. */
    Pcb run(int cpu, Pmap pmap)
    {
        Pcb idle = idle(cpu);
        Pcb thread = md.cpuFork(cpu, idle, pmap, false);
        md.cpuSwitchto(cpu, idle, thread);
        return thread;
    }

    long read64(long pa)
    {
        return physmem.read64(pa);
    }

    /** The raw entry of {@code va} at {@code level} (4 = PML4E ... 1 = PTE) in the tables under {@code root}. */
    long entry(long root, long va, int level)
    {
        long table = root;
        for (int l = 4; l > level; l--) {
            table = read64(table + 8L * Pte.index(va, l)) & Pte.PG_FRAME;
        }
        return read64(table + 8L * Pte.index(va, level));
    }

    static final class Recorder
            implements MdSink
    {
        final long[] cycles;
        final long[] flushes;
        final long[] invalidations;
        final long[][] ipis;
        final Set<String> violations = new HashSet<>();
        final Map<String, Integer> counts = new HashMap<>();

        Recorder(int ncpu)
        {
            cycles = new long[ncpu];
            flushes = new long[ncpu];
            invalidations = new long[ncpu];
            ipis = new long[ncpu][ncpu];
        }

        @Override
        public void charge(int cpu, long n)
        {
            cycles[cpu] += n;
        }

        @Override
        public void tlbFlush(int cpu)
        {
            flushes[cpu]++;
        }

        @Override
        public void tlbInvalidate(int cpu, long pages)
        {
            invalidations[cpu] += pages;
        }

        @Override
        public void shootdownIpi(int fromCpu, int toCpu)
        {
            ipis[fromCpu][toCpu]++;
        }

        @Override
        public void violation(String invariant, int cpu, String detail)
        {
            violations.add(invariant);
            throw new KernelPanic(invariant, cpu, detail);
        }

        long ipisTotal()
        {
            long n = 0;
            for (long[] row : ipis) {
                for (long v : row) {
                    n += v;
                }
            }
            return n;
        }

        void reset()
        {
            java.util.Arrays.fill(cycles, 0);
            java.util.Arrays.fill(flushes, 0);
            java.util.Arrays.fill(invalidations, 0);
            for (long[] row : ipis) {
                java.util.Arrays.fill(row, 0);
            }
        }
    }

    private record Context(int ncpu, long memBytes, Map<String, String> archOptions, Set<String> injects, CostTable costs,
            PhysicalMemory physicalMemory, MdSink sink)
            implements MachineContext
    {
    }
}
