package dev.fugu.kernel.uvm;

/**
 * Something live that holds physical frames, for the frame audit at the end of a run
 * ({@link PhysMem#audit}): vmspaces (their anons' pages and their pmap's page-table pages),
 * u-areas, the kernel pmap.
 */
@FunctionalInterface
public interface FrameOwner
{
    /** Reports every frame this owner holds. */
    void claimFrames(FrameClaims claims);

    /** Where owners report their frames. */
    interface FrameClaims
    {
        /** {@code pfn} is held with {@code use}; claiming a frame twice is fine (shared anons). */
        void claim(long pfn, FrameUse use);

        /** Page-table pages are known to their pmap only by number ({@link dev.fugu.kernel.md.Pmap#pageTablePages}). */
        void claimPageTablePages(long count);
    }
}
