package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;

/**
 * struct pmap of sys/arch/arm64/arm64/pmap.c (rev 1.113, 2025/07/12): a three-level tree of
 * translation tables (L1 root, L2, L3; {@code have_4_level_pt} is never set) whose hardware
 * halves live in simulated physical frames, plus the software half OpenBSD keeps beside each
 * table: the {@code vp[]} child pointers and one {@code struct pte_desc} per L3 slot (the physical
 * address, the protection UVM allows, the protection enabled in the descriptor, wired and
 * referenced/modified state).
 *
 * <p>The hardware walker reads only the frames; this class reads its Java side to do what the C
 * reads from its vp tables and pteds. As in the C, tables are not freed when their last mapping
 * goes: pmap_remove() only clears descriptors; pmap_destroy() frees the whole tree
 * (pmap_vp_destroy).
 */
final class Arm64Pmap
        implements Pmap
{
    // pted state bits (the C's pted_va & PROT_MASK, pted_pte & PROT_MASK, PG_PMAP_REF/MOD)
    private static final int PROT_BITS = 7;
    private static final int ENABLED_SHIFT = 3;
    private static final int VALID = 1 << 6;
    private static final int REFERENCED = 1 << 7;
    private static final int MODIFIED = 1 << 8;

    private final Arm64MachineDependent md;
    private final PhysicalMemory physmem;
    private final long id;
    private final boolean privileged;
    private final long guarded;
    private final long rootPfn;
    private final long rootPa;
    private final L2Table[] l2 = new L2Table[Descriptors.ENTRIES];
    // CPUs whose TLB may hold entries under this pmap's ASIDs (to skip scans of the others)
    final long[] cpuMask;

    /** {@code pm_pt0pa}: what pmap_setttb() loads into TTBR0_EL1. */
    long pt0pa;
    /** {@code pm_asid}: ASID and generation. */
    long asid;
    /** {@code pm_active}. */
    int active;
    /** Bumped on every descriptor change; TLB entries remember it to skip the stale re-walk. */
    int modCount;
    private int refs = 1;
    private boolean destroyed;
    private long resident;
    private long tablePages = 1;
    private int pendingWrites;

    Arm64Pmap(Arm64MachineDependent md, long id, boolean privileged, long rootPfn, int ncpu)
    {
        this.md = md;
        this.physmem = md.physmem();
        this.id = id;
        this.privileged = privileged;
        this.guarded = privileged ? Descriptors.GP : 0;
        this.rootPfn = rootPfn;
        this.rootPa = rootPfn * 4096;
        this.pt0pa = rootPa;
        this.cpuMask = new long[(ncpu + 63) >>> 6];
    }

    @Override
    public long id()
    {
        return id;
    }

    @Override
    public boolean isKernel()
    {
        return privileged;
    }

    /** Physical address of the L1 table (TTBR0 for a user pmap, TTBR1 for pmap_kernel()). */
    @Override
    public long rootPa()
    {
        return rootPa;
    }

    /** Models pmap_reference() in sys/arch/arm64/arm64/pmap.c. */
    @Override
    public void reference(int cpu)
    {
        if (checkLive(cpu, "pmap_reference")) {
            refs++;
        }
    }

    /**
     * Models pmap_destroy() in sys/arch/arm64/arm64/pmap.c: on the last reference,
     * pmap_release() (pmap_vp_destroy: every table page back to the allocator) and
     * pmap_free_asid() (tlbi aside1is for both ASIDs of the pair, bitmap bits cleared).
     */
    @Override
    public boolean destroy(int cpu)
    {
        if (!checkLive(cpu, "pmap_destroy")) {
            return false;
        }
        if (privileged) {
            md.sink().violation("kernel-pmap", cpu, "pmap_destroy of pmap_kernel()");
            return false;
        }
        if (--refs > 0) {
            return false;
        }
        for (int i = 0; i < Descriptors.ENTRIES; i++) {
            L2Table table = l2[i];
            if (table == null) {
                continue;
            }
            for (int j = 0; j < Descriptors.ENTRIES; j++) {
                L3Table l3 = table.l3[j];
                if (l3 != null) {
                    md.freeTable(cpu, l3.pfn);
                    md.recycle(l3);
                }
            }
            md.freeTable(cpu, table.pfn);
            md.recycle(table);
            l2[i] = null;
        }
        md.freeTable(cpu, rootPfn);
        tablePages = 0;
        resident = 0;
        md.freeAsid(cpu, this);
        destroyed = true;
        modCount++;
        return true;
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
     * pmap_enter() as UVM's fault handler calls it: the access that faulted is a read (or an
     * instruction fetch), so the descriptor enables only {@code prot}'s read and execute bits and
     * a first write takes the modified-emulation fault (pmap_fault_fixup). pmap_kernel()
     * mappings are entered with everything enabled, as pmap_kenter_pa() does.
     */
    @Override
    public boolean enter(int cpu, long va, long pfn, int prot)
    {
        int accessType = privileged ? prot : prot & (Access.PROT_READ | Access.PROT_EXEC);
        return enter(cpu, va, pfn, prot, accessType);
    }

    /**
     * Models pmap_enter(pm, va, pa, prot, flags | PMAP_CANFAIL) in sys/arch/arm64/arm64/pmap.c
     * with {@code accessType} = {@code flags & PROT_MASK}, the access that caused the fault: it
     * is what the descriptor enables now (and marks the page referenced, and modified for a
     * write); the rest of {@code prot} is enabled by pmap_fault_fixup() on first use. With
     * {@code accessType} 0 no descriptor is written at all.
     *
     * @return false if a table page could not be allocated; nothing was changed then
     */
    boolean enter(int cpu, long va, long pfn, int prot, int accessType)
    {
        if (!checkLive(cpu, "pmap_enter")) {
            return false;
        }
        try {
            return doEnter(cpu, va, pfn, prot, accessType);
        }
        finally {
            settle(cpu);
        }
    }

    private boolean doEnter(int cpu, long va, long pfn, int prot, int accessType)
    {
        checkVa(va);
        long pageVa = va & ~0xfffL;
        long pa = pfn * 4096;
        int i1 = (int) (pageVa >>> Descriptors.L1_SHIFT) & 511;
        int i2 = (int) (pageVa >>> Descriptors.L2_SHIFT) & 511;
        int i3 = (int) (pageVa >>> Descriptors.L3_SHIFT) & 511;

        L2Table table2 = l2[i1];
        L3Table table3 = table2 == null ? null : table2.l3[i2];
        if (table3 != null && (table3.pted[i3] & VALID) != 0) {
            int flags = table3.pted[i3];
            if (table3.pa[i3] == pa && (flags & PROT_BITS) == (prot & PROT_BITS)) {
                // rev 1.113: same page, same protection, nothing to do
                return true;
            }
            removePted(cpu, table3, i3, pageVa);
        }
        if (table3 == null) {
            // pmap_vp_enter: L2 then L3, each a zeroed page (PMAP_CANFAIL)
            boolean newL2 = false;
            if (table2 == null) {
                long pfn2 = md.allocTable(cpu);
                if (pfn2 == PhysicalMemory.NO_FRAME) {
                    return false;
                }
                table2 = md.newL2Table(pfn2);
                newL2 = true;
            }
            long pfn3 = md.allocTable(cpu);
            if (pfn3 == PhysicalMemory.NO_FRAME) {
                if (newL2) {
                    md.freeTable(cpu, table2.pfn);
                    md.recycle(table2);
                }
                return false;
            }
            if (newL2) {
                l2[i1] = table2;
                tablePages++;
                writeDescriptor(cpu, rootPa + i1 * 8L, Descriptors.table(table2.pfn * 4096));
            }
            table3 = md.newL3Table(pfn3);
            table2.l3[i2] = table3;
            tablePages++;
            writeDescriptor(cpu, table2.pfn * 4096 + i2 * 8L, Descriptors.table(pfn3 * 4096));
        }

        resident++;
        int enabled = accessType & PROT_BITS;
        int flags = VALID | (prot & PROT_BITS) | (enabled << ENABLED_SHIFT);
        if (enabled != 0) {
            flags |= REFERENCED;
            if ((prot & Access.PROT_WRITE) != 0 && (accessType & Access.PROT_WRITE) != 0) {
                flags |= MODIFIED;
            }
        }
        table3.pted[i3] = flags;
        table3.pa[i3] = pa;
        table3.valid++;
        if (enabled != 0) {
            // pmap_pte_insert + ttlb_flush
            writeDescriptor(cpu, table3.pfn * 4096 + i3 * 8L, Descriptors.page(pa, enabled, privileged, guarded));
            md.ttlbFlush(cpu, this, pageVa);
        }
        return true;
    }

    /**
     * Models pmap_remove() in sys/arch/arm64/arm64/pmap.c: pmap_remove_pted() for every valid
     * mapping in [sva, eva): the descriptor cleared, then ttlb_flush(). Table pages stay.
     */
    @Override
    public long remove(int cpu, long sva, long eva)
    {
        if (!checkLive(cpu, "pmap_remove")) {
            return 0;
        }
        try {
            return doRemove(cpu, sva, eva);
        }
        finally {
            settle(cpu);
        }
    }

    private long doRemove(int cpu, long sva, long eva)
    {
        long removed = 0;
        long va = clampStart(sva) & ~0xfffL;
        eva = clampEnd(eva);
        while (Long.compareUnsigned(va, eva) < 0) {
            int i1 = (int) (va >>> Descriptors.L1_SHIFT) & 511;
            L2Table table2 = l2[i1];
            if (table2 == null) {
                va = nextBoundary(va, Descriptors.L1_SHIFT);
                continue;
            }
            int i2 = (int) (va >>> Descriptors.L2_SHIFT) & 511;
            L3Table table3 = table2.l3[i2];
            if (table3 == null || table3.valid == 0) {
                va = nextBoundary(va, Descriptors.L2_SHIFT);
                continue;
            }
            int i3 = (int) (va >>> Descriptors.L3_SHIFT) & 511;
            if ((table3.pted[i3] & VALID) != 0) {
                removePted(cpu, table3, i3, va);
                removed++;
            }
            va += 4096;
            if (va == 0) {
                break;
            }
        }
        return removed;
    }

    /**
     * Models pmap_protect() in sys/arch/arm64/arm64/pmap.c: with read or execute left,
     * pmap_page_ro() on every valid mapping (write always dropped, read and execute as
     * {@code prot} says, descriptor rewritten, ttlb_flush); otherwise pmap_remove().
     */
    @Override
    public void protect(int cpu, long sva, long eva, int prot)
    {
        if (!checkLive(cpu, "pmap_protect")) {
            return;
        }
        if ((prot & (Access.PROT_READ | Access.PROT_EXEC)) == 0) {
            remove(cpu, sva, eva);
            return;
        }
        try {
            doProtect(cpu, sva, eva, prot);
        }
        finally {
            settle(cpu);
        }
    }

    private void doProtect(int cpu, long sva, long eva, int prot)
    {
        int keep = Access.PROT_READ | Access.PROT_EXEC;
        if ((prot & Access.PROT_READ) == 0) {
            keep &= ~Access.PROT_READ;
        }
        if ((prot & Access.PROT_EXEC) == 0) {
            keep &= ~Access.PROT_EXEC;
        }
        int keepBits = keep | (keep << ENABLED_SHIFT) | VALID | REFERENCED | MODIFIED;
        long va = clampStart(sva) & ~0xfffL;
        eva = clampEnd(eva);
        while (Long.compareUnsigned(va, eva) < 0) {
            int i1 = (int) (va >>> Descriptors.L1_SHIFT) & 511;
            L2Table table2 = l2[i1];
            if (table2 == null) {
                va = nextBoundary(va, Descriptors.L1_SHIFT);
                continue;
            }
            int i2 = (int) (va >>> Descriptors.L2_SHIFT) & 511;
            L3Table table3 = table2.l3[i2];
            if (table3 == null || table3.valid == 0) {
                va = nextBoundary(va, Descriptors.L2_SHIFT);
                continue;
            }
            int i3 = (int) (va >>> Descriptors.L3_SHIFT) & 511;
            int flags = table3.pted[i3];
            if ((flags & VALID) != 0) {
                flags &= keepBits;
                table3.pted[i3] = flags;
                updateDescriptor(cpu, table3, i3);
                md.ttlbFlush(cpu, this, va);
            }
            va += 4096;
            if (va == 0) {
                break;
            }
        }
    }

    /** Models pmap_extract() in sys/arch/arm64/arm64/pmap.c: from the pted, as the C does. */
    @Override
    public long extract(long va)
    {
        if (destroyed) {
            md.sink().violation("destroyed-pmap", -1, "pmap_extract on destroyed pmap " + id);
            return -1;
        }
        L3Table table3 = l3For(va);
        if (table3 == null) {
            return -1;
        }
        int i3 = (int) (va >>> Descriptors.L3_SHIFT) & 511;
        if ((table3.pted[i3] & VALID) == 0) {
            return -1;
        }
        return table3.pa[i3] | (va & 0xfff);
    }

    @Override
    public long residentCount()
    {
        return resident;
    }

    @Override
    public long pageTablePages()
    {
        return tablePages;
    }

    /**
     * pmap_is_referenced(): OpenBSD/arm64 keeps PG_PMAP_REF in software (set by pmap_enter with
     * an access type and by pmap_fault_fixup); kept here per mapping.
     */
    @Override
    public boolean isReferenced(long va)
    {
        return (ptedFlags(va) & REFERENCED) != 0;
    }

    /** pmap_is_modified(): the software PG_PMAP_MOD, set only by a write (pmap_fault_fixup). */
    @Override
    public boolean isModified(long va)
    {
        return (ptedFlags(va) & MODIFIED) != 0;
    }

    /**
     * pmap_purge() followed by the pmap_remove() calls of uvmspace_purge(): see
     * {@link Arm64MachineDependent#pmapPurge}.
     */
    @Override
    public long purge(int cpu)
    {
        if (!checkLive(cpu, "pmap_purge")) {
            return 0;
        }
        if (privileged) {
            throw new UnsupportedOperationException("pmap_purge of pmap_kernel()");
        }
        return md.pmapPurge(cpu, this);
    }

    /** Clears every user mapping (after pmap_purge: pm_active is 0, so no TLB maintenance). */
    long removeAll(int cpu)
    {
        try {
            return doRemoveAll(cpu);
        }
        finally {
            settle(cpu);
        }
    }

    private long doRemoveAll(int cpu)
    {
        long removed = 0;
        for (int i1 = 0; i1 < Descriptors.ENTRIES; i1++) {
            L2Table table2 = l2[i1];
            if (table2 == null) {
                continue;
            }
            for (int i2 = 0; i2 < Descriptors.ENTRIES; i2++) {
                L3Table table3 = table2.l3[i2];
                if (table3 == null || table3.valid == 0) {
                    continue;
                }
                long base = ((long) i1 << Descriptors.L1_SHIFT) | ((long) i2 << Descriptors.L2_SHIFT);
                for (int i3 = 0; i3 < Descriptors.ENTRIES && table3.valid > 0; i3++) {
                    if ((table3.pted[i3] & VALID) != 0) {
                        removePted(cpu, table3, i3, base | ((long) i3 << Descriptors.L3_SHIFT));
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /**
     * Models pmap_fault_fixup() in sys/arch/arm64/arm64/pmap.c: referenced/modified emulation. A
     * fault whose access the pted allows but the descriptor does not enable yet enables it
     * (a write enables read, write and execute and marks the page modified; a read or fetch
     * enables read and execute and marks it referenced), rewrites the descriptor and flushes.
     *
     * @return true if the fault was emulation and has been fixed up
     */
    boolean faultFixup(int cpu, long va, int ftype)
    {
        if (destroyed) {
            return false;
        }
        L3Table table3 = l3For(va);
        if (table3 == null) {
            return false;
        }
        int i3 = (int) (va >>> Descriptors.L3_SHIFT) & 511;
        int flags = table3.pted[i3];
        if ((flags & VALID) == 0) {
            return false;
        }
        int allowed = flags & PROT_BITS;
        int enabled = (flags >>> ENABLED_SHIFT) & PROT_BITS;
        if ((ftype & Access.PROT_WRITE) != 0 && (enabled & Access.PROT_WRITE) == 0 && (allowed & Access.PROT_WRITE) != 0) {
            flags |= MODIFIED | REFERENCED;
            enabled |= allowed & (Access.PROT_READ | Access.PROT_WRITE | Access.PROT_EXEC);
        }
        else if ((ftype & Access.PROT_EXEC) != 0 && (enabled & Access.PROT_EXEC) == 0 && (allowed & Access.PROT_EXEC) != 0) {
            flags |= REFERENCED;
            enabled |= allowed & (Access.PROT_READ | Access.PROT_EXEC);
        }
        else if ((ftype & Access.PROT_READ) != 0 && (enabled & Access.PROT_READ) == 0 && (allowed & Access.PROT_READ) != 0) {
            flags |= REFERENCED;
            enabled |= allowed & (Access.PROT_READ | Access.PROT_EXEC);
        }
        else {
            return false;
        }
        table3.pted[i3] = (flags & ~(PROT_BITS << ENABLED_SHIFT)) | (enabled << ENABLED_SHIFT);
        updateDescriptor(cpu, table3, i3);
        settle(cpu);
        md.ttlbFlush(cpu, this, va & ~0xfffL);
        return true;
    }

    /**
     * pmap_kernel() only: frames pmap_bootstrap() took that the frame audit must see as this
     * pmap's page-table pages: the empty TTBR0 table ({@code pm_pt0pa}) and the kernel image,
     * which the SPI can only reserve through allocPageTablePage.
     */
    void holdBootFrames(long frames)
    {
        tablePages += frames;
    }

    /** Models pmap_remove_pted(): resident count down, descriptor cleared, ttlb_flush. */
    private void removePted(int cpu, L3Table table3, int i3, long va)
    {
        resident--;
        table3.pted[i3] = 0;
        table3.pa[i3] = 0;
        table3.valid--;
        writeDescriptor(cpu, table3.pfn * 4096 + i3 * 8L, 0);
        md.ttlbFlush(cpu, this, va);
    }

    /** Models pmap_pte_update(): the descriptor for the pted's enabled protection (0 if none). */
    private void updateDescriptor(int cpu, L3Table table3, int i3)
    {
        int enabled = (table3.pted[i3] >>> ENABLED_SHIFT) & PROT_BITS;
        writeDescriptor(cpu, table3.pfn * 4096 + i3 * 8L, Descriptors.page(table3.pa[i3], enabled, privileged, guarded));
    }

    private void writeDescriptor(int cpu, long pa, long descriptor)
    {
        physmem.write64(pa, descriptor);
        modCount++;
        pendingWrites++;
    }

    /** Charges the descriptor writes of the operation that ends, in one go. */
    private void settle(int cpu)
    {
        if (pendingWrites > 0) {
            md.chargePteWrites(cpu, pendingWrites);
            pendingWrites = 0;
        }
    }

    private int ptedFlags(long va)
    {
        L3Table table3 = l3For(va);
        if (table3 == null) {
            return 0;
        }
        return table3.pted[(int) (va >>> Descriptors.L3_SHIFT) & 511];
    }

    private L3Table l3For(long va)
    {
        L2Table table2 = l2[(int) (va >>> Descriptors.L1_SHIFT) & 511];
        if (table2 == null) {
            return null;
        }
        return table2.l3[(int) (va >>> Descriptors.L2_SHIFT) & 511];
    }

    private void checkVa(long va)
    {
        boolean ok = privileged ? (va >> Arm64MachineDependent.VA_BITS) == -1L : (va >>> Arm64MachineDependent.VA_BITS) == 0;
        if (!ok) {
            throw new IllegalArgumentException("va 0x" + Long.toHexString(va) + " is outside "
                    + (privileged ? "the kernel (TTBR1)" : "the user (TTBR0)") + " range of pmap " + id);
        }
    }

    private boolean checkLive(int cpu, String op)
    {
        if (destroyed) {
            md.sink().violation("destroyed-pmap", cpu, op + " on destroyed pmap " + id);
            return false;
        }
        return true;
    }

    /** [sva, eva) cut to this pmap's half of the address space; null-range as {0, 0}. */
    private long clampStart(long sva)
    {
        if (privileged) {
            return Long.compareUnsigned(sva, Arm64MachineDependent.KERNEL_MIN) < 0 ? Arm64MachineDependent.KERNEL_MIN : sva;
        }
        return sva;
    }

    private long clampEnd(long eva)
    {
        if (!privileged && Long.compareUnsigned(eva, Arm64MachineDependent.USER_LIMIT) > 0) {
            return Arm64MachineDependent.USER_LIMIT;
        }
        return eva;
    }

    private static long nextBoundary(long va, int shift)
    {
        long next = ((va >>> shift) + 1) << shift;
        return next == 0 ? -1L : next;
    }

    @Override
    public String toString()
    {
        return "pmap " + id + (privileged ? " (kernel)" : "");
    }

    /** A pmapvp2: the L2 table's frame and its vp[] children. Recycled by the machine. */
    static final class L2Table
    {
        long pfn;
        final L3Table[] l3 = new L3Table[Descriptors.ENTRIES];

        void clear()
        {
            java.util.Arrays.fill(l3, null);
        }
    }

    /** A pmapvp3: the L3 table's frame and its 512 pteds. Recycled by the machine. */
    static final class L3Table
    {
        long pfn;
        final int[] pted = new int[Descriptors.ENTRIES];
        final long[] pa = new long[Descriptors.ENTRIES];
        int valid;

        void clear()
        {
            if (valid != 0) {
                java.util.Arrays.fill(pted, 0);
                java.util.Arrays.fill(pa, 0);
                valid = 0;
            }
        }
    }
}
