package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pmap;
import org.junit.jupiter.api.Test;

import static dev.fugu.arch.amd64.Amd64MachineDependent.KERNTEXTOFF;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries read back from the simulated frames against values computed by hand from Intel SDM
 * Vol. 3A §4.5 (table 4-15 PML4E, 4-17 PDPTE, 4-19 PDE, 4-20 PTE) and OpenBSD's pmap.c.
 */
class Amd64PageTableTest
{
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;
    private static final int RX = Access.PROT_READ | Access.PROT_EXEC;

    @Test
    void kernelTablesAfterBootstrap()
    {
        Rig rig = Rig.pcid(1);
        long root = rig.md.pmapKernel().rootPa();
        // Recursive slot 255: pdirpa | PG_V | PG_KW | pg_nx (pmap_pdp_ctor).
        assertThat(rig.read64(root + 8 * 255)).isEqualTo(root | 0x8000_0000_0000_0003L);
        // Slot 256, kernel VA: pmap_alloc_level()'s pa | PG_RW | PG_V | pg_nx.
        assertThat(rig.read64(root + 8 * 256) & ~Pte.PG_FRAME).isEqualTo(0x8000_0000_0000_0003L);
        // Slot 511, kernel image: RWX upper levels (locore0.S).
        assertThat(rig.read64(root + 8 * 511) & ~Pte.PG_FRAME).isEqualTo(0x3L);
        // KERNTEXTOFF = 0xffffffff81000000: PML4 511, PDPT 510, PD 8, PT 0.
        assertThat(Pte.index(KERNTEXTOFF, 4)).isEqualTo(511);
        assertThat(Pte.index(KERNTEXTOFF, 3)).isEqualTo(510);
        assertThat(Pte.index(KERNTEXTOFF, 2)).isEqualTo(8);
        assertThat(Pte.index(KERNTEXTOFF, 1)).isZero();
        long[] image = rig.md.kernelImageFrames();
        // Text r-x, no PG_G with PCIDs (pg_g_kern = 0); rodata r-- NX; data rw- NX.
        assertThat(rig.entry(root, KERNTEXTOFF, 1)).isEqualTo(image[0] << 12 | 0x1L);
        assertThat(rig.entry(root, KERNTEXTOFF + 6 * 4096, 1)).isEqualTo(image[6] << 12 | 0x8000_0000_0000_0001L);
        assertThat(rig.entry(root, KERNTEXTOFF + 10 * 4096, 1)).isEqualTo(image[10] << 12 | 0x8000_0000_0000_0003L);
        // 5 tables (PML4, two PDPTs, PD, PT) plus the 16 image frames taken as page-table pages.
        assertThat(rig.md.pmapKernel().pageTablePages()).isEqualTo(5 + 16);
        assertThat(rig.physmem.pageTablePages()).isEqualTo(21);
    }

    @Test
    void kernelPtesAreGlobalWithoutPcid()
    {
        Rig rig = Rig.nopcid(1);
        long root = rig.md.pmapKernel().rootPa();
        long[] image = rig.md.kernelImageFrames();
        // pg_g_kern = PG_G on a CPU without PCIDs that is safe from Meltdown.
        assertThat(rig.entry(root, KERNTEXTOFF, 1)).isEqualTo(image[0] << 12 | 0x101L);
    }

    @Test
    void userPml4SharesTheKernelHalf()
    {
        Rig rig = Rig.pcid(1);
        Pmap pmap = rig.md.pmapCreate(0);
        long root = pmap.rootPa();
        long kernelRoot = rig.md.pmapKernel().rootPa();
        assertThat(rig.read64(root + 8 * 255)).isEqualTo(root | 0x8000_0000_0000_0003L);
        assertThat(rig.read64(root + 8 * 256)).isEqualTo(rig.read64(kernelRoot + 8 * 256));
        assertThat(rig.read64(root + 8 * 511)).isEqualTo(rig.read64(kernelRoot + 8 * 511));
        for (int slot = 0; slot < 255; slot++) {
            assertThat(rig.read64(root + 8L * slot)).isZero();
        }
        // The kernel image is reachable through the user PML4, for the kernel only.
        assertThat(rig.md.walk(pmap, KERNTEXTOFF + 5)).isEqualTo(rig.md.kernelImageFrames()[0] << 12 | 5);
        assertThat(pmap.pageTablePages()).isEqualTo(1);
    }

