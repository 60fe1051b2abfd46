package dev.fugu.kernel.md;

/**
 * Things some machines have and others lack. Contract tests and the MI kernel ask for a
 * capability instead of testing the architecture's name.
 */
public enum MdCapability
{
    /** amd64 PCIDs: kernel entries survive %cr3 loads; user pmaps share PCID_PROC. */
    PCID,
    /** arm64 ASIDs: each user pmap's entries are tagged and survive TTBR0 switches. */
    ASID,
    /** {@link Pmap#purge} exists (arm64's __HAVE_PMAP_PURGE). */
    PMAP_PURGE,
    /** Remote TLBs are invalidated by IPIs (x86) ... */
    SHOOTDOWN_IPI,
    /** ... or by broadcast invalidation instructions (arm64 {@code tlbi ... is}). */
    BROADCAST_TLBI,
    /** No-execute bit in the page tables (amd64, i386 PAE, arm64 UXN/PXN). */
    NX,
}
