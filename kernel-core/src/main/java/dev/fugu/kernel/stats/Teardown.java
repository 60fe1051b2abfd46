package dev.fugu.kernel.stats;

/**
 * What one teardown did: the ledger the exit models sum into {@code teardown.*}.
 *
 * @param pagesFreed user pages freed
 * @param ptesCleared valid page-table entries cleared
 * @param ptpFreed page-table pages freed
 * @param stackPagesFreed kernel stack (u-area) pages freed
 * @param cycles cycles the teardown took on its CPU
 */
public record Teardown(long pagesFreed, long ptesCleared, long ptpFreed, long stackPagesFreed, long cycles)
{
    public static final Teardown NONE = new Teardown(0, 0, 0, 0, 0);

    public static Teardown of(dev.fugu.kernel.uvm.TeardownLedger ledger)
    {
        return new Teardown(ledger.pagesFreed(), ledger.ptesCleared(), ledger.ptpFreed(), ledger.stackPagesFreed(), ledger.cycles());
    }

    public Teardown plus(Teardown other)
    {
        return new Teardown(pagesFreed + other.pagesFreed, ptesCleared + other.ptesCleared, ptpFreed + other.ptpFreed,
                stackPagesFreed + other.stackPagesFreed, cycles + other.cycles);
    }
}
