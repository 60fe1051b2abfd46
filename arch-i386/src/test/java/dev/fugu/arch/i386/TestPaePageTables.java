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
 * PAE page tables bit by bit (Intel SDM Vol. 3A §4.4 "PAE Paging": table 4-8 PDPTE, 4-9 PDE of a
 * 2 MB page, 4-10 PDE of a page table, 4-11 PTE), as pmapae.c lays them out.
 */
class TestPaePageTables
{
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;

    @Test
    void userMappingIsBuiltFromHandComputedEntries()
    {
        Machine machine = I386Machines.pae(1);
        I386Machine md = md(machine);
        PhysicalMemory phys = machine.physmem();
        I386Pmap pmap = (I386Pmap) md.pmapCreate(0);
        long va = 0x1400_3000L;
        long pfn = userFrame(machine);
        long pa = pfn << 12;
        assertThat(pmap.enter(0, va, pfn, RW)).isTrue();

        // %cr3 -> PDPT; VA bits 31:30 = 0 pick PDPTE 0, which holds only P (§4.4.1, table 4-8:
        // bits 1-2 are reserved, so no R/W or U/S) and the first page-directory page.
        long pdpte = phys.read64(pmap.rootPa());
        assertThat(pdpte).isEqualTo(pmap.pdPa[0] | 0x1);
        for (int i = 0; i < 4; i++) {
            assertThat(phys.read64(pmap.rootPa() + 8L * i) & 0x6).isZero();
        }

        // VA bits 29:21 = 0xa0: the PDE of a page table (table 4-10) is pmap_alloc_ptp's
        // PG_RW | PG_V | PG_M | PG_U | PG_u = 0x67 over the PTP's frame.
        long pde = phys.read64(pmap.pdPa[0] + 0xa0 * 8);
        assertThat(pde & 0xfff).isEqualTo(0x67);
        assertThat(pde & 0x80).as("PS clear: a page table, not a 2 MB page").isZero();
        long ptp = pde & I386Pte.FRAME_PAE;

        // VA bits 20:12 = 3: the PTE (table 4-11): P | R/W | U/S | PG_PVLIST (bit 10, software) and
        // NX (bit 63) because the protection has no PROT_EXEC; A and D clear until used.
        long pte = phys.read64(ptp + 3 * 8);
        assertThat(pte).isEqualTo(pa | 0x1 | 0x2 | 0x4 | 0x400 | (1L << 63));
        assertThat(md.walk(pmap, va + 0x123)).isEqualTo(pa + 0x123);
        assertThat(pmap.pageTablePages()).as("PDPT, 4 PD pages, 1 PTP").isEqualTo(6);
    }

    @Test
    void executableMappingHasNoNxBit()
    {
        Machine machine = I386Machines.pae(1);
        I386Machine md = md(machine);
        I386Pmap pmap = (I386Pmap) md.pmapCreate(0);
        long va = 0x1400_0000L;
        long pfn = userFrame(machine);
        pmap.enter(0, va, pfn, Access.PROT_READ | Access.PROT_EXEC);
        long pte = machine.physmem().read64((machine.physmem().read64(pmap.pdPa[0] + 0xa0 * 8) & I386Pte.FRAME_PAE));
        assertThat(pte).isEqualTo((pfn << 12) | 0x405);
    }

    @Test
    void accessSetsAccessedThenDirtyInTheRawPte()
    {
        Machine machine = I386Machines.pae(1);
        I386Machine md = md(machine);
        PhysicalMemory phys = machine.physmem();
        I386Pmap pmap = (I386Pmap) md.pmapCreate(0);
        long va = 0x1400_5000L;
        long pfn = userFrame(machine);
        pmap.enter(0, va, pfn, RW);
        runUser(md, 0, pmap);
        long ptePa = (phys.read64(pmap.pdPa[0] + 0xa0 * 8) & I386Pte.FRAME_PAE) + 5 * 8;
        long clean = phys.read64(ptePa);

        assertThat(md.access(0, va + 4, Access.READ | Access.USER)).isEqualTo((pfn << 12) + 4);
        // SDM §4.8: the walk sets the accessed flag (bit 5) and leaves dirty (bit 6) alone on a read.
        assertThat(phys.read64(ptePa)).isEqualTo(clean | 0x20);
        assertThat(pmap.isReferenced(va)).isTrue();
        assertThat(pmap.isModified(va)).isFalse();

        // A write through the clean TLB entry walks again to set the dirty flag.
        assertThat(md.access(0, va, Access.WRITE | Access.USER)).isEqualTo(pfn << 12);
        assertThat(phys.read64(ptePa)).isEqualTo(clean | 0x20 | 0x40);
        assertThat(pmap.isModified(va)).isTrue();
    }

