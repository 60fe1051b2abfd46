package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pcb;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.fugu.kernel.md.Access.PROT_READ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ASID allocation and rollover as pmap_allocate_asid()/pmap_rollover_asid() do it, made easy to
 * reach with {@code asid8}: 256 ASIDs are 128 pairs, pair 0 is the kernel's, so the 128th user
 * pmap switched in starts a new generation.
 */
class Arm64AsidTest
{
    private static final long VA = 0x30_0000L;

    @Test
    void pagingModeNamesTheAsidWidth()
    {
        assertThat(new Arm64Fixture(1).md.pagingMode()).isEqualTo("4K granule, 16-bit ASID");
        assertThat(new Arm64Fixture(1, Map.of("asid8", ""), Set.of()).md.pagingMode()).isEqualTo("4K granule, 8-bit ASID");
    }

    @Test
    void pairsAreHandedOutLowestFirstAndReusedAfterFree()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap a = f.createPmap();
        Arm64Pmap b = f.createPmap();
        Pcb ta = f.run(0, a);
        assertThat(f.md.currentAsid(0)).isEqualTo(2);
        Pcb tb = f.md.cpuFork(0, ta, b, false);
        f.md.cpuSwitchto(0, ta, tb);
        assertThat(f.md.currentAsid(0)).isEqualTo(4);
        f.md.cpuSwitchto(0, tb, f.idle[0]);
        f.md.pmapDeactivate(0, ta);
        a.destroy(0);
        Arm64Pmap c = f.createPmap();
        f.run(0, c);
        // pmap_free_asid cleared pair 2 of this generation
        assertThat(f.md.currentAsid(0)).isEqualTo(2);
    }

    @Test
    void rolloverStartsAGenerationFlushesEveryTlbAndReassignsOnSwitchIn()
    {
        Arm64Fixture f = new Arm64Fixture(2, Map.of("asid8", ""), Set.of());
        long generation = f.md.asidGeneration();

        // cpu1 keeps one pmap current through the rollover
        Arm64Pmap survivor = f.createPmap();
        survivor.enter(0, VA, 50, PROT_READ);
        f.run(1, survivor);
        int survivorAsid = f.md.currentAsid(1);
        assertThat(f.md.access(1, VA, Access.READ | Access.USER)).isEqualTo(50L * 4096);

        // fill the other 126 pairs on cpu0 and switch away from each
        List<Arm64Pmap> pmaps = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        seen.add(survivorAsid);
        for (int i = 0; i < 126; i++) {
            Arm64Pmap pmap = f.createPmap();
            pmaps.add(pmap);
            Pcb thread = f.run(0, pmap);
            seen.add(f.md.currentAsid(0));
            f.md.cpuSwitchto(0, thread, f.idle[0]);
        }
        assertThat(seen).hasSize(127).allMatch(asid -> asid > 0 && asid < 256 && asid % 2 == 0);
        assertThat(f.md.asidGeneration()).isEqualTo(generation);
        Arm64Pmap stale = pmaps.get(0);
        stale.enter(0, VA, 60, PROT_READ);

        long flushes = f.machine.stats().tlbFlushes();
        Arm64Pmap overflow = f.createPmap();
        f.run(0, overflow);

        // a new generation, every CPU's TLB flushed once by tlbi vmalle1is
        assertThat(f.md.asidGeneration()).isEqualTo(generation + AsidSpace.MAX_NASID);
        assertThat(f.machine.stats().tlbFlushes() - flushes).isEqualTo(2);
        assertThat(f.md.tlb(1).size()).isZero();
        // the pmap current on cpu1 was carried over with its ASID, now of the new generation
        assertThat(survivor.asid).isEqualTo(survivorAsid | f.md.asidGeneration());
        assertThat(f.md.currentAsid(1)).isEqualTo(survivorAsid);
        assertThat(f.md.access(1, VA, Access.READ | Access.USER)).isEqualTo(50L * 4096);
        // the new pmap got the lowest free pair (cpu0's idle is on pmap_kernel: only 0 and the survivor's are taken)
        assertThat(f.md.currentAsid(0)).isEqualTo(survivorAsid == 2 ? 4 : 2);

        // a live pmap not current anywhere keeps its old generation until its next switch-in
        assertThat(stale.asid & ~AsidSpace.ASID_MASK).isEqualTo(generation);
        Pcb again = f.md.cpuFork(0, f.idle[0], stale, false);
        f.md.cpuSwitchto(0, f.idle[0], again);
        assertThat(stale.asid & ~AsidSpace.ASID_MASK).isEqualTo(f.md.asidGeneration());
        assertThat(f.md.currentAsid(0)).isNotEqualTo(survivorAsid);
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(60L * 4096);
    }

    @Test
    void sixteenBitAsidsDoNotRollOverSoon()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        long generation = f.md.asidGeneration();
        for (int i = 0; i < 300; i++) {
            Pcb thread = f.run(0, f.createPmap());
            f.md.cpuSwitchto(0, thread, f.idle[0]);
        }
        assertThat(f.md.asidGeneration()).isEqualTo(generation);
        assertThat(f.machine.stats().tlbFlushes()).isZero();
    }
}
