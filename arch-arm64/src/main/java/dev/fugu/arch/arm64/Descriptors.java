package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.Access;

/**
 * VMSAv8-64 stage 1 translation table descriptors with the 4 KB granule, bit for bit (Arm ARM,
 * DDI 0487, D8.3 "Translation table descriptor formats": D8.3.1 table descriptors, D8.3.2 block
 * and page descriptors, D8.4 "Memory access control" for AP/UXN/PXN), with the attribute values
 * OpenBSD writes (sys/arch/arm64/include/pte.h: {@code ATTR_*}, {@code PTE_ATTR_*}, {@code L3_P},
 * {@code Lx_TYPE_PT}).
 */
final class Descriptors
{
    /** Bits[1:0] of a valid descriptor: 0b11 is a table (levels 0-2) or a page (level 3). */
    static final long TYPE_MASK = 0b11;
    /** {@code Lx_TYPE_PT}: next-level table (L0-L2). */
    static final long TYPE_TABLE = 0b11;
    /** {@code L3_P}: page descriptor at level 3. */
    static final long TYPE_PAGE = 0b11;
    /** {@code Lx_TYPE_S} / {@code L1_BLOCK}: block descriptor at L1 (1 GB) or L2 (2 MB). */
    static final long TYPE_BLOCK = 0b01;
    static final long VALID = 0b01;

    /** Output address bits [47:12] (pte.h {@code PTE_RPGN}). */
    static final long ADDRESS_MASK = 0x0000_ffff_ffff_f000L;

    /** AttrIndx[4:2]: index into MAIR_EL1 ({@code ATTR_IDX}). */
    static final int ATTR_IDX_SHIFT = 2;
    /** {@code PTE_ATTR_WB}: MAIR_EL1 index 3, normal write-back memory (current pte.h). */
    static final long ATTR_IDX_WB = 3L << ATTR_IDX_SHIFT;
    static final long ATTR_NS = 1L << 5;
    /** AP[2:1] at bits [7:6] ({@code ATTR_AP(x)}); AP[1] (bit 6) = EL0 access, AP[2] (bit 7) = read-only. */
    static final int AP_SHIFT = 6;
    static final long AP_EL0 = 1L << 6;
    static final long AP_RO = 1L << 7;
    static final long AP_MASK = 3L << AP_SHIFT;
    /** SH[1:0] at bits [9:8]: 0b11 inner shareable ({@code ATTR_SH(SH_INNER)}). */
    static final long SH_INNER = 3L << 8;
    /** Access flag ({@code ATTR_AF}). */
    static final long AF = 1L << 10;
    /** not-Global ({@code ATTR_nG}): the entry is tagged with the current ASID. */
    static final long NG = 1L << 11;
    /** Guarded page, FEAT_BTI ({@code ATTR_GP}); pmap_kernel()'s pm_guarded. */
    static final long GP = 1L << 50;
    /** Dirty bit modifier, FEAT_HAFDBS; OpenBSD does not use it. */
    static final long DBM = 1L << 51;
    static final long CONTIGUOUS = 1L << 52;
    static final long PXN = 1L << 53;
    static final long UXN = 1L << 54;

    /** Entries per table and index bits per level with the 4 KB granule. */
    static final int ENTRIES = 512;
    static final int L1_SHIFT = 30;
    static final int L2_SHIFT = 21;
    static final int L3_SHIFT = 12;

    private Descriptors()
    {
    }

    /** {@code VP_Lx(pa)}: a table descriptor pointing at the next-level table at {@code pa}. */
    static long table(long pa)
    {
        return (pa & ADDRESS_MASK) | TYPE_TABLE;
    }

    /**
     * The access bits of a page descriptor for the enabled protection {@code prot}: the
     * {@code ap_bits_user[]} and {@code ap_bits_kern[]} tables of sys/arch/arm64/arm64/pmap.c.
     * PROT_NONE gives 0, which pmap_pte_update() turns into an invalid descriptor.
     */
    static long accessBits(int prot, boolean privileged)
    {
        boolean read = (prot & Access.PROT_READ) != 0;
        boolean write = (prot & Access.PROT_WRITE) != 0;
        boolean exec = (prot & Access.PROT_EXEC) != 0;
        if (!read && !write && !exec) {
            return 0;
        }
        long bits = AF;
        if (privileged) {
            // EL1 only: AP(0) read-write, AP(2) read-only; kernel text is executable at EL1 only.
            bits |= UXN;
            if (!exec) {
                bits |= PXN;
            }
            if (!write) {
                bits |= AP_RO;
            }
            return bits;
        }
        // User pages: never executable at EL1; AP(1) read-write, AP(3) read-only, AP(2) exec-only.
        bits |= PXN;
        if (!exec) {
            bits |= UXN;
        }
        if (write) {
            bits |= AP_EL0;
        }
        else if (read) {
            bits |= AP_RO | AP_EL0;
        }
        else {
            bits |= AP_RO;
        }
        return bits;
    }

    /**
     * pmap_pte_update(): the L3 page descriptor for {@code pa} with enabled protection
     * {@code prot}, write-back cacheable, inner shareable and non-global, as every mapping of
     * OpenBSD's arm64 pmap is (kernel ones included: {@code attr = ATTR_nG}).
     */
    static long page(long pa, int prot, boolean privileged, long guarded)
    {
        long access = accessBits(prot, privileged);
        if (access == 0) {
            return 0;
        }
        return (pa & ADDRESS_MASK) | NG | SH_INNER | ATTR_IDX_WB | access | guarded | TYPE_PAGE;
    }

    /** An L1 (1 GB) or L2 (2 MB) block descriptor; OpenBSD's pmap never writes one, the walker reads them. */
    static long block(long pa, int level, int prot, boolean privileged)
    {
        long size = level == 1 ? 1L << L1_SHIFT : 1L << L2_SHIFT;
        if ((pa & (size - 1)) != 0) {
            throw new IllegalArgumentException("block address not aligned to its size");
        }
        return (pa & ADDRESS_MASK) | NG | SH_INNER | ATTR_IDX_WB | accessBits(prot, privileged) | TYPE_BLOCK;
    }

    static boolean isValid(long descriptor)
    {
        return (descriptor & VALID) != 0;
    }

    /**
     * The protection a leaf descriptor allows at EL0 ({@code user}) or EL1, as PROT_* bits (Arm
     * ARM D8.4.1 "Data access permissions", D8.4.2 "Instruction access permissions").
     */
    static int allowed(long descriptor, boolean user)
    {
        int prot = 0;
        if (!user || (descriptor & AP_EL0) != 0) {
            prot |= Access.PROT_READ;
            if ((descriptor & AP_RO) == 0) {
                prot |= Access.PROT_WRITE;
            }
        }
        if ((descriptor & (user ? UXN : PXN)) == 0) {
            prot |= Access.PROT_EXEC;
        }
        return prot;
    }
}