    @Test
    void userMappingBitForBit()
    {
        Rig rig = Rig.pcid(1);
        Pmap pmap = rig.md.pmapCreate(0);
        long va = 0x403000L;
        long pfn = rig.userFrame();
        assertThat(pmap.enter(0, va, pfn, RW)).isTrue();
        long root = pmap.rootPa();
        // va 0x403000: PML4 0, PDPT 0, PD 2, PT 3.
        long pml4e = rig.read64(root);
        long pdpt = pml4e & Pte.PG_FRAME;
        long pdpte = rig.read64(pdpt);
        long pd = pdpte & Pte.PG_FRAME;
        long pde = rig.read64(pd + 8 * 2);
        long pt = pde & Pte.PG_FRAME;
        long pte = rig.read64(pt + 8 * 3);
        // pmap_get_ptp(): pa | PG_u | PG_RW | PG_V = 0x7.
        assertThat(pml4e & ~Pte.PG_FRAME).isEqualTo(0x7L);
        assertThat(pdpte & ~Pte.PG_FRAME).isEqualTo(0x7L);
        assertThat(pde & ~Pte.PG_FRAME).isEqualTo(0x7L);
        // pa | protection_codes[rw-] (PG_RW | pg_nx) | PG_V | PG_u | PG_PVLIST.
        assertThat(pte).isEqualTo(pfn << 12 | 0x8000_0000_0000_0407L);
        assertThat(pmap.pageTablePages()).isEqualTo(4);
        assertThat(rig.md.walk(pmap, va + 0x123)).isEqualTo(pfn << 12 | 0x123);

        long text = 0x404000L;
        long textFrame = rig.userFrame();
        pmap.enter(0, text, textFrame, RX);
        // r-x: PG_RO, no NX: pa | 0x405.
        assertThat(rig.entry(root, text, 1)).isEqualTo(textFrame << 12 | 0x405L);
        long ro = 0x405000L;
        long roFrame = rig.userFrame();
        pmap.enter(0, ro, roFrame, Access.PROT_READ);
        assertThat(rig.entry(root, ro, 1)).isEqualTo(roFrame << 12 | 0x8000_0000_0000_0405L);
        // The same PT holds all three.
        assertThat(pmap.pageTablePages()).isEqualTo(4);
    }

    @Test
    void topOfUserSpace()
    {
        Rig rig = Rig.pcid(1);
        Pmap pmap = rig.md.pmapCreate(0);
        long va = Pte.VM_MAXUSER_ADDRESS - 4096;
        assertThat(va).isEqualTo(0x7f7f_ffff_b000L);
        long pfn = rig.userFrame();
        pmap.enter(0, va, pfn, RW);
        // 0x7f7fffffb000: PML4 254, PDPT 511, PD 511, PT 507.
        long root = pmap.rootPa();
        assertThat(rig.read64(root + 8 * 254) & 0xfffL).isEqualTo(0x7L);
        long pdpt = rig.read64(root + 8 * 254) & Pte.PG_FRAME;
        long pd = rig.read64(pdpt + 8 * 511) & Pte.PG_FRAME;
        long pt = rig.read64(pd + 8 * 511) & Pte.PG_FRAME;
        assertThat(rig.read64(pt + 8 * 507)).isEqualTo(pfn << 12 | 0x8000_0000_0000_0407L);
    }

