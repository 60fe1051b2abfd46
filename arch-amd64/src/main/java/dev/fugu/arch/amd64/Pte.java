package dev.fugu.arch.amd64;

/**
 * amd64 page-table entry bits and address-layout constants, bit for bit as
 * sys/arch/amd64/include/pte.h (PG_*), pmap.h (slots, PCIDs) and vmparam.h define them, which
 * follow the Intel SDM Vol. 3A, §4.5 "4-Level Paging" (tables 4-15 to 4-20): the same layout at
 * every level, PS only meaningful in PDPTEs and PDEs.
 */
public final class Pte
{
    /** Present (P). */
    public static final long PG_V = 0x1L;
    /** Writable (R/W); PG_RO is its absence. */
    public static final long PG_RW = 0x2L;
    /** User/supervisor (U/S): user accessible. OpenBSD names it PG_u. */
    public static final long PG_u = 0x4L;
    /** Page-level write-through (PWT). */
    public static final long PG_WT = 0x8L;
    /** Page-level cache disable (PCD). */
    public static final long PG_N = 0x10L;
    /** Accessed (A), set by the walker. OpenBSD's PG_U, "used". */
    public static final long PG_U = 0x20L;
    /** Dirty (D), set by the walker on a write. OpenBSD's PG_M, "modified". */
    public static final long PG_M = 0x40L;
    /** Page size: the PDPTE/PDE maps a 1 GB/2 MB page. */
    public static final long PG_PS = 0x80L;
    /** Global: not flushed by a %cr3 load. */
    public static final long PG_G = 0x100L;
    /** PG_AVAIL1, used by OpenBSD as PG_W: wired mapping. */
    public static final long PG_W = 0x200L;
    /** PG_AVAIL2, used by OpenBSD as PG_PVLIST: the mapping is on a pv list (a managed page). */
    public static final long PG_PVLIST = 0x400L;
    /** Execute disable (XD/NX), bit 63. */
    public static final long PG_NX = 0x8000_0000_0000_0000L;
    /** Physical-address bits 12..51. */
    public static final long PG_FRAME = 0x000f_ffff_ffff_f000L;
    /** 2 MB page frame (PDE with PS). */
    public static final long PG_LGFRAME = 0x000f_ffff_ffe0_0000L;
    /** 1 GB page frame (PDPTE with PS). */
    public static final long PG_1GFRAME = 0x000f_ffff_c000_0000L;

    /** %cr3 bit 63: do not invalidate the new PCID's entries (CR3_REUSE_PCID). */
    public static final long CR3_REUSE_PCID = 0x8000_0000_0000_0000L;
    /** %cr3 bits 0..11 with CR4.PCIDE set. */
    public static final long CR3_PCID = 0xfffL;

    /** PCIDs as pmap.h assigns them. */
    public static final int PCID_KERN = 0;
    public static final int PCID_PROC = 1;
    public static final int PCID_PROC_INTEL = 2;

    /** Recursive PML4 slot (L4_SLOT_PTE) and the first kernel slot (L4_SLOT_KERN). */
    public static final int L4_SLOT_PTE = 255;
    public static final int L4_SLOT_KERN = 256;
    /** The kernel image's slot (L4_SLOT_KERNBASE). */
    public static final int L4_SLOT_KERNBASE = 511;
    /** Slots of the direct map (NUM_L4_SLOT_DIRECT), each NBPD_L4 = 512 GB. */
    public static final int NUM_L4_SLOT_DIRECT = 4;
    public static final long NBPD_L4 = 1L << 39;

    public static final int L1_SHIFT = 12;
    public static final int L2_SHIFT = 21;
    public static final int L3_SHIFT = 30;
    public static final int L4_SHIFT = 39;
    public static final int ENTRIES = 512;

    /** VM_MIN_ADDRESS (vmparam.h): PAGE_SIZE, page 0 is never mapped. */
    public static final long VM_MIN_ADDRESS = 0x1000L;
    /** VM_MAXUSER_ADDRESS (vmparam.h), exclusive. USRSTACK is the same value. */
    public static final long VM_MAXUSER_ADDRESS = 0x0000_7f7f_ffff_c000L;
    /** VM_MIN_KERNEL_ADDRESS (vmparam.h): PML4 slot 256. */
    public static final long VM_MIN_KERNEL_ADDRESS = 0xffff_8000_0000_0000L;
    /** KERNBASE (param.h): PML4 slot 511, PDPT slot 510. */
    public static final long KERNBASE = 0xffff_ffff_8000_0000L;

    private Pte()
    {
    }

    /** Index of {@code va} in the table of level {@code level} (4 = PML4 ... 1 = PT): pl_i / pl*_pi. */
    public static int index(long va, int level)
    {
        return (int) ((va >>> (L1_SHIFT + 9 * (level - 1))) & (ENTRIES - 1));
    }

    /** Bits 63..47 all equal: the only addresses the MMU translates. */
    public static boolean isCanonical(long va)
    {
        return (va >> 47) == 0 || (va >> 47) == -1;
    }

    public static boolean isKernelVa(long va)
    {
        return va < 0;
    }
}
