package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pmap;
import org.junit.jupiter.api.Test;

import static dev.fugu.arch.amd64.Amd64MachineDependent.KERNTEXTOFF;
import static org.assertj.core.api.Assertions.assertThat;

/** pmap_tlb_shootpage/shootrange/shoottlb targets and costs, as sys/arch/amd64/amd64/pmap.c picks them. */
class Amd64ShootdownTest
{
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;
    private static final int UR = Access.READ | Access.USER;

    @Test
    void pageShootdownReachesExactlyTheCpusWherePmapIsActive()
    {
        Rig rig = Rig.pcid(4);
        Amd64MachineDependent md = rig.md;
        Pmap p = md.pmapCreate(0);
        Pmap q = md.pmapCreate(0);
        long va = 0x403000L;
        p.enter(0, va, rig.userFrame(), RW);
        // A second page keeps the PT in use, so no page-table page is freed.
        p.enter(0, va + 4096, rig.userFrame(), RW);
        q.enter(0, va, rig.userFrame(), RW);
        rig.run(1, p);
        rig.run(2, p);
        rig.run(3, q);
        rig.idle(0);
        md.access(1, va, UR);
        md.access(2, va, UR);
        md.access(3, va, UR);
        rig.sink.reset();

        assertThat(p.remove(0, va, va + 4096)).isEqualTo(1);

        assertThat(rig.sink.ipis[0]).containsExactly(0, 1, 1, 0);
        assertThat(rig.sink.ipisTotal()).isEqualTo(2);
        assertThat(md.tlb(1).holds(p, va)).isFalse();
        assertThat(md.tlb(2).holds(p, va)).isFalse();
        assertThat(md.tlb(3).holds(q, va)).isTrue();
        assertThat(rig.sink.invalidations).containsExactly(0, 1, 1, 0);
        // Targets pay the interrupt and their invlpg; the initiator sends two and waits.
        long targetWork = md.costs.ipiReceive + md.costs.tlbInvalidatePage;
        assertThat(rig.sink.cycles[1]).isEqualTo(targetWork);
        assertThat(rig.sink.cycles[3]).isZero();
        assertThat(rig.sink.cycles[0]).isEqualTo(md.costs.pteWrite + 2 * md.costs.ipiSend + md.costs.ipiLatency + targetWork);
    }

    @Test
    void deactivatedCpuIsNoLongerATarget()
    {
        Rig rig = Rig.pcid(2);
        Amd64MachineDependent md = rig.md;
        Pmap p = md.pmapCreate(0);
        long va = 0x403000L;
        p.enter(0, va, rig.userFrame(), RW);
        p.enter(0, va + 4096, rig.userFrame(), RW);
        var thread = rig.run(1, p);
        md.pmapDeactivate(1, thread);
        rig.sink.reset();
        p.remove(0, va, va + 4096);
        assertThat(rig.sink.ipisTotal()).isZero();
    }

    @Test
    void kernelVaGoesToEveryOtherCpu()
    {
        Rig rig = Rig.pcid(3);
        Amd64MachineDependent md = rig.md;
        Pmap kernel = md.pmapKernel();
        long kva = Pte.VM_MIN_KERNEL_ADDRESS + 0x20_0000L;
        kernel.enter(0, kva, rig.userFrame(), RW);
        for (int cpu = 0; cpu < 3; cpu++) {
            rig.idle(cpu);
            assertThat(md.access(cpu, kva, Access.READ)).isNotNegative();
        }
        rig.sink.reset();
        // Replacing a valid kernel PTE: pmap_tlb_shootpage() of a kernel VA.
        kernel.enter(0, kva, rig.userFrame(), RW);
        assertThat(rig.sink.ipis[0]).containsExactly(0, 1, 1);
        for (int cpu = 0; cpu < 3; cpu++) {
            assertThat(md.tlb(cpu).holds(kernel, kva)).isFalse();
        }
        assertThat(md.access(2, kva, Access.READ)).isEqualTo(kernel.extract(kva));
    }

