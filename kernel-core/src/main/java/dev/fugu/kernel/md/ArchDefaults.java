package dev.fugu.kernel.md;

/**
 * What a plug-in uses when no {@code --arch-opt} changes it.
 *
 * @param pageSize bytes per page (PAGE_SIZE)
 * @param pagingLevels levels of page tables a hardware walk reads
 * @param clockMhz simulated CPU clock, used to turn cycles into time
 * @param constrainedBytes the end of the highest physical range in the port's
 *         {@code uvm_md_constraints[]} (machdep.c), 0 if it lists none: the pmemranges below it
 *         have {@code use > 0}, so uvm_pmr_cache_put() does not keep their pages
 */
public record ArchDefaults(int pageSize, int pagingLevels, int clockMhz, long constrainedBytes)
{
    public ArchDefaults
    {
        if (constrainedBytes < 0) {
            throw new IllegalArgumentException("constrainedBytes must not be negative");
        }
        if (Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two");
        }
        if (pagingLevels < 1 || clockMhz < 1) {
            throw new IllegalArgumentException("pagingLevels and clockMhz must be positive");
        }
    }
}
