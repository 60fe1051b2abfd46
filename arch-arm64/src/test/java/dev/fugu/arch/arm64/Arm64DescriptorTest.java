package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.Access;
import org.junit.jupiter.api.Test;

import static dev.fugu.kernel.md.Access.PROT_EXEC;
import static dev.fugu.kernel.md.Access.PROT_READ;
import static dev.fugu.kernel.md.Access.PROT_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Descriptors as the hardware reads them from the frames, against values computed by hand from
 * the Arm ARM (DDI 0487, D8.3.1 table descriptors, D8.3.2 block/page descriptors: AttrIndx[4:2],
 * AP[7:6], SH[9:8], AF[10], nG[11], GP[50], PXN[53], UXN[54]) and OpenBSD's
 * ap_bits_user[]/ap_bits_kern[] (sys/arch/arm64/arm64/pmap.c).
 */
class Arm64DescriptorTest
{
    private static final long VA = 0x40_0000L; // L1 0, L2 2, L3 0

    @Test
    void tableDescriptorsPointAtTheNextLevelWithType0b11()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        assertThat(pmap.enter(0, VA, 1000, PROT_READ | PROT_WRITE)).isTrue();

        long l1 = f.descriptor(pmap.rootPa(), VA, 1);
        long l2 = f.descriptor(pmap.rootPa(), VA, 2);
        // D8.3.1: bits[1:0] = 0b11, next-level table address in [47:12], nothing else set
        assertThat(l1 & 0b11).isEqualTo(0b11);
        assertThat(l1 & ~Descriptors.ADDRESS_MASK).isEqualTo(0b11);
        assertThat(l2 & ~Descriptors.ADDRESS_MASK).isEqualTo(0b11);
        assertThat(f.read64((l2 & Descriptors.ADDRESS_MASK) + 0)).isEqualTo(f.descriptor(pmap.rootPa(), VA, 3));
        assertThat(pmap.pageTablePages()).isEqualTo(3);
    }

    @Test
    void userReadWritePageIsEnteredReadOnlyThenMadeWritableByTheFirstWrite()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 1000, PROT_READ | PROT_WRITE);
        f.run(0, pmap);
        long pa = 1000L * 4096;

        // ap_bits_user[PROT_READ] = PXN|UXN|AF|AP(3), plus nG, SH inner (0b11), AttrIndx 3 (WB), L3_P:
        // low 12 bits 0x800|0x400|0x300|0xc0|0xc|0x3 = 0xfcf, bits 53 and 54 = 0x0060_0000_0000_0000
        assertThat(f.descriptor(pmap.rootPa(), VA, 3)).isEqualTo(0x0060_0000_0000_0fcfL | pa);
        assertThat(f.md.walk(pmap, VA + 0x123)).isEqualTo(pa + 0x123);

        assertThat(f.md.access(0, VA + 8, Access.WRITE | Access.USER)).isEqualTo(pa + 8);
        // ap_bits_user[PROT_READ|PROT_WRITE] = PXN|UXN|AF|AP(1): 0x800|0x400|0x300|0x40|0xc|0x3 = 0xf4f
        assertThat(f.descriptor(pmap.rootPa(), VA, 3)).isEqualTo(0x0060_0000_0000_0f4fL | pa);
    }

    @Test
    void executableUserPageClearsUxnButKeepsPxn()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 7, PROT_READ | PROT_EXEC);
        // ap_bits_user[PROT_READ|PROT_EXEC] = PXN|AF|AP(3): UXN (bit 54) clear, PXN (bit 53) set
        assertThat(f.descriptor(pmap.rootPa(), VA, 3)).isEqualTo(0x0020_0000_0000_0fcfL | 7 * 4096L);
    }

    @Test
    void kernelImagePagesAreEl1OnlyGuardedAndNonGlobal()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        long root = f.md.pmapKernel().rootPa();
        long text = Arm64MachineDependent.KERNEL_MIN;
        long rodata = text + 4 * 4096;
        long data = text + 6 * 4096;
        long textPa = f.md.kernelImageFrames().get(0) * 4096;
        long rodataPa = f.md.kernelImageFrames().get(4) * 4096;
        long dataPa = f.md.kernelImageFrames().get(6) * 4096;

        // ap_bits_kern[R|X] = UXN|AF|AP(2), pm_guarded = ATTR_GP (bit 50): 0x800|0x400|0x300|0x80|0xc|0x3 = 0xf8f
        assertThat(f.descriptor(root, text, 3)).isEqualTo(0x0044_0000_0000_0f8fL | textPa);
        // ap_bits_kern[R] = PXN|UXN|AF|AP(2)
        assertThat(f.descriptor(root, rodata, 3)).isEqualTo(0x0064_0000_0000_0f8fL | rodataPa);
        // ap_bits_kern[R|W] = PXN|UXN|AF|AP(0): 0xf0f
        assertThat(f.descriptor(root, data, 3)).isEqualTo(0x0064_0000_0000_0f0fL | dataPa);
        // nG is set on kernel pages too (pmap_pte_update starts from ATTR_nG)
        assertThat(f.descriptor(root, text, 3) & Descriptors.NG).isNotZero();
        assertThat(f.md.walk(f.md.pmapKernel(), data + 0x10)).isEqualTo(dataPa + 0x10);
    }

    @Test
    void walkerFollowsL1AndL2BlockDescriptors()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 1000, PROT_READ);
        long l2Table = f.descriptor(pmap.rootPa(), VA, 1) & Descriptors.ADDRESS_MASK;

        // D8.3.2: an L2 block (bits[1:0] = 0b01) maps 2 MB; output address bits [47:21]
        long l2Block = Descriptors.block(0x4000_0000L, 2, PROT_READ | PROT_WRITE, false);
        assertThat(l2Block & 0b11).isEqualTo(0b01);
        assertThat(l2Block).isEqualTo(0x0060_0000_4000_0f4dL);
        f.machine.physmem().write64(l2Table + 5 * 8, l2Block);
        assertThat(f.md.walk(pmap, 0xa0_0000L + 0x12345)).isEqualTo(0x4000_0000L + 0x12345);

        // an L1 block maps 1 GB: output address bits [47:30]
        f.machine.physmem().write64(pmap.rootPa() + 8, Descriptors.block(0x8000_0000L, 1, PROT_READ, false));
        assertThat(f.md.walk(pmap, 0x4000_0000L + 0x123456)).isEqualTo(0x8000_0000L + 0x123456);

        // the TLB fills from a block like from a page, one 4 KB entry
        f.run(0, pmap);
        assertThat(f.md.access(0, 0xa0_1000L, Access.WRITE | Access.USER)).isEqualTo(0x4000_1000L);
        assertThat(f.md.tlb(0).holds(pmap, 0xa0_1000L)).isTrue();
        // an invalid descriptor at L3 type 0b01 is reserved: a translation fault
        f.machine.physmem().write64(l2Table + 6 * 8, 0);
        assertThat(f.md.walk(pmap, 0xc0_0000L)).isEqualTo(-1);
    }

    @Test
    void accessBitsFollowTheOpenBsdTables()
    {
        // user: ap_bits_user[]
        assertThat(Descriptors.accessBits(0, false)).isZero();
        assertThat(Descriptors.accessBits(PROT_READ, false)).isEqualTo(Descriptors.PXN | Descriptors.UXN | Descriptors.AF | (3L << 6));
        assertThat(Descriptors.accessBits(PROT_WRITE, false)).isEqualTo(Descriptors.PXN | Descriptors.UXN | Descriptors.AF | (1L << 6));
        assertThat(Descriptors.accessBits(PROT_EXEC, false)).isEqualTo(Descriptors.PXN | Descriptors.AF | (2L << 6));
        assertThat(Descriptors.accessBits(PROT_EXEC | PROT_WRITE | PROT_READ, false)).isEqualTo(Descriptors.PXN | Descriptors.AF | (1L << 6));
        // kernel: ap_bits_kern[]
        assertThat(Descriptors.accessBits(PROT_READ, true)).isEqualTo(Descriptors.PXN | Descriptors.UXN | Descriptors.AF | (2L << 6));
        assertThat(Descriptors.accessBits(PROT_WRITE | PROT_READ, true)).isEqualTo(Descriptors.PXN | Descriptors.UXN | Descriptors.AF);
        assertThat(Descriptors.accessBits(PROT_EXEC, true)).isEqualTo(Descriptors.UXN | Descriptors.AF | (2L << 6));
        // execute-only user pages: no EL0 data access, but fetchable at EL0
        long xo = Descriptors.page(0x1000, PROT_EXEC, false, 0);
        assertThat(Descriptors.allowed(xo, true)).isEqualTo(PROT_EXEC);
        assertThat(Descriptors.allowed(xo, false)).isEqualTo(PROT_READ);
    }
}
