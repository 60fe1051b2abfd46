package dev.fugu.kernel.md;

/**
 * What a plug-in uses when no {@code --arch-opt} changes it.
 *
 * @param pageSize bytes per page (PAGE_SIZE)
 * @param pagingLevels levels of page tables a hardware walk reads
 * @param clockMhz simulated CPU clock, used to turn cycles into time
 */
public record ArchDefaults(int pageSize, int pagingLevels, int clockMhz)
{
    public ArchDefaults
    {
        if (Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two");
        }
        if (pagingLevels < 1 || clockMhz < 1) {
            throw new IllegalArgumentException("pagingLevels and clockMhz must be positive");
        }
    }
}
