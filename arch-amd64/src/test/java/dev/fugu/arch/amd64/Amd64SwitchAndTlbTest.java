package dev.fugu.arch.amd64;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.Pmap;
import org.junit.jupiter.api.Test;

import static dev.fugu.arch.amd64.Amd64MachineDependent.KERNTEXTOFF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * %cr3 loads with and without PCIDs (Intel SDM Vol. 3A §4.10.4.1), ci_proc_pmap as
 * locore.S/pmap.c keep it, and the stale-ci-proc-pmap inject.
 */
class Amd64SwitchAndTlbTest
{
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;
    private static final int UR = Access.READ | Access.USER;

    @Test
    void pcidKeepsKernelEntriesAndFlushesOnlyPcidProc()
    {
        Rig rig = Rig.pcid(1);
        Amd64MachineDependent md = rig.md;
        Pmap a = md.pmapCreate(0);
        Pmap b = md.pmapCreate(0);
        long va = 0x403000L;
        a.enter(0, va, rig.userFrame(), RW);
        b.enter(0, va, rig.userFrame(), RW);

        Pcb idle = rig.idle(0);
        // On the kernel %cr3 (PCID_KERN) a kernel access fills an entry tagged PCID_KERN.
        assertThat(md.access(0, KERNTEXTOFF, Access.READ)).isNotNegative();
        assertThat(md.tlb(0).holds(md.pmapKernel(), KERNTEXTOFF)).isTrue();

        Pcb threadA = md.cpuFork(0, idle, a, false);
        rig.sink.reset();
        md.cpuSwitchto(0, idle, threadA);
        // A user %cr3 has no no-flush bit: PCID_PROC is flushed, PCID_KERN survives.
        assertThat(md.cr3(0)).isEqualTo(a.rootPa() | Pte.PCID_PROC);
        assertThat(rig.sink.flushes[0]).isEqualTo(1);
        assertThat(md.tlb(0).holds(md.pmapKernel(), KERNTEXTOFF)).isTrue();
        md.access(0, va, UR);
        assertThat(md.tlb(0).holds(a, va)).isTrue();

        // Back to the kernel %cr3 with CR3_REUSE_PCID: nothing is flushed, A's entries linger
        // under PCID_PROC where no kernel-PCID lookup can match them.
        rig.sink.reset();
        md.cpuSwitchto(0, threadA, idle);
        assertThat(md.cr3(0)).isEqualTo(md.pmapKernel().rootPa());
        assertThat(rig.sink.flushes[0]).isZero();
        assertThat(md.tlb(0).holds(a, va)).isTrue();

        Pcb threadB = md.cpuFork(0, idle, b, false);
        md.cpuSwitchto(0, idle, threadB);
        assertThat(md.tlb(0).holds(a, va)).isFalse();
        assertThat(md.tlb(0).holds(md.pmapKernel(), KERNTEXTOFF)).isTrue();
        assertThat(md.access(0, va, UR)).isEqualTo(b.extract(va));
    }

    @Test
    void withoutPcidEveryLoadFlushesAllButGlobalEntries()
    {
        Rig rig = Rig.nopcid(1);
        Amd64MachineDependent md = rig.md;
        Pmap a = md.pmapCreate(0);
        long va = 0x403000L;
        a.enter(0, va, rig.userFrame(), RW);
        Pcb threadA = rig.run(0, a);
        assertThat(md.cr3(0)).isEqualTo(a.rootPa());
        md.access(0, va, UR);
        md.access(0, KERNTEXTOFF, Access.READ);
        assertThat(md.tlb(0).size()).isEqualTo(2);

        Pcb idle = md.cpuFork(0, null, md.pmapKernel(), true);
        rig.sink.reset();
        md.cpuSwitchto(0, threadA, idle);
        assertThat(rig.sink.flushes[0]).isEqualTo(1);
        // Only the PG_G kernel text entry survives.
        assertThat(md.tlb(0).holds(a, va)).isFalse();
        assertThat(md.tlb(0).holds(md.pmapKernel(), KERNTEXTOFF)).isTrue();
        assertThat(md.tlb(0).size()).isEqualTo(1);
    }

