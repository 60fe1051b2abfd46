package dev.fugu.kernel.uvm;

import static java.util.Objects.requireNonNull;

/**
 * What one teardown did and cost: the unit the exit models add up into {@code teardown.*}.
 *
 * @param kind the entry point
 * @param cpu the CPU that ran it (and was charged)
 * @param pagesFreed user pages returned to the allocator
 * @param ptesCleared valid PTEs removed by pmap_remove/pmap_purge
 * @param ptpFreed page-table pages freed (pmap_remove of emptied tables, pmap_destroy)
 * @param stackPagesFreed kernel stack (u-area) pages freed
 * @param entriesWalked map entries torn down
 * @param anonsFreed anons whose last reference went
 * @param cycles cycles the CPU's clock advanced, spin included
 * @param fpageqAcquires fpageq mutex acquisitions
 * @param fpageqContended of them, contended ones
 * @param fpageqSpinCycles cycles spun waiting for fpageq
 */
public record TeardownLedger(TeardownKind kind, int cpu, long pagesFreed, long ptesCleared, long ptpFreed,
        long stackPagesFreed, long entriesWalked, long anonsFreed, long cycles, long fpageqAcquires,
        long fpageqContended, long fpageqSpinCycles)
{
    public TeardownLedger
    {
        requireNonNull(kind, "kind is null");
    }

    /** Frames of any kind this teardown freed. */
    public long framesFreed()
    {
        return pagesFreed + ptpFreed + stackPagesFreed;
    }

    /** This ledger and {@code other} added up (kind and CPU of this one). */
    public TeardownLedger plus(TeardownLedger other)
    {
        return new TeardownLedger(kind, cpu, pagesFreed + other.pagesFreed, ptesCleared + other.ptesCleared,
                ptpFreed + other.ptpFreed, stackPagesFreed + other.stackPagesFreed, entriesWalked + other.entriesWalked,
                anonsFreed + other.anonsFreed, cycles + other.cycles, fpageqAcquires + other.fpageqAcquires,
                fpageqContended + other.fpageqContended, fpageqSpinCycles + other.fpageqSpinCycles);
    }
}
