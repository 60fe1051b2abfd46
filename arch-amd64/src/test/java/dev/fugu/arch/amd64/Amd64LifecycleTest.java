package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.Pmap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MD half of many fork + touch 16 pages + exit + wait lifecycles, as the direct exit model
 * drives it on two CPUs: nothing leaks, and the MD work stays cheap on the host.
 */
class Amd64LifecycleTest
{
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;

    @Test
    void manyLifecyclesLeakNothing()
    {
        Rig rig = Rig.pcid(2);
        Amd64MachineDependent md = rig.md;
        Pcb[] idle = {rig.idle(0), rig.idle(1)};
        long freeBefore = rig.physmem.freeFrames();
        long[] frames = new long[16];
        int lifecycles = 100_000;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int n = 0; n < lifecycles; n++) {
            int cpu = n & 1;
            Pmap pmap = md.pmapCreate(cpu);
            Pcb thread = md.cpuFork(cpu, idle[cpu], pmap, false);
            md.cpuSwitchto(cpu, idle[cpu], thread);
            for (int i = 0; i < 16; i++) {
                long va = 0x400000L + i * 4096L;
                long result = md.access(cpu, va, Access.WRITE | Access.USER);
                if (result == Access.FAULT_INVALID) {
                    frames[i] = rig.physmem.allocate();
                    pmap.enter(cpu, va, frames[i], RW);
                    result = md.access(cpu, va, Access.WRITE | Access.USER);
                }
                if (result != frames[i] << 12) {
                    throw new AssertionError("va 0x" + Long.toHexString(va) + " gave " + result);
                }
            }
            // Direct exit: uvm_exit tears the space down, the thread borrows pmap_kernel().
            if (pmap.remove(cpu, md.layout().minUserAddress(), md.layout().maxUserAddress()) != 16) {
                throw new AssertionError("remove missed mappings");
            }
            md.pmapActivate(cpu, thread, md.pmapKernel(), true);
            if (!pmap.destroy(cpu)) {
                throw new AssertionError("pmap not freed");
            }
            md.cpuExit(cpu, thread);
            md.cpuSwitchto(cpu, null, idle[cpu]);
            for (long pfn : frames) {
                rig.physmem.release(pfn);
            }
        }
        long micros = (threads.getCurrentThreadCpuTime() - start) / 1000;
        System.out.printf("amd64: %d MD lifecycles in %d ms of CPU time (%.0f per host CPU second, JIT warm-up included)%n",
                lifecycles, micros / 1000,
                lifecycles * 1e6 / Math.max(1, micros));
        assertThat(rig.physmem.freeFrames()).isEqualTo(freeBefore);
        assertThat(rig.physmem.pageTablePages()).isEqualTo(21);
    }
}