    @Test
    void accessedAndDirtyBitsAreSetByTheWalker()
    {
        Rig rig = Rig.pcid(1);
        Pmap pmap = rig.md.pmapCreate(0);
        long va = 0x403000L;
        long pfn = rig.userFrame();
        pmap.enter(0, va, pfn, RW);
        rig.run(0, pmap);
        long root = pmap.rootPa();

        assertThat(rig.md.access(0, va, Access.READ | Access.USER)).isEqualTo(pfn << 12);
        // SDM §4.8: A (0x20) in every entry used; D only on a write.
        assertThat(rig.entry(root, va, 4) & 0xfffL).isEqualTo(0x27L);
        assertThat(rig.entry(root, va, 3) & 0xfffL).isEqualTo(0x27L);
        assertThat(rig.entry(root, va, 2) & 0xfffL).isEqualTo(0x27L);
        assertThat(rig.entry(root, va, 1)).isEqualTo(pfn << 12 | 0x8000_0000_0000_0427L);
        assertThat(pmap.isReferenced(va)).isTrue();
        assertThat(pmap.isModified(va)).isFalse();

        // The TLB entry was filled clean, so a write walks again to set D.
        assertThat(rig.md.access(0, va + 8, Access.WRITE | Access.USER)).isEqualTo(pfn << 12 | 8);
        assertThat(rig.entry(root, va, 1)).isEqualTo(pfn << 12 | 0x8000_0000_0000_0467L);
        assertThat(pmap.isModified(va)).isTrue();
        assertThat(rig.entry(root, va, 2) & Pte.PG_M).isZero();
    }

