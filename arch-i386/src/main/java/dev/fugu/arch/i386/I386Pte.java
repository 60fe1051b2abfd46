package dev.fugu.arch.i386;

/**
 * Page-table entry bits of the i386 MMU, as sys/arch/i386/include/pte.h and pmap.h name them and
 * Intel SDM Vol. 3A §4.3 (32-bit paging, tables 4-4 to 4-6) and §4.4 (PAE paging, tables 4-8 to
 * 4-11) define them. The low twelve bits are the same in both formats; PAE entries are 64 bits wide
 * and carry NX in bit 63.
 */
public final class I386Pte
{
    /** PG_V: present. */
    public static final long PG_V = 0x001L;
    /** PG_RW: writable (PG_KW for kernel read/write; PG_RO/PG_KR are 0). */
    public static final long PG_RW = 0x002L;
    /** PG_u: user/supervisor; set means user mode may use the page. */
    public static final long PG_USER = 0x004L;
    /** PG_WT: write-through (PWT). */
    public static final long PG_WT = 0x008L;
    /** PG_N: cache disable (PCD). */
    public static final long PG_N = 0x010L;
    /** PG_U: accessed ("used"), set by the hardware walk. */
    public static final long PG_U = 0x020L;
    /** PG_M: dirty ("modified"), set by the hardware on a write. */
    public static final long PG_M = 0x040L;
    /** PG_PS: in a PDE, a 4 MB (32-bit paging, PSE) or 2 MB (PAE) page. */
    public static final long PG_PS = 0x080L;
    /** PG_G: global; survives %cr3 loads when CR4.PGE is on (pmap_pg_g). */
    public static final long PG_G = 0x100L;
    /** PG_W = PG_AVAIL1: wired (software, pmap.h). */
    public static final long PG_W = 0x200L;
    /** PG_PVLIST = PG_AVAIL2: the mapping is on a pv list, i.e. a managed page (software, pmap.h). */
    public static final long PG_PVLIST = 0x400L;
    /** PG_X = PG_AVAIL3: executable mapping, for the code-segment limit without NX (software, pmap.h). */
    public static final long PG_X = 0x800L;
    /** PG_NX: no-execute, PAE only (bit 63; reserved in PDPTEs). */
    public static final long PG_NX = 1L << 63;

    /** PG_FRAME of 32-bit paging: bits 31:12. */
    public static final long FRAME_32 = 0xffff_f000L;
    /** Large (4 MB) frame of a PSE PDE: bits 31:22 (PSE-36 high bits not used). */
    public static final long LGFRAME_32 = 0xffc0_0000L;
    /** PG_FRAME of pmapae.c: bits 35:12 (0xffffff000ULL). */
    public static final long FRAME_PAE = 0xf_ffff_f000L;
    /** PG_LGFRAME of pmapae.c: bits 35:21 (0xfffe00000ULL). */
    public static final long LGFRAME_PAE = 0xf_ffe0_0000L;

    private I386Pte()
    {
    }
}
