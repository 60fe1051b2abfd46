package dev.fugu.arch.i386;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.MdCapability;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;
import org.junit.jupiter.api.Test;

import static dev.fugu.arch.i386.I386Machines.md;
import static dev.fugu.arch.i386.I386Machines.runUser;
import static dev.fugu.arch.i386.I386Machines.userFrame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Classic 32-bit paging with {@code --arch-opt nopae} bit by bit (Intel SDM Vol. 3A §4.3 "32-Bit
 * Paging": table 4-4 PDE of a 4 MB page, 4-5 PDE of a page table, 4-6 PTE), as pmap.c lays it out.
 */
class TestTwoLevelPageTables
{
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;

    @Test
    void entriesAreThirtyTwoBitsWide()
    {
        Machine machine = I386Machines.nopae(1);
        I386Machine md = md(machine);
        PhysicalMemory phys = machine.physmem();
        I386Pmap pmap = (I386Pmap) md.pmapCreate(0);
        assertThat(pmap.pdPa).hasSize(1);
        assertThat(pmap.rootPa()).as("%cr3 holds the page directory itself").isEqualTo(pmap.pdPa[0]);
        long va = 0x1400_3000L;
        long first = userFrame(machine);
        long second = userFrame(machine);
        pmap.enter(0, va, first, RW);
        pmap.enter(0, va + 4096, second, RW);

        // VA bits 31:22 = 0x50: PDE 0x50 at byte offset 4 * 0x50 (table 4-5): PTP frame | 0x67.
        long pde = phys.read32(pmap.rootPa() + 4 * 0x50) & 0xffff_ffffL;
        assertThat(pde & 0xfff).isEqualTo(0x67);
        long ptp = pde & I386Pte.FRAME_32;

        // VA bits 21:12 = 3 and 4: PTEs 3 and 4 at byte offsets 12 and 16 (table 4-6):
        // P | R/W | U/S | PG_PVLIST, no NX bit to set.
        int pte3 = phys.read32(ptp + 4 * 3);
        int pte4 = phys.read32(ptp + 4 * 4);
        assertThat(pte3 & 0xffff_ffffL).isEqualTo((first << 12) | 0x407);
        assertThat(pte4 & 0xffff_ffffL).isEqualTo((second << 12) | 0x407);
        // The two halves of one 64-bit word are entries 2 and 3: 32-bit entries, not 64-bit ones.
        assertThat(phys.read64(ptp + 8)).isEqualTo(((first << 12) | 0x407) << 32);
        assertThat(md.walk(pmap, va + 4096 + 0xabc)).isEqualTo((second << 12) + 0xabc);
        assertThat(pmap.pageTablePages()).as("page directory and one PTP").isEqualTo(2);
    }

    @Test
    void executableMappingsCarryThePgXSoftwareBit()
    {
        Machine machine = I386Machines.nopae(1);
        I386Pmap pmap = (I386Pmap) md(machine).pmapCreate(0);
        long pfn = userFrame(machine);
        pmap.enter(0, 0x1400_0000L, pfn, Access.PROT_READ | Access.PROT_EXEC);
        long ptp = (machine.physmem().read32(pmap.rootPa() + 4 * 0x50) & 0xffff_ffffL) & I386Pte.FRAME_32;
        // PG_X (0x800, PG_AVAIL3) | PG_PVLIST (0x400) | PG_u | PG_V: read-only and executable.
        assertThat(machine.physmem().read32(ptp) & 0xffff_ffffL).isEqualTo((pfn << 12) | 0xc05);
    }

    @Test
    void accessedAndDirtyBitsInTheRawPte()
    {
        Machine machine = I386Machines.nopae(1);
        I386Machine md = md(machine);
        I386Pmap pmap = (I386Pmap) md.pmapCreate(0);
        long va = 0x1400_3000L;
        long pfn = userFrame(machine);
        pmap.enter(0, va, pfn, RW);
        runUser(md, 0, pmap);
        long ptp = (machine.physmem().read32(pmap.rootPa() + 4 * 0x50) & 0xffff_ffffL) & I386Pte.FRAME_32;

        md.access(0, va, Access.READ | Access.USER);
        assertThat(machine.physmem().read32(ptp + 12) & 0xffff_ffffL).isEqualTo((pfn << 12) | 0x427);
        md.access(0, va, Access.WRITE | Access.USER);
        assertThat(machine.physmem().read32(ptp + 12) & 0xffff_ffffL).isEqualTo((pfn << 12) | 0x467);
        assertThat(pmap.isReferenced(va)).isTrue();
        assertThat(pmap.isModified(va)).isTrue();
    }

    @Test
    void kernelUsesGlobalFourMegabytePdes()
    {
        Machine machine = I386Machines.nopae(1);
        I386Machine md = md(machine);
        PhysicalMemory phys = machine.physmem();
        I386Pmap kernel = (I386Pmap) md.pmapKernel();
        // PDSLOT_KERN 832 = KERNBASE >> 22; table 4-4: P | PS | G for text, plus R/W for data.
        assertThat(phys.read32(kernel.rootPa() + 4 * 832) & 0xffff_ffffL).isEqualTo(0x181);
        assertThat(phys.read32(kernel.rootPa() + 4 * 833) & 0xffff_ffffL).isEqualTo(0x40_0000L | 0x183);
        // A 4 MB page: the low 22 VA bits are the offset.
        assertThat(md.walk(kernel, 0xd03f_fffcL)).isEqualTo(0x3f_fffcL);
        assertThat(md.walk(kernel, 0xd040_0004L)).isEqualTo(0x40_0004L);
        // The recursive PDE at PDSLOT_PTE 831 (pmap.h) maps the page directory as a page table.
        assertThat(phys.read32(kernel.rootPa() + 4 * 831) & 0xffff_ffffL).isEqualTo(kernel.rootPa() | 0x63);

        Pmap user = md.pmapCreate(0);
        assertThat(md.walk(user, 0xd000_0100L)).isEqualTo(0x100L);
        assertThat(md.walk(user, I386Machine.KERNEL_PAGES_VA)).isEqualTo(0x80_0000L);
    }

    @Test
    void withoutNxEveryReadablePageExecutes()
    {
        Machine machine = I386Machines.nopae(1);
        I386Machine md = md(machine);
        assertThat(md.capabilities()).doesNotContain(MdCapability.NX).contains(MdCapability.SHOOTDOWN_IPI);
        assertThat(md.pagingLevels()).isEqualTo(2);
        Pmap pmap = md.pmapCreate(0);
        long pfn = userFrame(machine);
        pmap.enter(0, 0x1400_0000L, pfn, RW);
        runUser(md, 0, pmap);
        assertThat(md.access(0, 0x1400_0000L, Access.EXECUTE | Access.USER)).isEqualTo(pfn << 12);
        assertThat(md.access(0, 0xd040_0000L, Access.EXECUTE)).isEqualTo(0x40_0000L);
    }
}
