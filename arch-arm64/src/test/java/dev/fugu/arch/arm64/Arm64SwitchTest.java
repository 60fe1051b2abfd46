package dev.fugu.arch.arm64;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pcb;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static dev.fugu.kernel.md.Access.PROT_READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * cpu_switchto/pmap_setttb, pmap_activate/pmap_deactivate and cpu_exit bookkeeping, and why an
 * exiting thread must leave its pmap before the pmap is destroyed.
 */
class Arm64SwitchTest
{
    private static final long VA = 0x50_0000L;

    @Test
    void deactivateLoadsTheEmptyTableButKeepsCurpmAndTheAsid()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 9, PROT_READ);
        pmap.enter(0, VA + 4096, 10, PROT_READ);
        Pcb thread = f.run(0, pmap);
        int asid = f.md.currentAsid(0);
        f.md.access(0, VA, Access.READ | Access.USER);

        f.md.pmapDeactivate(0, thread);
        assertThat(f.md.ttbr0(0)).isEqualTo(f.md.emptyTablePa());
        assertThat(f.md.loadedPmap(0)).isSameAs(f.md.pmapKernel());
        assertThat(f.md.currentPmap(0)).isSameAs(pmap);
        assertThat(f.md.currentAsid(0)).isEqualTo(asid);
        // a walk now finds the empty table, but what the TLB holds under the ASID still serves
        assertThat(f.md.access(0, VA + 4096, Access.READ | Access.USER)).isEqualTo(Access.FAULT_INVALID);
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(9L * 4096);
        // pm_active is 0 now: changes need no TLB maintenance (and a second deactivate is a no-op)
        long invalidations = f.machine.stats().tlbInvalidations();
        f.md.pmapDeactivate(0, thread);
        pmap.enter(0, VA + 2 * 4096, 11, PROT_READ);
        assertThat(f.machine.stats().tlbInvalidations()).isEqualTo(invalidations);
    }

    @Test
    void borrowingPmapKernelLoadsAsidZeroAndCpuExitMarksThePcb()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        Pcb thread = f.run(0, pmap);
        f.md.pmapDeactivate(0, thread);
        f.md.pmapActivate(0, thread, f.md.pmapKernel(), true);
        assertThat(f.md.currentPmap(0)).isSameAs(f.md.pmapKernel());
        assertThat(f.md.currentAsid(0)).isZero();
        assertThat(thread.pmap()).isSameAs(f.md.pmapKernel());
        // now the user pmap may go: it is nobody's ci_curpm
        assertThat(pmap.destroy(0)).isTrue();
        long before = f.machine.stats().sysCycles(0);
        f.md.cpuExit(0, thread);
        assertThat(thread.isExited()).isTrue();
        assertThat(f.machine.stats().sysCycles(0) - before).isCloseTo(f.md.costs().cycles("md.exit.cpu"), withinPercentage(6));
        f.md.cpuSwitchto(0, null, f.idle[0]);
        assertThat(f.md.loadedPmap(0)).isSameAs(f.md.pmapKernel());
    }

    @Test
    void switchAlwaysCallsSetttbAndChargesSaveOnlyWithAnOldThread()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        Pcb thread = f.md.cpuFork(0, f.idle[0], pmap, false);
        long save = f.md.costs().cycles("md.switch.save");
        long restore = f.md.costs().cycles("md.switch.restore");
        long ttb = f.md.costs().cycles("md.ttb.load") + f.md.costs().cycles("md.arm64.bp_flush");
        long asid = f.md.costs().cycles("md.arm64.asid_alloc") + 2 * f.md.costs().cycles("md.arm64.asid_scan_word");

        // the MI jitters every charge by up to 5%
        long before = f.machine.stats().sysCycles(0);
        f.md.cpuSwitchto(0, f.idle[0], thread);
        assertThat(f.machine.stats().sysCycles(0) - before).isCloseTo(save + restore + ttb + asid, withinPercentage(6));

        before = f.machine.stats().sysCycles(0);
        f.md.cpuSwitchto(0, null, f.idle[0]);
        assertThat(f.machine.stats().sysCycles(0) - before).isCloseTo(restore + ttb, withinPercentage(6));
        assertThat(f.machine.stats().tlbFlushes()).isZero();
    }

    @Test
    void rolloverWithADestroyedPmapStillCurrentElsewhereIsCaught()
    {
        // The hazard pmap_rollover_asid() has: it reads every CPU's ci_curpm. A pmap destroyed
        // while another CPU still has it as ci_curpm (its thread deactivated but never switched
        // away or borrowed pmap_kernel) is a use after free there.
        Arm64Fixture f = new Arm64Fixture(2, Map.of("asid8", ""), Set.of());
        Arm64Pmap victim = f.createPmap();
        Pcb thread = f.run(1, victim);
        f.md.pmapDeactivate(1, thread);
        assertThat(victim.destroy(0)).isTrue();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 200; i++) {
                Pcb t = f.run(0, f.createPmap());
                f.md.cpuSwitchto(0, t, f.idle[0]);
            }
        }).isInstanceOfSatisfying(KernelPanic.class, panic -> {
            assertThat(panic.invariant()).isEqualTo("destroyed-pmap");
            assertThat(panic.detail()).contains("pmap_rollover_asid", "cpu1", "pmap " + victim.id());
        });
    }

    @Test
    void switchingToADestroyedPmapIsCaught()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        Pcb thread = f.md.cpuFork(0, f.idle[0], pmap, false);
        pmap.destroy(0);
        assertThatThrownBy(() -> f.md.cpuSwitchto(0, f.idle[0], thread))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("destroyed-pmap"));
    }
}
