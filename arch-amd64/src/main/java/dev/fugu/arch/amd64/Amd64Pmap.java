package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;

import static dev.fugu.arch.amd64.Amd64MachineDependent.PAGE_SHIFT;
import static dev.fugu.arch.amd64.Amd64MachineDependent.PAGE_SIZE;
import static dev.fugu.arch.amd64.Pte.PG_FRAME;
import static dev.fugu.arch.amd64.Pte.PG_M;
import static dev.fugu.arch.amd64.Pte.PG_NX;
import static dev.fugu.arch.amd64.Pte.PG_PS;
import static dev.fugu.arch.amd64.Pte.PG_PVLIST;
import static dev.fugu.arch.amd64.Pte.PG_RW;
import static dev.fugu.arch.amd64.Pte.PG_U;
import static dev.fugu.arch.amd64.Pte.PG_V;
import static dev.fugu.arch.amd64.Pte.PG_u;
import static java.util.Objects.requireNonNull;

/**
 * struct pmap of sys/arch/amd64/include/pmap.h: a PML4 in a simulated frame and the PDPTs, PDs
 * and PTs below it, in the real entry format. The entries live only in the frames; Java keeps
 * counts (resident, page-table pages, and per page-table page its valid entries, as OpenBSD's
 * wire_count) and a modification counter the TLB checker compares against.
 */
