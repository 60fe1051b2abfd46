package dev.fugu.arch.i386;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.testing.TestMachines;
import dev.fugu.kernel.uvm.FrameUse;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Booted i386 machines and small helpers for the module's tests. */
final class I386Machines
{
    static final long MEM = 64L << 20;

    private I386Machines()
    {
    }

    static Machine pae(int ncpu, String... injects)
    {
        return boot(ncpu, Map.of(), injects);
    }

    static Machine nopae(int ncpu, String... injects)
    {
        return boot(ncpu, Map.of(I386Plugin.NOPAE, ""), injects);
    }

    static Machine boot(int ncpu, Map<String, String> options, String... injects)
    {
        Machine machine = TestMachines.build(MachineConfig.of(I386Plugin.NAME, ncpu, MEM)
                .withArchOptions(options)
                .withInjects(Set.of(injects)));
        machine.md().boot();
        return machine;
    }

    static I386Machine md(Machine machine)
    {
        return (I386Machine) machine.md();
    }

    static long userFrame(Machine machine)
    {
        long pfn = machine.physmem().allocate(0, FrameUse.USER);
        assertThat(pfn).isNotEqualTo(PhysicalMemory.NO_FRAME);
        return pfn;
    }

    /** A user thread on {@code pmap} switched in on {@code cpu} from that CPU's idle thread. */
    static Pcb runUser(MachineDependent md, int cpu, Pmap pmap)
    {
        Pcb idle = md.cpuFork(cpu, null, md.pmapKernel(), true);
        md.cpuSwitchto(cpu, null, idle);
        Pcb thread = md.cpuFork(cpu, idle, pmap, false);
        md.cpuSwitchto(cpu, idle, thread);
        return thread;
    }

    /** The idle thread of {@code cpu}, switched in after a dead thread. */
    static Pcb runIdle(MachineDependent md, int cpu)
    {
        Pcb idle = md.cpuFork(cpu, null, md.pmapKernel(), true);
        md.cpuSwitchto(cpu, null, idle);
        return idle;
    }
}