    @Test
    void sameCr3LoadsNothing()
    {
        Rig rig = Rig.pcid(1);
        Amd64MachineDependent md = rig.md;
        Pmap pmap = md.pmapCreate(0);
        pmap.enter(0, 0x403000L, rig.userFrame(), RW);
        Pcb one = rig.run(0, pmap);
        Pcb two = md.cpuFork(0, one, pmap, false);
        md.access(0, 0x403000L, UR);
        rig.sink.reset();
        md.cpuSwitchto(0, one, two);
        assertThat(rig.sink.flushes[0]).isZero();
        assertThat(rig.sink.cycles[0]).isEqualTo(md.costs.switchSave + md.costs.switchRestore);
        assertThat(md.tlb(0).holds(pmap, 0x403000L)).isTrue();
        assertThat(md.currentPmap(0)).isSameAs(pmap);
    }

    @Test
    void activateAndDeactivateFollowPmapC()
    {
        Rig rig = Rig.pcid(1);
        Amd64MachineDependent md = rig.md;
        Pmap pmap = md.pmapCreate(0);
        Pcb thread = rig.run(0, pmap);
        assertThat(md.currentPmap(0)).isSameAs(pmap);
        md.pmapDeactivate(0, thread);
        // pmap_deactivate clears ci_proc_pmap but leaves %cr3 alone.
        assertThat(md.currentPmap(0)).isNull();
        assertThat(md.loadedPmap(0)).isSameAs(pmap);
        // A second deactivate trips the KASSERT(ci_proc_pmap == pmap).
        assertThatThrownBy(() -> md.pmapDeactivate(0, thread))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("ci-proc-pmap"));

