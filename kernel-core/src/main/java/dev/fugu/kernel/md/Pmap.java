package dev.fugu.kernel.md;

/**
 * A physical map: one address space's page tables, built in simulated physical frames with the
 * architecture's real entry format. Models {@code struct pmap} and the pmap(9) interface.
 *
 * <p>Every operation that changes a valid translation invalidates it in every TLB that may hold
 * it (locally, and by shootdown on the CPUs where the pmap is active) before returning, unless
 * the {@code missed-shootdown} bug is injected. Any operation on a destroyed pmap is reported to
 * {@link MdSink#violation} as {@code destroyed-pmap}.
 */
public interface Pmap
{
    /** A small number naming this pmap in diagnostics; pmap_kernel() is 0. */
    long id();

    /** True for pmap_kernel(). */
    boolean isKernel();

    /** Physical address of the top-level table (PML4, PDPT, L0 or page directory). */
    long rootPa();

    /** pmap_reference(): one more reference. */
    void reference(int cpu);

    /**
     * pmap_destroy(): drops one reference; on the last one frees every page-table page.
     *
     * @return true if this call freed the pmap
     */
    boolean destroy(int cpu);

    int references();

    boolean isDestroyed();

    /**
     * pmap_enter(pm, va, pa, prot, flags|PMAP_CANFAIL): maps the page at {@code va} to frame
     * {@code pfn} with {@code prot} ({@link Access#PROT_READ} etc.), replacing any mapping there.
     * Allocates page-table pages as needed.
     *
     * @return false if a page-table page could not be allocated (nothing was changed)
     */
    boolean enter(int cpu, long va, long pfn, int prot);

    /**
     * pmap_remove(pm, sva, eva): removes the mappings in [sva, eva), freeing page-table pages
     * that become empty.
     *
     * @return the number of valid PTEs cleared
     */
    long remove(int cpu, long sva, long eva);

    /** pmap_protect(pm, sva, eva, prot): lowers the protection of the mappings in [sva, eva). */
    void protect(int cpu, long sva, long eva, int prot);

    /**
     * pmap_extract(): the physical address {@code va} maps to, from the page tables.
     *
     * @return the physical address, or -1 when unmapped
     */
    long extract(long va);

    /** Valid leaf mappings (pm_stats.resident_count). */
    long residentCount();

    /** Page-table pages this pmap holds now, its top-level table included. */
    long pageTablePages();

    /** True if the hardware set the accessed bit of {@code va}'s mapping (pmap_is_referenced). */
    boolean isReferenced(long va);

    /** True if the hardware set the dirty bit of {@code va}'s mapping (pmap_is_modified). */
    boolean isModified(long va);

    /**
     * pmap_purge(): removes all user mappings early, in exit1(), once the process has no thread
     * left but the caller. Only where {@link MdCapability#PMAP_PURGE} is present.
     *
     * @return the number of valid PTEs cleared
     * @throws UnsupportedOperationException where the architecture has no pmap_purge
     */
    default long purge(int cpu)
    {
        throw new UnsupportedOperationException("pmap_purge is not implemented on this architecture");
    }
}
