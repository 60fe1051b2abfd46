package dev.fugu.kernel.md;

/**
 * A read-only look at one CPU's TLB, for tests and the checker. Each entry remembers the pmap
 * whose walk filled it, even where the hardware tags entries only by PCID.
 */
public interface TlbView
{
    /** Entries held now, global ones included. */
    int size();

    /** Entries filled from {@code pmap}'s tables that are still held. */
    int entriesOf(Pmap pmap);

    /** True if a translation of {@code va} filled from {@code pmap} is held (usable or not). */
    boolean holds(Pmap pmap, long va);
}
