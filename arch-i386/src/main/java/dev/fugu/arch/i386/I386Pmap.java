package dev.fugu.arch.i386;

import dev.fugu.kernel.md.Pmap;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Models {@code struct pmap} of sys/arch/i386/include/pmap.h: the page directory (PAE: the PDPT
 * and its four page-directory pages, allocated together as pmapae.c does), the reference count
 * ({@code pm_obj.uo_refs}), {@code pm_stats.resident_count}, and the page-table pages held
 * ({@code pm_obj}'s page list). The entries themselves live only in simulated frames; the
 * operations are in {@link I386Machine}, which owns the MMU state they must keep coherent.
 */
final class I386Pmap
        implements Pmap
{
    private final I386Machine machine;
    private final long id;
    private final boolean kernel;

    // %cr3 value: the PDPT (PAE) or the page directory (2-level).
    long rootPa;
    // Physical addresses of the page-directory pages (4 with PAE, 1 without).
    final long[] pdPa;

    int refs = 1;
    boolean destroyed;
    long resident;

    // Bumped whenever a valid translation changes or goes; a TLB entry filled at an older
    // generation is re-checked against the tables on its next hit.
    long generation;

    // The PTP frames (user PTPs, or the kernel's own), as pm_obj's page list; removal swaps the last in.
    int[] ptps = new int[8];
    int ptpCount;

    // LIST_ENTRY(pmap) pm_list: the pmaps list pmap_growkernel() walks.
    I386Pmap prev;
    I386Pmap next;

    I386Pmap(I386Machine machine, long id, boolean kernel, int pdPages)
    {
        this.machine = requireNonNull(machine, "machine is null");
        this.id = id;
        this.kernel = kernel;
        this.pdPa = new long[pdPages];
    }

    void addPtp(int pfn, int[] indexOfFrame)
    {
        if (ptpCount == ptps.length) {
            ptps = Arrays.copyOf(ptps, ptpCount * 2);
        }
        indexOfFrame[pfn] = ptpCount;
        ptps[ptpCount++] = pfn;
    }

    void removePtp(int pfn, int[] indexOfFrame)
    {
        int index = indexOfFrame[pfn];
        int last = ptps[--ptpCount];
        ptps[index] = last;
        indexOfFrame[last] = index;
    }

    @Override
    public long id()
    {
        return id;
    }

    @Override
    public boolean isKernel()
    {
        return kernel;
    }

    @Override
    public long rootPa()
    {
        return rootPa;
    }

    /** Models pmap_reference() in sys/arch/i386/i386/pmap.c. */
    @Override
    public void reference(int cpu)
    {
        machine.checkLive(this, cpu, "pmap_reference");
        refs++;
    }

    /** Models pmap_destroy() in sys/arch/i386/i386/pmap.c. */
    @Override
    public boolean destroy(int cpu)
    {
        return machine.pmapDestroy(this, cpu);
    }

    @Override
    public int references()
    {
        return refs;
    }

    @Override
    public boolean isDestroyed()
    {
        return destroyed;
    }

    /** Models pmap_enter() in sys/arch/i386/i386/pmap.c (pmap_enter_pae() in pmapae.c). */
    @Override
    public boolean enter(int cpu, long va, long pfn, int prot)
    {
        return machine.pmapEnter(this, cpu, va, pfn, prot);
    }

    /** Models pmap_remove()/pmap_do_remove() in sys/arch/i386/i386/pmap.c (and pmapae.c). */
    @Override
    public long remove(int cpu, long sva, long eva)
    {
        return machine.pmapRemove(this, cpu, sva, eva);
    }

    /** Models pmap_protect() in sys/arch/i386/include/pmap.h and pmap_write_protect() in pmap.c. */
    @Override
    public void protect(int cpu, long sva, long eva, int prot)
    {
        machine.pmapProtect(this, cpu, sva, eva, prot);
    }

    /** Models pmap_extract() in sys/arch/i386/i386/pmap.c. */
    @Override
    public long extract(long va)
    {
        return machine.pmapExtract(this, va);
    }

    @Override
    public long residentCount()
    {
        return resident;
    }

    @Override
    public long pageTablePages()
    {
        // The page-directory pages, the PDPT's frame with PAE, and the PTPs.
        return pdPa.length + (pdPa.length > 1 ? 1 : 0) + ptpCount;
    }

    /** Models pmap_is_referenced() (pmap_test_attrs(pg, PG_U)) of sys/arch/i386/include/pmap.h, for one mapping. */
    @Override
    public boolean isReferenced(long va)
    {
        return machine.leafBits(this, va, I386Pte.PG_U);
    }

    /** Models pmap_is_modified() (pmap_test_attrs(pg, PG_M)) of sys/arch/i386/include/pmap.h, for one mapping. */
    @Override
    public boolean isModified(long va)
    {
        return machine.leafBits(this, va, I386Pte.PG_M);
    }

    @Override
    public String toString()
    {
        return "pmap " + id + (kernel ? " (kernel)" : "") + (destroyed ? " (destroyed)" : "");
    }
}