    @Test
    void largeUserRemoveIsOneFlushPerCpu()
    {
        Rig rig = Rig.pcid(2);
        Amd64MachineDependent md = rig.md;
        Pmap p = md.pmapCreate(0);
        long base = 0x400000L;
        for (int i = 0; i < 40; i++) {
            p.enter(0, base + i * 4096L, rig.userFrame(), RW);
        }
        // Keeps the page table in use (no pmap_free_ptp shootdowns below).
        p.enter(0, base + 100 * 4096L, rig.userFrame(), RW);
        rig.run(0, p);
        rig.run(1, p);
        md.access(1, base, UR);
        rig.sink.reset();
        // 33 pages > 32: pmap_tlb_shoottlb() instead of a range.
        assertThat(p.remove(0, base, base + 33 * 4096L)).isEqualTo(33);
        assertThat(rig.sink.ipis[0][1]).isEqualTo(1);
        assertThat(rig.sink.flushes).containsExactly(1, 1);
        assertThat(rig.sink.invalidations).containsExactly(0, 0);
        assertThat(md.tlb(1).holds(p, base)).isFalse();

        rig.sink.reset();
        // Exactly 32 pages: a range, page by page.
        assertThat(p.remove(0, base + 33 * 4096L, base + 65 * 4096L)).isEqualTo(7);
        assertThat(rig.sink.flushes).containsExactly(0, 0);
        assertThat(rig.sink.invalidations[1]).isEqualTo(32);
    }

    @Test
    void freeingPageTablePagesShootsTheirRecursiveMappings()
    {
        // pmap_free_ptp() shoots down the recursive-map VA of every page-table page it frees: a
        // one-page remove that empties PT, PD and PDPT costs 1 + 3 IPIs to each CPU using the pmap.
        Rig rig = Rig.pcid(3);
        Amd64MachineDependent md = rig.md;
        Pmap p = md.pmapCreate(0);
        long va = 0x403000L;
        p.enter(0, va, rig.userFrame(), RW);
        rig.run(0, p);
        rig.run(1, p);
        rig.idle(2);
        rig.sink.reset();
        assertThat(p.remove(0, va, va + 4096)).isEqualTo(1);
        assertThat(rig.sink.ipis[0]).containsExactly(0, 4, 0);
        assertThat(p.pageTablePages()).isEqualTo(1);
    }

    @Test
    void withoutPcidTheLocalCpuUsesInvlpgOnlyWhenThePmapIsLoaded()
    {
        Rig rig = Rig.nopcid(2);
        Amd64MachineDependent md = rig.md;
        Pmap p = md.pmapCreate(0);
        long va = 0x403000L;
        p.enter(0, va, rig.userFrame(), RW);
        p.enter(0, va + 4096, rig.userFrame(), RW);
        rig.run(1, p);
        rig.idle(0);
        rig.sink.reset();
        p.remove(0, va, va + 4096);
        // cpu0 has the kernel loaded: no local invlpg (shootself = 0); cpu1 by IPI.
        assertThat(rig.sink.invalidations).containsExactly(0, 1);
        assertThat(rig.sink.ipis[0][1]).isEqualTo(1);
    }

    @Test
    void protectWithNoChangeStillShootsTheRange()
    {
        Rig rig = Rig.pcid(2);
        Amd64MachineDependent md = rig.md;
        Pmap p = md.pmapCreate(0);
        long va = 0x403000L;
        p.enter(0, va, rig.userFrame(), Access.PROT_READ);
        rig.run(1, p);
        rig.sink.reset();
        long before = p.extract(va);
        p.protect(0, va, va + 4096, Access.PROT_READ);
        assertThat(p.extract(va)).isEqualTo(before);
        assertThat(rig.sink.ipis[0][1]).isEqualTo(1);
        assertThat(md.access(1, KERNTEXTOFF, Access.READ)).isNotNegative();
    }
}