    @Test
    void kernelTextAndDataAreGlobalTwoMegabytePages()
    {
        Machine machine = I386Machines.pae(1);
        I386Machine md = md(machine);
        PhysicalMemory phys = machine.physmem();
        I386Pmap kernel = (I386Pmap) md.pmapKernel();
        // KERNBASE 0xd0000000: PDPTE 3, PDE 0x80 (slot 1664 = PDSLOT_KERN of pmapae.c).
        assertThat(phys.read64(kernel.pdPa[3] + 0x80 * 8)).isEqualTo(0x1 | 0x80 | 0x100);
        assertThat(phys.read64(kernel.pdPa[3] + 0x81 * 8)).isEqualTo(0x20_0000L | 0x1 | 0x2 | 0x80 | 0x100 | (1L << 63));
        // Table 4-9: a PS PDE maps 2 MB; the low 21 VA bits are the offset.
        assertThat(md.walk(kernel, 0xd01f_fffcL)).isEqualTo(0x1f_fffcL);
        assertThat(md.walk(kernel, 0xd020_0010L)).isEqualTo(0x20_0010L);

        // Every user pmap has the same kernel PDEs (pmap_pinit copies them).
        Pmap user = md.pmapCreate(0);
        assertThat(md.walk(user, 0xd012_3456L)).isEqualTo(0x12_3456L);
        assertThat(md.walk(user, I386Machine.KERNEL_PAGES_VA + 0x1008)).isEqualTo(0x80_1008L);

        // Supervisor reads fill a global entry; user mode may not touch kernel pages.
        runUser(md, 0, user);
        assertThat(md.access(0, 0xd010_0000L, Access.READ)).isEqualTo(0x10_0000L);
        assertThat(md.access(0, 0xd010_0000L, Access.READ | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        // Kernel text is read-only (CR0.WP applies to the kernel too).
        assertThat(md.access(0, 0xd000_1000L, Access.WRITE)).isEqualTo(Access.FAULT_PROTECTION);
    }

    @Test
    void recursivePdesPointAtTheFourPageDirectoryPages()
    {
        Machine machine = I386Machines.pae(1);
        I386Pmap pmap = (I386Pmap) md(machine).pmapCreate(0);
        // PDSLOT_PTE 1660-1663 = PD page 3, entries 124-127: PG_V | PG_KW | PG_U | PG_M.
        for (int i = 0; i < 4; i++) {
            assertThat(machine.physmem().read64(pmap.pdPa[3] + (124 + i) * 8L)).isEqualTo(pmap.pdPa[i] | 0x63);
        }
    }

    @Test
    void noExecuteFaultsOnlyWithNx()
    {
        Machine machine = I386Machines.pae(1);
        I386Machine md = md(machine);
        assertThat(md.capabilities()).contains(MdCapability.NX, MdCapability.SHOOTDOWN_IPI);
        Pmap pmap = md.pmapCreate(0);
        long data = 0x1400_0000L;
        long text = 0x1400_1000L;
        long dataFrame = userFrame(machine);
        long textFrame = userFrame(machine);
        pmap.enter(0, data, dataFrame, RW);
        pmap.enter(0, text, textFrame, Access.PROT_READ | Access.PROT_EXEC);
        runUser(md, 0, pmap);

        assertThat(md.access(0, data, Access.EXECUTE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(md.access(0, text, Access.EXECUTE | Access.USER)).isEqualTo(textFrame << 12);
        // The data page stays readable; NX forbids execution only.
        assertThat(md.access(0, data, Access.READ | Access.USER)).isEqualTo(dataFrame << 12);
        // Kernel data is NX too.
        assertThat(md.access(0, 0xd020_0000L, Access.EXECUTE)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(md.access(0, 0xd000_0000L, Access.EXECUTE)).isZero();
    }

    @Test
    void protectWithoutExecuteSetsNx()
    {
        Machine machine = I386Machines.pae(1);
        I386Machine md = md(machine);
        I386Pmap pmap = (I386Pmap) md.pmapCreate(0);
        long va = 0x1400_0000L;
        long pfn = userFrame(machine);
        pmap.enter(0, va, pfn, Access.PROT_READ | Access.PROT_WRITE | Access.PROT_EXEC);
        long ptePa = machine.physmem().read64(pmap.pdPa[0] + 0xa0 * 8) & I386Pte.FRAME_PAE;
        assertThat(machine.physmem().read64(ptePa)).isEqualTo((pfn << 12) | 0x407);
        pmap.protect(0, va, va + 4096, Access.PROT_READ);
        assertThat(machine.physmem().read64(ptePa)).isEqualTo((pfn << 12) | 0x405 | (1L << 63));
    }
}