final class Amd64Pmap
        implements Pmap
{
    /** User pmaps hold mappings below the recursive slot; 32 pages is pmap.c's shoottlb threshold. */
    private static final long USER_TOP = (long) Pte.L4_SLOT_PTE << Pte.L4_SHIFT;
    private static final long SHOOTALL_BYTES = 32 * PAGE_SIZE;
    // Recursive-map VAs of the page-table pages (L1_BASE .. L3_BASE in pmap.h).
    private static final long L1_BASE = USER_TOP;
    private static final long L2_BASE = L1_BASE + ((long) Pte.L4_SLOT_PTE << Pte.L3_SHIFT);
    private static final long L3_BASE = L2_BASE + ((long) Pte.L4_SLOT_PTE << Pte.L2_SHIFT);
    private static final long VA_SIGN_POS = 0x0000_ffff_ffff_ffffL;

    private final Amd64MachineDependent md;
    private final PhysicalMemory mem;
    private final MdSink sink;
    private final long id;
    private final boolean kernel;
    private final long rootPa;
    private int refs = 1;
    private boolean destroyed;
    long resident;
    long ptps;
    /** Bumped whenever a valid translation changes or goes: TLB entries filled before must be re-checked. */
    long gen;
    /** Position in the machine's list of live user pmaps. */
    int listIndex = -1;

    Amd64Pmap(Amd64MachineDependent md, long id, boolean kernel, long rootPfn)
    {
        this.md = requireNonNull(md, "md is null");
        this.mem = md.mem();
        this.sink = md.sink();
        this.id = id;
        this.kernel = kernel;
        this.rootPa = rootPfn << PAGE_SHIFT;
    }

    Amd64MachineDependent machine()
    {
        return md;
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

    /** Models pmap_reference() in sys/arch/amd64/amd64/pmap.c. */
    @Override
    public void reference(int cpu)
    {
        live(cpu, "pmap_reference");
        refs++;
    }

    /**
     * Models pmap_destroy() in sys/arch/amd64/amd64/pmap.c: drops a reference; the last one frees
     * every remaining page-table page of the user half (found by reading the tables) and the PML4.
     * The kernel PDPTs, shared with pmap_kernel(), are not this pmap's.
     */
    @Override
    public boolean destroy(int cpu)
    {
        live(cpu, "pmap_destroy");
        if (kernel) {
            throw new IllegalStateException("pmap_kernel() is never destroyed");
        }
        if (--refs > 0) {
            return false;
        }
        md.unlist(this);
        int userSlots = userSlots();
        for (int l4 = 0; l4 < Pte.L4_SLOT_PTE && userSlots > 0; l4++) {
            long pml4e = entry(rootPa, l4);
            if ((pml4e & PG_V) == 0) {
                continue;
            }
            userSlots--;
            long pdpt = pml4e & PG_FRAME;
            for (int l3 = 0; l3 < Pte.ENTRIES; l3++) {
                long pdpte = entry(pdpt, l3);
                if ((pdpte & PG_V) == 0) {
                    continue;
                }
                long pd = pdpte & PG_FRAME;
                for (int l2 = 0; l2 < Pte.ENTRIES; l2++) {
                    long pde = entry(pd, l2);
                    if ((pde & PG_V) != 0) {
                        freePtp(cpu, pde & PG_FRAME);
                    }
                }
                freePtp(cpu, pd);
            }
            freePtp(cpu, pdpt);
        }
        freePtp(cpu, rootPa);
        sink.charge(cpu, md.costs.pmapDestroy);
        resident = 0;
        destroyed = true;
        gen++;
        return true;
    }

    private void freePtp(int cpu, long pa)
    {
        int pfn = (int) (pa >>> PAGE_SHIFT);
        md.ptpValid[pfn] = 0;
        mem.freePageTablePage(cpu, pfn);
        ptps--;
        sink.charge(cpu, md.costs.ptpFree);
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

    /**
     * Models pmap_enter() with PMAP_CANFAIL and pmap_get_ptp() in sys/arch/amd64/amd64/pmap.c:
     * missing PDPT/PD/PT pages are allocated and linked with {@code pa | PG_u | PG_RW | PG_V}; the
     * PTE is {@code pa | protection_codes[prot] | PG_V}, plus PG_u and PG_PVLIST (a managed page)
     * for user VAs, or pg_g_kern in pmap_kernel(). Replacing a valid PTE is shot down. If a
     * page-table page cannot be had, the pages allocated by this call are given back and nothing
     * has changed.
     */
    @Override
    public boolean enter(int cpu, long va, long pfn, int prot)
    {
        if (!live(cpu, "pmap_enter")) {
            return false;
        }
        checkVa(va);
        if (pfn < 0 || pfn >= mem.totalFrames()) {
            throw new IllegalArgumentException("no frame " + pfn);
        }
        va &= ~(PAGE_SIZE - 1);
        long pdeBits = kernel ? PG_RW | PG_V | PG_NX : PG_u | PG_RW | PG_V;
        long table = rootPa;
        // Up to three new tables (PDPT, PD, PT); remembered to undo a failed allocation.
        long new4 = -1;
        long new3 = -1;
        long new2 = -1;
        for (int level = 4; level > 1; level--) {
            int index = Pte.index(va, level);
            long pde = entry(table, index);
            if ((pde & PG_V) != 0) {
                if ((pde & PG_PS) != 0) {
                    throw new IllegalStateException("pmap_enter over a large page at va 0x" + Long.toHexString(va));
                }
                table = pde & PG_FRAME;
                continue;
            }
            long ptp = mem.allocPageTablePage(cpu);
            if (ptp == PhysicalMemory.NO_FRAME) {
                undo(cpu, va, new4, new3, new2);
                return false;
            }
            long ptpPa = ptp << PAGE_SHIFT;
            mem.writeEntry(table >>> PAGE_SHIFT, index, ptpPa | pdeBits);
            md.ptpValid[(int) (table >>> PAGE_SHIFT)]++;
            ptps++;
            sink.charge(cpu, md.costs.ptpAlloc + md.costs.pteWrite);
            if (level == 4) {
                new4 = ptpPa;
                if (kernel) {
                    md.growKernel(cpu, Pte.index(va, 4));
                }
            }
            else if (level == 3) {
                new3 = ptpPa;
            }
            else {
                new2 = ptpPa;
            }
            table = ptpPa;
        }
        long pa = pfn << PAGE_SHIFT;
        int index = Pte.index(va, 1);
        long opte = entry(table, index);
        long npte = pa | md.protectionCodes[prot & 7] | PG_V;
        if (kernel) {
            npte |= md.pgGKern;
        }
        else {
            npte |= PG_u | PG_PVLIST;
        }
        mem.writeEntry(table >>> PAGE_SHIFT, index, npte);
        sink.charge(cpu, md.costs.pteWrite);
        if ((opte & PG_V) == 0) {
            resident++;
            md.ptpValid[(int) (table >>> PAGE_SHIFT)]++;
        }
        else {
            gen++;
            if ((opte & PG_RW) == 0 && (npte & PG_RW) != 0) {
                // A read->write upgrade goes through an unwritable PTE first (the CoW dance).
                sink.charge(cpu, md.costs.pteWrite);
            }
            md.shootPage(cpu, this, va, md.isCurPmap(cpu, this));
        }
        return true;
    }

    /** Gives back the tables a failed pmap_enter() allocated, deepest first. */
    private void undo(int cpu, long va, long new4, long new3, long new2)
    {
        if (new2 >= 0) {
            unlink(cpu, va, 2, new2);
        }
        if (new3 >= 0) {
            unlink(cpu, va, 3, new3);
        }
        if (new4 >= 0) {
            unlink(cpu, va, 4, new4);
        }
    }

    private void unlink(int cpu, long va, int level, long ptpPa)
    {
        long parent = tableAt(va, level);
        mem.write64(parent + 8L * Pte.index(va, level), 0);
        md.ptpValid[(int) (parent >>> PAGE_SHIFT)]--;
        freePtp(cpu, ptpPa);
    }

    /** The table of level {@code level} on {@code va}'s path (4 is the PML4), which must exist. */
    private long tableAt(long va, int level)
    {
        long table = rootPa;
        for (int l = 4; l > level; l--) {
            table = entry(table, Pte.index(va, l)) & PG_FRAME;
        }
        return table;
    }

    /**
     * Models pmap_remove() / pmap_do_remove() in sys/arch/amd64/amd64/pmap.c: clears the valid
     * PTEs in [sva, eva), frees page-table pages that become empty (pmap_free_ptp(), up to the
     * PDPT; pmap_kernel()'s are never freed) and shoots the range down: one page with
     * pmap_tlb_shootpage(), more than 32 pages of user space with pmap_tlb_shoottlb(), else
     * pmap_tlb_shootrange(). Absent upper tables are skipped whole rather than stepped through per
     * 2 MB block, with the same result.
     */
    @Override
    public long remove(int cpu, long sva, long eva)
    {
        if (!live(cpu, "pmap_remove")) {
            return 0;
        }
        sva &= ~(PAGE_SIZE - 1);
        eva = (eva + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        // Stay inside this pmap's half: a user pmap must never touch the kernel PDPTs it shares.
        if (kernel) {
            sva = clampKernelStart(sva);
        }
        else {
            eva = clampUserEnd(eva);
        }
        if (Long.compareUnsigned(sva, eva) >= 0) {
            return 0;
        }
        boolean shootself = md.isCurPmap(cpu, this);
        if (sva + PAGE_SIZE == eva) {
            long pt = ptOf(sva);
            if (pt < 0) {
                return 0;
            }
            long removed = removePtes(cpu, pt, sva, eva);
            if (removed > 0 && !kernel && md.ptpValid[(int) (pt >>> PAGE_SHIFT)] == 0) {
                freeEmptyPtps(cpu, sva, shootself);
            }
            md.shootPage(cpu, this, sva, shootself);
            return removed;
        }
        boolean shootall = eva - sva > SHOOTALL_BYTES && Long.compareUnsigned(sva, Pte.VM_MIN_KERNEL_ADDRESS) < 0;
        long removed = 0;
        long va = sva;
        while (Long.compareUnsigned(va, eva) < 0) {
            if (userSlots() == 0) {
                // No user page table left: nothing more to find (pmap_kernel() never gets here).
                break;
            }
            long skipTo = nextBlock(va);
            if (skipTo != 0) {
                va = skipTo;
                continue;
            }
            long pt = ptOf(va);
            long blockEnd = boundary(va, Pte.L2_SHIFT);
            if (blockEnd == 0 || Long.compareUnsigned(blockEnd, eva) > 0) {
                blockEnd = eva;
            }
            long n = removePtes(cpu, pt, va, blockEnd);
            removed += n;
            if (n > 0 && !kernel && md.ptpValid[(int) (pt >>> PAGE_SHIFT)] == 0) {
                freeEmptyPtps(cpu, va, shootself);
            }
            if (blockEnd == eva || Long.compareUnsigned(blockEnd, va) <= 0) {
                break;
            }
            va = blockEnd;
        }
        if (shootall) {
            md.shootTlb(cpu, this, shootself);
        }
        else {
            md.shootRange(cpu, this, sva, eva, shootself);
        }
        return removed;
    }

    /** Valid user-half PML4 entries: all valid entries but the recursive and the kernel ones. */
    private int userSlots()
    {
        return kernel ? Pte.ENTRIES : md.ptpValid[(int) (rootPa >>> PAGE_SHIFT)] - 1 - md.kernelSlotCount();
    }

    /**
     * Where to continue when {@code va}'s PT is absent (the next PML4/PDPT/PD boundary, or -1 past
     * the end of the address space), else 0. The recursive slot is skipped as pmap_do_remove() does.
     */
    private long nextBlock(long va)
    {
        int l4 = Pte.index(va, 4);
        long pml4e = entry(rootPa, l4);
        if (l4 == Pte.L4_SLOT_PTE || (pml4e & PG_V) == 0) {
            return boundaryOrEnd(va, Pte.L4_SHIFT);
        }
        long pdpte = entry(pml4e & PG_FRAME, Pte.index(va, 3));
        if ((pdpte & PG_V) == 0 || (pdpte & PG_PS) != 0) {
            return boundaryOrEnd(va, Pte.L3_SHIFT);
        }
        long pde = entry(pdpte & PG_FRAME, Pte.index(va, 2));
        if ((pde & PG_V) == 0 || (pde & PG_PS) != 0) {
            return boundaryOrEnd(va, Pte.L2_SHIFT);
        }
        return 0;
    }

    private static long boundaryOrEnd(long va, int shift)
    {
        long next = boundary(va, shift);
        // Wrapping past the top of the address space ends the walk: -1 compares above every eva.
        return next == 0 ? -1 : next;
    }

    private static long boundary(long va, int shift)
    {
        return (va | ((1L << shift) - 1)) + 1;
    }

    /** Entry {@code index} of the table at physical address {@code tablePa}. */
    private long entry(long tablePa, int index)
    {
        return mem.readEntry(tablePa >>> PAGE_SHIFT, index);
    }

    /** The PT mapping {@code va} (pmap_pdes_valid()), or -1 when a PML4E, PDPTE or PDE is invalid. */
    private long ptOf(long va)
    {
        long table = rootPa;
        for (int level = 4; level > 1; level--) {
            long e = entry(table, Pte.index(va, level));
            if ((e & PG_V) == 0 || (e & PG_PS) != 0) {
                return -1;
            }
            table = e & PG_FRAME;
        }
        return table;
    }

    /** Models pmap_remove_ptes(): zaps the valid PTEs of one PT in [va, end). */
    private long removePtes(int cpu, long pt, long va, long end)
    {
        long removed = 0;
        int pfn = (int) (pt >>> PAGE_SHIFT);
        for (long v = va; Long.compareUnsigned(v, end) < 0; v += PAGE_SIZE) {
            if (!kernel && md.ptpValid[pfn] == 0) {
                break;
            }
            int index = Pte.index(v, 1);
            long opte = mem.readEntry(pfn, index);
            if ((opte & PG_V) == 0) {
                continue;
            }
            mem.writeEntry(pfn, index, 0);
            md.ptpValid[pfn]--;
            removed++;
        }
        if (removed > 0) {
            resident -= removed;
            gen++;
            sink.charge(cpu, removed * md.costs.pteWrite);
        }
        return removed;
    }

    /**
     * Models pmap_free_ptp(): frees the now empty PT, clears its PDE and shoots down its
     * recursive-map VA, then does the same for the PD and PDPT above while they become empty.
     */
    private void freeEmptyPtps(int cpu, long va, boolean shootself)
    {
        long pdpt = entry(rootPa, Pte.index(va, 4)) & PG_FRAME;
        long pd = entry(pdpt, Pte.index(va, 3)) & PG_FRAME;
        long pt = entry(pd, Pte.index(va, 2)) & PG_FRAME;
        long vaPos = va & VA_SIGN_POS;
        for (int level = 1; level < 4; level++) {
            long table = level == 1 ? pt : level == 2 ? pd : pdpt;
            long parent = level == 1 ? pd : level == 2 ? pdpt : rootPa;
            mem.writeEntry(parent >>> PAGE_SHIFT, Pte.index(va, level + 1), 0);
            md.ptpValid[(int) (parent >>> PAGE_SHIFT)]--;
            freePtp(cpu, table);
            sink.charge(cpu, md.costs.pteWrite);
            gen++;
            long recursiveVa = switch (level) {
                case 1 -> L1_BASE + (vaPos >>> Pte.L2_SHIFT) * PAGE_SIZE;
                case 2 -> L2_BASE + (vaPos >>> Pte.L3_SHIFT) * PAGE_SIZE;
                default -> L3_BASE + (vaPos >>> Pte.L4_SHIFT) * PAGE_SIZE;
            };
            md.shootPage(cpu, this, recursiveVa, shootself);
            if (level < 3 && md.ptpValid[(int) (parent >>> PAGE_SHIFT)] > 0) {
                break;
            }
        }
    }

    /**
     * Models pmap_protect() (pmap.h) and pmap_write_protect() in sys/arch/amd64/amd64/pmap.c:
     * PROT_NONE removes; otherwise PG_RW is cleared without PROT_WRITE and PG_NX set without
     * PROT_EXEC on every valid PTE, then the range is shot down (pmap_tlb_shoottlb() past 32 user
     * pages).
     */
    @Override
    public void protect(int cpu, long sva, long eva, int prot)
    {
        if (!live(cpu, "pmap_protect")) {
            return;
        }
        if ((prot & (Access.PROT_READ | Access.PROT_WRITE | Access.PROT_EXEC)) == Access.PROT_NONE) {
            remove(cpu, sva, eva);
            return;
        }
        sva &= ~(PAGE_SIZE - 1);
        eva = (eva + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        // Stay inside this pmap's half: a user pmap must never touch the kernel PDPTs it shares.
        if (kernel) {
            sva = clampKernelStart(sva);
        }
        else {
            eva = clampUserEnd(eva);
        }
        if (Long.compareUnsigned(sva, eva) >= 0) {
            return;
        }
        long clear = (prot & Access.PROT_WRITE) == 0 ? PG_RW : 0;
        long set = (prot & Access.PROT_EXEC) == 0 ? PG_NX : 0;
        boolean shootself = md.isCurPmap(cpu, this);
        boolean shootall = eva - sva > SHOOTALL_BYTES && Long.compareUnsigned(sva, Pte.VM_MIN_KERNEL_ADDRESS) < 0;
        long changed = 0;
        long va = sva;
        while (Long.compareUnsigned(va, eva) < 0) {
            if (userSlots() == 0) {
                // No user page table left: nothing more to find (pmap_kernel() never gets here).
                break;
            }
            long skipTo = nextBlock(va);
            if (skipTo != 0) {
                va = skipTo;
                continue;
            }
            long pt = ptOf(va);
            long blockEnd = boundary(va, Pte.L2_SHIFT);
            if (blockEnd == 0 || Long.compareUnsigned(blockEnd, eva) > 0) {
                blockEnd = eva;
            }
            for (long v = va; Long.compareUnsigned(v, blockEnd) < 0; v += PAGE_SIZE) {
                int index = Pte.index(v, 1);
                long address = pt + 8L * index;
                long pte = entry(pt, index);
                if ((pte & PG_V) == 0) {
                    continue;
                }
                long npte = (pte & ~clear) | set;
                if (npte != pte) {
                    mem.write64(address, npte);
                    changed++;
                }
            }
            if (blockEnd == eva || Long.compareUnsigned(blockEnd, va) <= 0) {
                break;
            }
            va = blockEnd;
        }
        if (changed > 0) {
            gen++;
            sink.charge(cpu, changed * md.costs.pteWrite);
        }
        if (shootall) {
            md.shootTlb(cpu, this, shootself);
        }
        else {
            md.shootRange(cpu, this, sva, eva, shootself);
        }
    }

    /** Models pmap_extract() (pmap_find_pte_direct()): the PA {@code va} maps to, read from the tables. */
    @Override
    public long extract(long va)
    {
        if (!live(0, "pmap_extract") || !Pte.isCanonical(va)) {
            return -1;
        }
        long result = md.walkRaw(rootPa, va, false);
        return result < 0 ? -1 : (result & ~(PAGE_SIZE - 1)) | (va & (PAGE_SIZE - 1));
    }

    /** pmap_resident_count() (pmap.h), counting leaf mappings only: OpenBSD also counts PTPs. */
    @Override
    public long residentCount()
    {
        return resident;
    }

    @Override
    public long pageTablePages()
    {
        return ptps;
    }

    /** Models pmap_is_referenced() (pmap_test_attrs(pg, PG_U)) for the one mapping at {@code va}. */
    @Override
    public boolean isReferenced(long va)
    {
        return (pte(va) & PG_U) != 0;
    }

    /** Models pmap_is_modified() (pmap_test_attrs(pg, PG_M)) for the one mapping at {@code va}. */
    @Override
    public boolean isModified(long va)
    {
        return (pte(va) & PG_M) != 0;
    }

    /** The raw PTE mapping {@code va}, 0 when there is none. */
    long pte(long va)
    {
        if (!live(0, "pmap_test_attrs")) {
            return 0;
        }
        long pt = ptOf(va);
        return pt < 0 ? 0 : entry(pt, Pte.index(va, 1));
    }

    private boolean live(int cpu, String operation)
    {
        if (destroyed) {
            sink.violation("destroyed-pmap", cpu, operation + " on destroyed pmap " + id);
            return false;
        }
        return true;
    }

    private static long clampKernelStart(long sva)
    {
        return Long.compareUnsigned(sva, Pte.VM_MIN_KERNEL_ADDRESS) < 0 ? Pte.VM_MIN_KERNEL_ADDRESS : sva;
    }

    private static long clampUserEnd(long eva)
    {
        return Long.compareUnsigned(eva, USER_TOP) > 0 ? USER_TOP : eva;
    }

    private void checkVa(long va)
    {
        boolean ok = kernel ? Pte.isKernelVa(va) && Pte.isCanonical(va) : Long.compareUnsigned(va, USER_TOP) < 0;
        if (!ok) {
            throw new IllegalArgumentException((kernel ? "pmap_kernel()" : "user pmap " + id) + " cannot map va 0x"
                    + Long.toHexString(va));
        }
    }

    @Override
    public String toString()
    {
        return kernel ? "pmap_kernel()" : "pmap " + id;
    }
}