        // Borrowing pmap_kernel(): pcb_cr3 = pdirpa | PCID_KERN | CR3_REUSE_PCID, no flush.
        rig.sink.reset();
        md.pmapActivate(0, thread, md.pmapKernel(), true);
        assertThat(md.currentPmap(0)).isSameAs(md.pmapKernel());
        assertThat(md.loadedPmap(0)).isSameAs(md.pmapKernel());
        assertThat(((Amd64Pcb) thread).cr3()).isEqualTo(md.pmapKernel().rootPa() | Pte.CR3_REUSE_PCID);
        assertThat(rig.sink.flushes[0]).isZero();
    }

    @Test
    void switchToSystemThreadClearsCiProcPmap()
    {
        Rig rig = Rig.pcid(1);
        Pmap pmap = rig.md.pmapCreate(0);
        Pcb thread = rig.run(0, pmap);
        Pcb idle = rig.md.cpuFork(0, null, rig.md.pmapKernel(), true);
        rig.md.cpuSwitchto(0, thread, idle);
        assertThat(rig.md.currentPmap(0)).isNull();
        assertThat(rig.md.loadedPmap(0)).isSameAs(rig.md.pmapKernel());
    }

    /**
     * The sequence where the pre-seed locore.S goes wrong: a user thread that borrowed
     * pmap_kernel() (its pcb_cr3 is the kernel's) is switched in from a system thread, whose %cr3
     * is the same. The old code skips the ci_proc_pmap update with the %cr3 load, so
     * ci_proc_pmap stays NULL while the thread runs on pmap_kernel().
     */
    @Test
    void staleCiProcPmapInject()
    {
        assertThat(borrowedKernelSequence(Rig.pcid(1))).isTrue();
        assertThat(borrowedKernelSequence(Rig.pcid(1, Amd64Plugin.INJECT_STALE_CI_PROC_PMAP))).isFalse();
        assertThat(borrowedKernelSequence(Rig.nopcid(1, Amd64Plugin.INJECT_STALE_CI_PROC_PMAP))).isFalse();
    }

    /** @return whether ci_proc_pmap equals the switched-in thread's pmap at the end */
    private static boolean borrowedKernelSequence(Rig rig)
    {
        Amd64MachineDependent md = rig.md;
        Pmap p = md.pmapCreate(0);
        Pmap q = md.pmapCreate(0);
        Pcb idle = rig.idle(0);
        Pcb a = md.cpuFork(0, idle, q, false);
        Pcb b = md.cpuFork(0, idle, p, false);
        md.cpuSwitchto(0, idle, a);
        assertThat(md.currentPmap(0)).isSameAs(q);
        // A is exiting: it borrows pmap_kernel() (ci_proc_pmap = pmap_kernel(), kernel %cr3) ...
        md.pmapActivate(0, a, md.pmapKernel(), true);
        // ... and is switched out before it is done; B runs (a %cr3 change: ci_proc_pmap = P).
        md.cpuSwitchto(0, a, b);
        assertThat(md.currentPmap(0)).isSameAs(p);
        // B sleeps: the idle thread's kernel %cr3 differs, ci_proc_pmap = NULL.
        md.cpuSwitchto(0, b, idle);
        assertThat(md.currentPmap(0)).isNull();
        // A comes back: its pcb_cr3 equals the idle thread's.
        md.cpuSwitchto(0, idle, a);
        boolean consistent = md.currentPmap(0) == a.pmap();
        if (!consistent) {
            assertThat(md.currentPmap(0)).isNull();
            // What the real kernel would trip over next: pmap_deactivate's KASSERT.
            assertThatThrownBy(() -> md.pmapDeactivate(0, a))
                    .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("ci-proc-pmap"));
        }
        return consistent;
    }

    @Test
    void staleTlbHitIsReportedWithVaPmapAndFrames()
    {
        Rig rig = Rig.pcid(2, Amd64Plugin.INJECT_MISSED_SHOOTDOWN);
        Amd64MachineDependent md = rig.md;
        Pmap pmap = md.pmapCreate(0);
        long va = 0x403000L;
        long first = rig.userFrame();
        long second = rig.userFrame();
        pmap.enter(0, va, first, RW);
        rig.run(0, pmap);
        rig.run(1, pmap);
        md.access(0, va, UR);
        md.access(1, va, UR);
        // A replacing pmap_enter skips its shootdown: cpu1 still caches the old frame.
        pmap.enter(0, va, second, RW);
        assertThatThrownBy(() -> md.access(1, va, UR))
                .isInstanceOfSatisfying(KernelPanic.class, e -> {
                    assertThat(e.invariant()).isEqualTo("stale-tlb");
                    assertThat(e.detail()).contains("0x403000", "pmap " + pmap.id(),
                            "0x" + Long.toHexString(first << 12), "0x" + Long.toHexString(second << 12));
                });
        // The initiating CPU skipped its own invlpg too.
        assertThatThrownBy(() -> md.access(0, va, UR)).isInstanceOf(KernelPanic.class);
    }

    @Test
    void staleCheckIsSkippedWhenThePmapDidNotChange()
    {
        Rig rig = Rig.pcid(1);
        Amd64MachineDependent md = rig.md;
        Pmap pmap = md.pmapCreate(0);
        long va = 0x403000L;
        pmap.enter(0, va, rig.userFrame(), RW);
        rig.run(0, pmap);
        md.access(0, va, UR);
        rig.sink.reset();
        md.access(0, va, UR);
        assertThat(rig.sink.cycles[0]).isEqualTo(md.costs.tlbHit);
        // Another page entered: no valid translation changed, still a plain hit.
        pmap.enter(0, va + 4096, rig.userFrame(), RW);
        rig.sink.reset();
        md.access(0, va, UR);
        assertThat(rig.sink.cycles[0]).isEqualTo(md.costs.tlbHit);
    }

    @Test
    void destroyedPmapIsReportedWhenLoaded()
    {
        Rig rig = Rig.pcid(1);
        Amd64MachineDependent md = rig.md;
        Pmap pmap = md.pmapCreate(0);
        Pcb idle = rig.idle(0);
        Pcb thread = md.cpuFork(0, idle, pmap, false);
        pmap.destroy(0);
        assertThatThrownBy(() -> md.cpuSwitchto(0, idle, thread))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("destroyed-pmap"));
    }
}
