package dev.fugu.arch.arm64;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pcb;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static dev.fugu.kernel.md.Access.PROT_READ;
import static dev.fugu.kernel.md.Access.PROT_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ASID-tagged TLBs across switches, broadcast invalidation, and the stale-translation check.
 */
class Arm64TlbTest
{
    private static final long VA = 0x20_0000L;

    @Test
    void switchingAsidsFlushesNothingAndNeverHitsAnotherPmapsEntries()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap a = f.createPmap();
        Arm64Pmap b = f.createPmap();
        a.enter(0, VA, 100, PROT_READ);
        b.enter(0, VA, 200, PROT_READ);
        Pcb ta = f.run(0, a);
        int asidA = f.md.currentAsid(0);
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(100L * 4096);
        assertThat(f.md.access(0, Arm64MachineDependent.KERNEL_MIN, Access.READ)).isPositive();

        long flushes = f.machine.stats().tlbFlushes();
        Pcb tb = f.md.cpuFork(0, ta, b, false);
        f.md.cpuSwitchto(0, ta, tb);
        int asidB = f.md.currentAsid(0);
        assertThat(asidA).isNotEqualTo(asidB);
        assertThat(asidA % 2).isZero();
        assertThat(asidB % 2).isZero();
        assertThat(f.md.currentPmap(0)).isSameAs(b);
        assertThat(f.md.loadedPmap(0)).isSameAs(b);
        assertThat(f.md.ttbr0(0)).isEqualTo(b.rootPa());
        // same VA, other ASID: B's own page, never A's cached translation
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(200L * 4096);
        assertThat(f.md.access(0, Arm64MachineDependent.KERNEL_MIN, Access.READ)).isPositive();
        assertThat(f.md.tlb(0).holds(a, VA)).isTrue();
        assertThat(f.md.tlb(0).holds(b, VA)).isTrue();
        // kernel entries are nG: one per ASID they were used under
        assertThat(f.md.tlb(0).entriesOf(f.md.pmapKernel())).isEqualTo(2);

        f.md.cpuSwitchto(0, tb, ta);
        assertThat(f.md.currentAsid(0)).isEqualTo(asidA);
        long before = f.machine.stats().sysCycles(0);
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(100L * 4096);
        assertThat(f.machine.stats().sysCycles(0) - before).isCloseTo(f.md.costs().cycles("md.tlb.hit"), withinPercentage(6));
        assertThat(f.machine.stats().tlbFlushes()).isEqualTo(flushes);
    }

    @Test
    void userModeAndKernelModeUseTheTwoAsidsOfThePair()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap a = f.createPmap();
        a.enter(0, VA, 100, PROT_READ);
        f.run(0, a);
        f.md.access(0, VA, Access.READ | Access.USER);
        f.md.access(0, VA, Access.READ);
        // one entry under the even ASID (kernel view), one under the odd (ASID_USER)
        assertThat(f.md.tlb(0).entriesOf(a)).isEqualTo(2);
    }

    @Test
    void removeInvalidatesEveryCpuByBroadcastWithoutIpis()
    {
        Arm64Fixture f = new Arm64Fixture(4);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 100, PROT_READ | PROT_WRITE);
        for (int cpu = 0; cpu < 4; cpu++) {
            f.run(cpu, pmap);
            assertThat(f.md.access(cpu, VA, Access.READ | Access.USER)).isEqualTo(100L * 4096);
            assertThat(f.md.tlb(cpu).holds(pmap, VA)).isTrue();
        }
        long[] cycles = new long[4];
        for (int cpu = 0; cpu < 4; cpu++) {
            cycles[cpu] = f.machine.stats().sysCycles(cpu);
        }
        long invalidations = f.machine.stats().tlbInvalidations();

        assertThat(pmap.remove(2, VA, VA + 4096)).isEqualTo(1);

        for (int cpu = 0; cpu < 4; cpu++) {
            assertThat(f.md.tlb(cpu).holds(pmap, VA)).isFalse();
            assertThat(f.md.access(cpu, VA, Access.READ | Access.USER)).isEqualTo(Access.FAULT_INVALID);
        }
        assertThat(f.machine.stats().shootdownIpis()).isZero();
        assertThat(f.machine.stats().tlbInvalidations() - invalidations).isEqualTo(4);
        // the initiator pays for tlbi + dsb ish; the others only for their own failed walks
        // (the MI jitters each charge by up to 5%)
        assertThat(f.machine.stats().sysCycles(2) - cycles[2]).isGreaterThanOrEqualTo(
                (2 * f.md.costs().cycles("md.tlb.invalidate_page") + f.md.costs().cycles("md.arm64.dsb_ish")) * 9 / 10);
        for (int cpu : new int[] {0, 1, 3}) {
            assertThat(f.machine.stats().sysCycles(cpu) - cycles[cpu])
                    .isLessThan(f.md.costs().cycles("md.arm64.dsb_ish"));
        }
    }

    @Test
    void inactivePmapChangesNeedNoTlbMaintenance()
    {
        Arm64Fixture f = new Arm64Fixture(2);
        Arm64Pmap pmap = f.createPmap();
        long invalidations = f.machine.stats().tlbInvalidations();
        pmap.enter(0, VA, 100, PROT_READ);
        pmap.remove(0, VA, VA + 4096);
        // ttlb_flush returns early while pm_active is 0
        assertThat(f.machine.stats().tlbInvalidations()).isEqualTo(invalidations);
    }

    @Test
    void missedShootdownIsCaughtAsStaleTlb()
    {
        Arm64Fixture f = new Arm64Fixture(2, Map.of(), Set.of("missed-shootdown"));
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 100, PROT_READ | PROT_WRITE);
        f.run(1, pmap);
        assertThat(f.md.access(1, VA, Access.READ | Access.USER)).isEqualTo(100L * 4096);

        pmap.remove(0, VA, VA + 4096);
        assertThat(f.md.tlb(1).holds(pmap, VA)).isTrue();
        assertThatThrownBy(() -> f.md.access(1, VA, Access.READ | Access.USER))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> {
                    assertThat(panic.invariant()).isEqualTo("stale-tlb");
                    assertThat(panic.cpu()).isEqualTo(1);
                    assertThat(panic.detail()).contains("va 0x200000", "pmap " + pmap.id(), "pa 0x64000", "none");
                });
    }

    @Test
    void missedShootdownOnRemapIsCaughtWithBothAddresses()
    {
        Arm64Fixture f = new Arm64Fixture(1, Map.of(), Set.of("missed-shootdown"));
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 100, PROT_READ);
        f.run(0, pmap);
        f.md.access(0, VA, Access.READ | Access.USER);
        pmap.enter(0, VA, 101, PROT_READ);
        assertThatThrownBy(() -> f.md.access(0, VA, Access.READ | Access.USER))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.detail())
                        .contains("pa 0x64000", "pa 0x65000"));
    }

    @Test
    void withoutTheInjectTheSameSequenceIsClean()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 100, PROT_READ);
        f.run(0, pmap);
        f.md.access(0, VA, Access.READ | Access.USER);
        pmap.enter(0, VA, 101, PROT_READ);
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(101L * 4096);
        pmap.enter(0, VA + 4096, 102, PROT_READ);
        // another page of the same pmap changed: the hit is re-walked and still good
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(101L * 4096);
    }
}
