package dev.fugu.kernel.uvm;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The result of {@link PhysMem#audit}: every frame must be free or held by a live owner.
 *
 * @param framesTotal frames of RAM
 * @param framesFree frames free now
 * @param leakedFrames allocated frames no live owner claims (page-table pages included, by count)
 * @param leakedSample the first few leaked frames' pfns (page-table pages cannot be named)
 * @param badClaims claims of a frame that is free or owned for another use (a use-after-free)
 * @param leakedPageTablePages page-table pages allocated beyond what live pmaps hold (negative: pmaps claim more than are allocated)
 */
public record FrameAudit(long framesTotal, long framesFree, long leakedFrames, List<Long> leakedSample, long badClaims,
        long leakedPageTablePages)
{
    public FrameAudit
    {
        leakedSample = List.copyOf(requireNonNull(leakedSample, "leakedSample is null"));
    }

    /** True when no frame leaked and no claim was wrong. */
    public boolean clean()
    {
        return leakedFrames == 0 && badClaims == 0 && leakedPageTablePages == 0;
    }
}
