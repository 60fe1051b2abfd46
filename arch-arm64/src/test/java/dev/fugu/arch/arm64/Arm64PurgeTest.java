package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pcb;
import org.junit.jupiter.api.Test;

import static dev.fugu.kernel.md.Access.PROT_READ;
import static dev.fugu.kernel.md.Access.PROT_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * pmap_purge() (__HAVE_PMAP_PURGE) as uvm_purge() uses it in exit1(), and pmap_destroy()
 * returning every table page.
 */
class Arm64PurgeTest
{
    private static final long VA = 0x40_0000L;

    @Test
    void purgeDropsTheAsidsLoadsTheEmptyTableAndClearsMappingsWithoutPerPageTlbi()
    {
        Arm64Fixture f = new Arm64Fixture(2);
        Arm64Pmap pmap = f.createPmap();
        for (int i = 0; i < 3; i++) {
            pmap.enter(0, VA + i * 4096L, 100 + i, PROT_READ | PROT_WRITE);
        }
        pmap.enter(0, 1L << 35, 200, PROT_READ);
        f.run(0, pmap);
        f.run(1, pmap);
        for (int i = 0; i < 3; i++) {
            f.md.access(0, VA + i * 4096L, Access.READ | Access.USER);
            f.md.access(1, VA + i * 4096L, Access.READ | Access.USER);
        }
        long tables = pmap.pageTablePages();
        long invalidations = f.machine.stats().tlbInvalidations();

        assertThat(pmap.purge(0)).isEqualTo(4);

        assertThat(pmap.residentCount()).isZero();
        assertThat(f.md.loadedPmap(0)).isSameAs(f.md.pmapKernel());
        assertThat(f.md.ttbr0(0)).isEqualTo(f.md.emptyTablePa());
        // ci_curpm is untouched: the thread still runs on its (now empty) pmap until it switches
        assertThat(f.md.currentPmap(0)).isSameAs(pmap);
        assertThat(f.md.tlb(0).entriesOf(pmap)).isZero();
        assertThat(f.md.tlb(1).entriesOf(pmap)).isZero();
        // the two aside1is dropped the 6 entries; the 4 pmap_remove calls needed no tlbi (pm_active 0)
        assertThat(f.machine.stats().tlbInvalidations() - invalidations).isEqualTo(6);
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(Access.FAULT_INVALID);
        assertThat(f.md.walk(pmap, VA)).isEqualTo(-1);
        // tables stay until pmap_destroy, as pmap_vp_destroy is the only place that frees them
        assertThat(pmap.pageTablePages()).isEqualTo(tables);
    }

    @Test
    void destroyAfterPurgeReturnsEveryTablePage()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        long free = f.freeFrames();
        Arm64Pmap pmap = f.createPmap();
        for (int i = 0; i < 600; i++) {
            pmap.enter(0, VA + i * 4096L, 1000 + i, PROT_READ | PROT_WRITE);
        }
        pmap.enter(0, Arm64MachineDependent.VM_MAXUSER_ADDRESS - 4096, 3000, PROT_READ | PROT_WRITE);
        // 1 L1 + 2 L2 + 3 L3 (600 pages cross an L3 boundary) + 1 L3 near the stack
        assertThat(pmap.pageTablePages()).isEqualTo(1 + 2 + 2 + 1 + 1 - 1);
        assertThat(f.freeFrames()).isEqualTo(free - pmap.pageTablePages());
        Pcb thread = f.run(0, pmap);
        pmap.purge(0);
        f.md.pmapDeactivate(0, thread);
        f.md.cpuSwitchto(0, thread, f.idle[0]);
        assertThat(pmap.destroy(0)).isTrue();
        assertThat(f.freeFrames()).isEqualTo(free);
        assertThat(pmap.pageTablePages()).isZero();
    }

    @Test
    void destroyWhileStillCurpmIsAViolation()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        f.run(0, pmap);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pmap.destroy(0))
                .isInstanceOfSatisfying(dev.fugu.kernel.check.KernelPanic.class,
                        panic -> assertThat(panic.detail()).contains("ci_curpm"));
    }
}