    @Test
    void faults()
    {
        Rig rig = Rig.pcid(1);
        Pmap pmap = rig.md.pmapCreate(0);
        long data = 0x403000L;
        long text = 0x404000L;
        pmap.enter(0, data, rig.userFrame(), Access.PROT_READ);
        pmap.enter(0, text, rig.userFrame(), RX);
        rig.run(0, pmap);
        assertThat(rig.md.access(0, data, Access.WRITE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(rig.md.access(0, data, Access.EXECUTE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(rig.md.access(0, text, Access.EXECUTE | Access.USER)).isNotNegative();
        assertThat(rig.md.access(0, 0x900000L, Access.READ | Access.USER)).isEqualTo(Access.FAULT_INVALID);
        // User mode may not touch the kernel; the kernel may, but not write its text.
        assertThat(rig.md.access(0, KERNTEXTOFF, Access.READ | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(rig.md.access(0, KERNTEXTOFF, Access.EXECUTE)).isNotNegative();
        assertThat(rig.md.access(0, KERNTEXTOFF, Access.WRITE)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(rig.md.access(0, KERNTEXTOFF + 10 * 4096, Access.WRITE)).isNotNegative();
        assertThat(rig.md.access(0, KERNTEXTOFF + 10 * 4096, Access.EXECUTE)).isEqualTo(Access.FAULT_PROTECTION);
        // SMEP: the kernel does not execute user pages.
        assertThat(rig.md.access(0, text, Access.EXECUTE)).isEqualTo(Access.FAULT_PROTECTION);
        // Non-canonical: bits 63..47 differ (#GP).
        assertThat(rig.md.access(0, 0x0000_8000_0000_0000L, Access.READ)).isEqualTo(Access.FAULT_PROTECTION);
        // The recursive slot maps the PML4 itself, supervisor only.
        long selfMap = (255L << 39) | (255L << 30) | (255L << 21) | (255L << 12);
        assertThat(rig.md.walk(pmap, selfMap)).isEqualTo(pmap.rootPa());
        assertThat(rig.md.access(0, selfMap, Access.READ | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
    }

    @Test
    void enterFailureGivesBackItsTables()
    {
        Rig rig = Rig.pcid(1);
        Pmap pmap = rig.md.pmapCreate(0);
        long pfn = rig.userFrame();
        // Leave two frames: a new PDPT and PD fit, the PT does not.
        while (rig.physmem.freeFrames() > 2) {
            rig.userFrame();
        }
        long root = pmap.rootPa();
        assertThat(pmap.enter(0, 0x403000L, pfn, RW)).isFalse();
        assertThat(rig.physmem.freeFrames()).isEqualTo(2);
        assertThat(rig.read64(root)).isZero();
        assertThat(pmap.pageTablePages()).isEqualTo(1);
        assertThat(pmap.residentCount()).isZero();
    }

    @Test
    void destroyReturnsEveryPageTablePage()
    {
        Rig rig = Rig.pcid(2);
        long before = rig.physmem.freeFrames();
        Pmap pmap = rig.md.pmapCreate(0);
        long[] vas = {0x403000L, 0x40_0000_0000L, 0x7f7f_ffff_b000L, 0x1_0000_0000L, 0x404000L};
        long[] frames = new long[vas.length];
        for (int i = 0; i < vas.length; i++) {
            frames[i] = rig.userFrame();
            assertThat(pmap.enter(1, vas[i], frames[i], RW)).isTrue();
        }
        // PML4; PDPT, PD, PT of 0x403000 (and 0x404000); PD, PT of 0x40_0000_0000 (PDPT index 256)
        // and of 0x1_0000_0000 (PDPT index 4) under the same PDPT; PDPT, PD, PT of PML4 slot 254.
        assertThat(pmap.pageTablePages()).isEqualTo(1 + 3 + 2 + 2 + 3);
        long afterEnter = rig.physmem.freeFrames();
        assertThat(before - afterEnter).isEqualTo(pmap.pageTablePages() + vas.length);
        assertThat(pmap.destroy(1)).isTrue();
        assertThat(pmap.pageTablePages()).isZero();
        assertThat(rig.physmem.freeFrames()).isEqualTo(before - vas.length);
    }

    @Test
    void removeFreesEmptyTablesUpToThePdpt()
    {
        Rig rig = Rig.pcid(1);
        Pmap pmap = rig.md.pmapCreate(0);
        pmap.enter(0, 0x403000L, rig.userFrame(), RW);
        pmap.enter(0, 0x404000L, rig.userFrame(), RW);
        long before = rig.physmem.freeFrames();
        assertThat(pmap.remove(0, 0x403000L, 0x404000L)).isEqualTo(1);
        assertThat(pmap.pageTablePages()).isEqualTo(4);
        assertThat(pmap.remove(0, 0x404000L, 0x405000L)).isEqualTo(1);
        // PT, PD and PDPT freed (pmap_free_ptp); the PML4 stays.
        assertThat(pmap.pageTablePages()).isEqualTo(1);
        assertThat(rig.physmem.freeFrames()).isEqualTo(before + 3);
        assertThat(rig.read64(pmap.rootPa())).isZero();
    }

    @Test
    void growKernelReachesEveryPmap()
    {
        Rig rig = Rig.pcid(1);
        Pmap before = rig.md.pmapCreate(0);
        // PML4 slot 257: a kernel VA no boot table covers (pmap_growkernel's new top-level PDE).
        long kva = Pte.VM_MIN_KERNEL_ADDRESS + Pte.NBPD_L4;
        assertThat(Pte.index(kva, 4)).isEqualTo(257);
        long pfn = rig.userFrame();
        assertThat(rig.md.pmapKernel().enter(0, kva, pfn, RW)).isTrue();
        Pmap after = rig.md.pmapCreate(0);
        long kernelSlot = rig.read64(rig.md.pmapKernel().rootPa() + 8 * 257);
        assertThat(kernelSlot & 0xfffL).isEqualTo(0x3L);
        assertThat(rig.read64(before.rootPa() + 8 * 257)).isEqualTo(kernelSlot);
        assertThat(rig.read64(after.rootPa() + 8 * 257)).isEqualTo(kernelSlot);
        assertThat(rig.md.walk(before, kva)).isEqualTo(pfn << 12);
        // A kernel PTE with PCIDs: no PG_G, no PG_u, no PG_PVLIST.
        assertThat(rig.entry(rig.md.pmapKernel().rootPa(), kva, 1)).isEqualTo(pfn << 12 | 0x8000_0000_0000_0003L);
    }
}
