package dev.fugu.arch.arm64;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.testing.TestMachines;

import java.util.Map;
import java.util.Set;

/**
 * A booted arm64 machine for tests, with an idle thread per CPU and helpers to run a user pmap
 * on a CPU.
 */
final class Arm64Fixture
{
    final Machine machine;
    final Arm64MachineDependent md;
    final Pcb[] idle;

    Arm64Fixture(int ncpu)
    {
        this(ncpu, Map.of(), Set.of());
    }

    Arm64Fixture(int ncpu, Map<String, String> options, Set<String> injects)
    {
        machine = TestMachines.build("arm64", ncpu, 64L << 20, options, injects);
        md = (Arm64MachineDependent) machine.md();
        md.boot();
        idle = new Pcb[ncpu];
        Pcb proc0 = md.cpuFork(0, null, md.pmapKernel(), true);
        for (int cpu = 0; cpu < ncpu; cpu++) {
            idle[cpu] = md.cpuFork(cpu, proc0, md.pmapKernel(), true);
            md.cpuSwitchto(cpu, null, idle[cpu]);
        }
    }

    Arm64Pmap createPmap()
    {
        return (Arm64Pmap) md.pmapCreate(0);
    }

    /** Forks a user thread on {@code pmap} and switches it in on {@code cpu}. */
    Pcb run(int cpu, Pmap pmap)
    {
        Pcb thread = md.cpuFork(cpu, idle[cpu], pmap, false);
        md.cpuSwitchto(cpu, idle[cpu], thread);
        return thread;
    }

    long freeFrames()
    {
        return machine.physmem().freeFrames();
    }

    long read64(long pa)
    {
        return machine.physmem().read64(pa);
    }

    /** The raw descriptor at {@code level} (1-3) for {@code va} under the L1 table at {@code root}. */
    long descriptor(long root, long va, int level)
    {
        long table = root;
        for (int l = 1; l <= level; l++) {
            int shift = 12 + 9 * (3 - l);
            long d = read64(table + (((va >>> shift) & 511) << 3));
            if (l == level) {
                return d;
            }
            table = d & Descriptors.ADDRESS_MASK;
        }
        throw new AssertionError();
    }
}
