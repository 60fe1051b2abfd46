package dev.fugu.kernel.md;

/**
 * Simulated physical memory as the MD layer sees it: frames of {@link #pageSize()} bytes named by
 * page frame number (pfn; physical address = pfn * pageSize), handed out by the MI allocator
 * (uvm_pmemrange), and the words stored in page-table pages.
 *
 * <p>Only page-table pages have contents; reading a word of any other frame is an error. Page-table
 * pages start zeroed. Words are little-endian as on all three architectures: {@code read32} of
 * the low half of a 64-bit word gives its low 32 bits.
 */
public interface PhysicalMemory
{
    long NO_FRAME = -1L;

    int pageSize();

    /** Total frames of RAM. */
    long totalFrames();

    /** Frames free now. */
    long freeFrames();

    /**
     * Allocates a zeroed page-table page for {@code cpu} (the allocator's lock and tree work are
     * charged to it). Returns the pfn, or {@link #NO_FRAME} when memory is exhausted, which the
     * caller must handle as pmap_enter's PMAP_CANFAIL does.
     */
    long allocPageTablePage(int cpu);

    /**
     * As {@link #allocPageTablePage}, for a table that holds few entries for most of its life: a
     * pmap's top-level table, with the kernel's slots and a few user ones. The hint changes only
     * how the host stores the page (see PhysMem); every read and write sees the same entries and
     * the simulated costs are the same. The default ignores the hint.
     */
    default long allocSparsePageTablePage(int cpu)
    {
        return allocPageTablePage(cpu);
    }

    /** Returns a page-table page to the allocator; its contents are gone. */
    void freePageTablePage(int cpu, long pfn);

    long read64(long pa);

    /**
     * Reads entry {@code index} of the page-table page {@code pfn}: the 64-bit word at physical
     * address {@code pfn * pageSize() + 8 * index}, as {@link #read64} reads it. This is the read a
     * hardware walker makes at each level (it holds a table's frame and an index, not an address),
     * and the one implementations make cheapest.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in [0, pageSize() / 8)
     */
    default long readEntry(long pfn, int index)
    {
        if (index < 0 || index >= pageSize() / Long.BYTES) {
            throw new IndexOutOfBoundsException("entry " + index + " of a " + pageSize() + "-byte table");
        }
        return read64(pfn * pageSize() + (long) Long.BYTES * index);
    }

    void write64(long pa, long value);

    /**
     * Writes entry {@code index} of the page-table page {@code pfn}, as {@link #write64} writes the
     * word at {@code pfn * pageSize() + 8 * index}: the write of a pmap or walker that holds a
     * table's frame and an index (see {@link #readEntry}).
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in [0, pageSize() / 8)
     */
    default void writeEntry(long pfn, int index, long value)
    {
        if (index < 0 || index >= pageSize() / Long.BYTES) {
            throw new IndexOutOfBoundsException("entry " + index + " of a " + pageSize() + "-byte table");
        }
        write64(pfn * pageSize() + (long) Long.BYTES * index, value);
    }

    int read32(long pa);

    void write32(long pa, int value);
}
