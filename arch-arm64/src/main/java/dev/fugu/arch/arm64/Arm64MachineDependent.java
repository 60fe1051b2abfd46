package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.CostKeys;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.CostTable;
import dev.fugu.kernel.md.MachineContext;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.MdCapability;
import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.md.TlbView;
import dev.fugu.kernel.md.VmLayout;
import dev.fugu.kernel.md.support.Tlb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The machine-dependent half of an OpenBSD/arm64 machine: pmap_bootstrap(), the VMSAv8-64
 * translation regime (TTBR0_EL1 for user addresses, TTBR1_EL1 for the kernel, both with 39-bit
 * VAs and the 4 KB granule), per-CPU ASID-tagged TLBs filled by a hardware walker, the ASID
 * allocator, cpu_switchto()/pmap_setttb(), and broadcast TLB maintenance.
 *
 * <p>Every descriptor OpenBSD writes is non-global ({@code pmap_pte_update} starts from
 * {@code ATTR_nG}), kernel ones included, and TCR_EL1.A1 is set, so every TLB entry is tagged
 * with the ASID in TTBR1_EL1: the pmap's even ASID in the kernel, the odd one ({@code ASID_USER})
 * in userland. Switching ASIDs never flushes.
 */
final class Arm64MachineDependent
        implements MachineDependent
{
    /** VA bits of both halves: {@code USER_SPACE_BITS 39} (vmparam.h); T0SZ = T1SZ = 25. */
    static final int VA_BITS = 39;
    static final long USER_LIMIT = 1L << VA_BITS;
    /** {@code VM_MIN_KERNEL_ADDRESS}, the bottom of the TTBR1 half. */
    static final long KERNEL_MIN = 0xffff_ff80_0000_0000L;
    /** {@code VM_MAXUSER_ADDRESS}: (1 << USER_SPACE_BITS) - 0x8000; also USRSTACK. */
    static final long VM_MAXUSER_ADDRESS = USER_LIMIT - 0x8000;
    static final int UPAGES = 5;
    private static final Set<MdCapability> CAPABILITIES = Collections.unmodifiableSet(
            EnumSet.of(MdCapability.ASID, MdCapability.PMAP_PURGE, MdCapability.BROADCAST_TLBI, MdCapability.NX));
    /**
     * vmparam.h: VM_MIN_ADDRESS = PAGE_SIZE, VM_MAXUSER_ADDRESS = USRSTACK; UPAGES 5 (param.h);
     * text at 1 MB, an estimate (OpenBSD binaries are PIE at a random base).
     */
    private static final VmLayout LAYOUT = new VmLayout(4096, 4096, VM_MAXUSER_ADDRESS, 0x10_0000L, VM_MAXUSER_ADDRESS, UPAGES);
    /** Entries per CPU TLB: the Cortex-A53 main TLB (512 entries, 4-way). */
    static final int TLB_ENTRIES = 512;

    // TLB entry permission encoding: EL1 PROT bits in [2:0], EL0 PROT bits in [6:4] (bit 3 is
    // Tlb.GLOBAL, never set since every mapping is nG); the owner's modCount in [31:8].
    private static final int EL0_SHIFT = 4;
    private static final int MOD_SHIFT = 8;
    private static final int MOD_MASK = 0xff_ffff;

    private final MachineContext context;
    private final PhysicalMemory physmem;
    private final MdSink sink;
    private final int ncpu;
    private final boolean missedShootdown;
    private final CostTable costs;
    private final AsidSpace asids;
    private final Tlb[] tlbs;

    // per-CPU state (struct cpu_info and the MMU registers)
    private final Arm64Pmap[] curpm;
    private final Arm64Pmap[] ttbr0Owner;
    private final long[] ttbr0;
    private final int[] ttbrAsid;
    private final Arm64Pcb[] curpcb;

    private final long switchSave;
    private final long switchRestore;
    private final long ttbLoad;
    private final long tlbFlushCost;
    private final long tlbInvalidatePage;
    private final long walkLevel;
    private final long tlbHit;
    private final long pteWrite;
    private final long ptpAlloc;
    private final long ptpFree;
    private final long forkPcb;
    private final long exitCpu;
    private final long dsbIsh;
    private final long faultFixup;
    private final long asidAlloc;
    private final long asidScanWord;
    private final long bpFlush;

    private final List<Long> kernelImage = new ArrayList<>();
    private final Arm64Pmap.L2Table[] l2Pool = new Arm64Pmap.L2Table[256];
    private final Arm64Pmap.L3Table[] l3Pool = new Arm64Pmap.L3Table[1024];
    private int l2Free;
    private int l3Free;
    private Arm64Pmap kernel;
    private long emptyTablePa;
    private long nextPmapId;
    private long nextPcbId;
    private boolean booted;

    // result of the last walk (single host thread: fields instead of an allocated result)
    private int walkLevels;
    private int walkLeafLevel;

    Arm64MachineDependent(MachineContext context)
    {
        this.context = requireNonNull(context, "context is null");
        this.physmem = requireNonNull(context.physicalMemory(), "physicalMemory is null");
        this.sink = requireNonNull(context.sink(), "sink is null");
        this.ncpu = context.ncpu();
        this.missedShootdown = context.injected(Arm64Plugin.INJECT_MISSED_SHOOTDOWN);
        this.costs = requireNonNull(context.costs(), "costs is null");
        this.asids = new AsidSpace(context.hasOption(Arm64Plugin.OPTION_ASID8) ? 1 << 8 : 1 << 16);
        this.tlbs = new Tlb[ncpu];
        for (int cpu = 0; cpu < ncpu; cpu++) {
            tlbs[cpu] = new Tlb(TLB_ENTRIES);
        }
        this.curpm = new Arm64Pmap[ncpu];
        this.ttbr0Owner = new Arm64Pmap[ncpu];
        this.ttbr0 = new long[ncpu];
        this.ttbrAsid = new int[ncpu];
        this.curpcb = new Arm64Pcb[ncpu];

        this.switchSave = costs.cycles(CostKeys.SWITCH_SAVE);
        this.switchRestore = costs.cycles(CostKeys.SWITCH_RESTORE);
        this.ttbLoad = costs.cycles(CostKeys.TTB_LOAD);
        this.tlbFlushCost = costs.cycles(CostKeys.TLB_FLUSH);
        this.tlbInvalidatePage = costs.cycles(CostKeys.TLB_INVALIDATE_PAGE);
        this.walkLevel = costs.cycles(CostKeys.TLB_WALK_LEVEL);
        this.tlbHit = costs.cycles(CostKeys.TLB_HIT);
        this.pteWrite = costs.cycles(CostKeys.PTE_WRITE);
        this.ptpAlloc = costs.cycles(CostKeys.PTP_ALLOC);
        this.ptpFree = costs.cycles(CostKeys.PTP_FREE);
        this.forkPcb = costs.cycles(CostKeys.FORK_PCB);
        this.exitCpu = costs.cycles(CostKeys.EXIT_CPU);
        this.dsbIsh = costs.cycles(Arm64Costs.DSB_ISH);
        this.faultFixup = costs.cycles(Arm64Costs.FAULT_FIXUP);
        this.asidAlloc = costs.cycles(Arm64Costs.ASID_ALLOC);
        this.asidScanWord = costs.cycles(Arm64Costs.ASID_SCAN_WORD);
        this.bpFlush = costs.cycles(Arm64Costs.BP_FLUSH);
    }

    @Override
    public String arch()
    {
        return Arm64Plugin.NAME;
    }

    @Override
    public int ncpu()
    {
        return ncpu;
    }

    @Override
    public Set<MdCapability> capabilities()
    {
        return CAPABILITIES;
    }

    @Override
    public boolean has(MdCapability capability)
    {
        return CAPABILITIES.contains(capability);
    }

    @Override
    public VmLayout layout()
    {
        return LAYOUT;
    }

    @Override
    public int pagingLevels()
    {
        return 3;
    }

    @Override
    public String pagingMode()
    {
        return "4K granule, " + (asids.nasid() == 1 << 8 ? "8" : "16") + "-bit ASID";
    }

    @Override
    public int clockMhz()
    {
        return 2000;
    }

    @Override
    public CostTable costs()
    {
        return costs;
    }

    /**
     * Models pmap_bootstrap() in sys/arch/arm64/arm64/pmap.c: the kernel's L1 table (TTBR1), the
     * empty table every CPU's TTBR0 points at while no user pmap is loaded
     * ({@code pmap_kernel()->pm_pt0pa}), ASID 0 reserved for the kernel, and the kernel image
     * mapped with pmap_kenter_cache() (text R-X, rodata R, data RW), as pmap_map_stolen() does.
     */
    @Override
    public List<String> boot()
    {
        if (booted) {
            throw new IllegalStateException("already booted");
        }
        booted = true;
        long rootPfn = allocBootPage();
        kernel = new Arm64Pmap(this, nextPmapId++, true, rootPfn, ncpu);
        kernel.asid = 0;
        emptyTablePa = allocBootPage() * 4096;
        kernel.pt0pa = emptyTablePa;
        // A handful of kernel pages so kernel TLB entries exist: 4 text, 2 rodata, 2 data.
        int[] prots = {
                Access.PROT_READ | Access.PROT_EXEC, Access.PROT_READ | Access.PROT_EXEC,
                Access.PROT_READ | Access.PROT_EXEC, Access.PROT_READ | Access.PROT_EXEC,
                Access.PROT_READ, Access.PROT_READ,
                Access.PROT_READ | Access.PROT_WRITE, Access.PROT_READ | Access.PROT_WRITE};
        for (int page = 0; page < prots.length; page++) {
            // The SPI has no way to reserve a non-table frame: the image frames are taken as
            // (never written) page-table pages so the allocator does not hand them out again.
            long pfn = allocBootPage();
            kernelImage.add(pfn);
            if (!kernel.enter(0, KERNEL_MIN + (long) page * 4096, pfn, prots[page])) {
                throw new IllegalStateException("pmap_bootstrap: out of memory");
            }
        }
        kernel.holdBootFrames(1 + kernelImage.size());
        // pm_active = 1 once the tables are built: no TLB held kernel entries before
        kernel.active = 1;
        for (int cpu = 0; cpu < ncpu; cpu++) {
            curpm[cpu] = kernel;
            ttbr0Owner[cpu] = kernel;
            ttbr0[cpu] = emptyTablePa;
            ttbrAsid[cpu] = 0;
        }

        List<String> log = new ArrayList<>();
        long real = context.memBytes();
        long avail = physmem.freeFrames() * physmem.pageSize();
        log.add(String.format(Locale.ROOT, "real mem  = %d (%dMB)", real, real >> 20));
        log.add(String.format(Locale.ROOT, "avail mem = %d (%dMB)", avail, avail >> 20));
        log.add("mainbus0 at root: fugu simulated arm64 (" + ncpu + " CPUs)");
        for (int cpu = 0; cpu < ncpu; cpu++) {
            long mpidr = ((long) (cpu / 4) << 8) | (cpu % 4);
            log.add(String.format(Locale.ROOT, "cpu%d at mainbus0 mpidr %x: ARM Cortex-A53 r0p4", cpu, mpidr));
            log.add(String.format(Locale.ROOT, "cpu%d: 32KB 64b/line 2-way L1 VIPT I-cache, 32KB 64b/line 4-way L1 D-cache, "
                    + "%d-entry TLB, ASID%d", cpu, TLB_ENTRIES, asids.nasid() == 1 << 8 ? 8 : 16));
        }
        log.add("paging: " + pagingMode());
        return log;
    }

    @Override
    public Pmap pmapKernel()
    {
        checkBooted();
        return kernel;
    }

    /** Models pmap_create()/pmap_pinit() in sys/arch/arm64/arm64/pmap.c: a zeroed L1 table, one reference. */
    @Override
    public Pmap pmapCreate(int cpu)
    {
        checkBooted();
        // Sparse: a user L1 table holds a few entries (the kernel is in TTBR1's tables).
        long rootPfn = physmem.allocSparsePageTablePage(cpu);
        if (rootPfn == PhysicalMemory.NO_FRAME) {
            throw new IllegalStateException("pmap_create: no free frame for an L1 table");
        }
        sink.charge(cpu, ptpAlloc);
        return new Arm64Pmap(this, nextPmapId++, false, rootPfn, ncpu);
    }

    /**
     * Models cpu_fork() in sys/arch/arm64/arm64/vm_machdep.c (copy the pcb and trapframe, a
     * switchframe that starts in proc_trampoline). A user thread counts in its pmap's
     * {@code pm_active}, the count OpenBSD keeps with pmap_activate() for every thread that runs
     * on a pmap and drops in pmap_deactivate().
     */
    @Override
    public Pcb cpuFork(int cpu, Pcb parent, Pmap pmap, boolean system)
    {
        checkBooted();
        Arm64Pmap pm = system ? kernel : (Arm64Pmap) requireNonNull(pmap, "pmap is null");
        if (pm.isDestroyed()) {
            sink.violation("destroyed-pmap", cpu, "cpu_fork onto destroyed pmap " + pm.id());
        }
        if (!system) {
            pm.active++;
        }
        sink.charge(cpu, forkPcb);
        return new Arm64Pcb(nextPcbId++, pm, system);
    }

    /** Models cpu_exit() in sys/arch/arm64/arm64/vm_machdep.c: vfp_discard(); the MI calls pmap_deactivate. */
    @Override
    public void cpuExit(int cpu, Pcb pcb)
    {
        Arm64Pcb p = (Arm64Pcb) requireNonNull(pcb, "pcb is null");
        sink.charge(cpu, exitCpu);
        p.markExited();
    }

    /**
     * Models cpu_switchto() in sys/arch/arm64/arm64/cpuswitch.S: save the old switchframe (none
     * when {@code old} is null), mark the new thread on CPU and call pmap_setttb() for it,
     * unconditionally.
     */
    @Override
    public void cpuSwitchto(int cpu, Pcb old, Pcb next)
    {
        Arm64Pcb n = (Arm64Pcb) requireNonNull(next, "next is null");
        if (old != null) {
            sink.charge(cpu, switchSave);
        }
        sink.charge(cpu, switchRestore);
        curpcb[cpu] = n;
        pmapSetttb(cpu, n.pmap());
    }

    /**
     * Models pmap_activate() in sys/arch/arm64/arm64/pmap.c: {@code pm_active++}; if the thread
     * runs here and its pmap is not ci_curpm, pmap_setttb().
     */
    @Override
    public void pmapActivate(int cpu, Pcb pcb, Pmap pmap, boolean running)
    {
        Arm64Pcb p = (Arm64Pcb) requireNonNull(pcb, "pcb is null");
        Arm64Pmap pm = (Arm64Pmap) requireNonNull(pmap, "pmap is null");
        if (pm.isDestroyed()) {
            sink.violation("destroyed-pmap", cpu, "pmap_activate of destroyed pmap " + pm.id());
            return;
        }
        p.setPmap(pm);
        pm.active++;
        if (running && pm != curpm[cpu]) {
            pmapSetttb(cpu, pm);
        }
    }

    /**
     * Models pmap_deactivate() in sys/arch/arm64/arm64/pmap.c: if the pmap is active, TTBR0 goes
     * to the empty kernel table (isb) and {@code pm_active--}; ci_curpm and the ASID stay.
     */
    @Override
    public void pmapDeactivate(int cpu, Pcb pcb)
    {
        Arm64Pcb p = (Arm64Pcb) requireNonNull(pcb, "pcb is null");
        Arm64Pmap pm = p.pmap();
        if (pm.active == 0) {
            return;
        }
        ttbr0[cpu] = emptyTablePa;
        ttbr0Owner[cpu] = kernel;
        sink.charge(cpu, ttbLoad);
        pm.active--;
    }

    /**
     * Models pmap_purge() in sys/arch/arm64/arm64/pmap.c (called by uvm_purge() from exit1()),
     * then the pmap_remove() calls uvmspace_purge() makes: TTBR0 to the empty kernel table, both
     * ASIDs flushed everywhere (tlbi aside1is), {@code pm_pt0pa} = the kernel's empty table,
     * {@code pm_active = 0}, so the mappings are then cleared with no TLB maintenance at all.
     * The C spins until sibling threads have deactivated ({@code pm_active == 1}); the model
     * cannot wait and goes on.
     */
    long pmapPurge(int cpu, Arm64Pmap pm)
    {
        ttbr0[cpu] = emptyTablePa;
        if (ttbr0Owner[cpu] == pm) {
            ttbr0Owner[cpu] = kernel;
        }
        sink.charge(cpu, ttbLoad);
        flushAsidPair(cpu, pm);
        pm.pt0pa = emptyTablePa;
        pm.active = 0;
        return pm.removeAll(cpu);
    }

    /**
     * One memory access through the MMU of {@code cpu}: the TLB under the current ASID (odd for
     * user-mode accesses), else a walk of the tables TTBR0 or TTBR1 names; a permission or
     * translation fault that the pted says is referenced/modified emulation is fixed up as
     * trap.c's data_abort() → pmap_fault_fixup() does, and the access retried.
     */
    @Override
    public long access(int cpu, long va, int access)
    {
        boolean user = (access & Access.USER) != 0;
        int need = access & (Access.READ | Access.WRITE | Access.EXECUTE);
        Arm64Pmap owner;
        long root;
        if ((va >>> VA_BITS) == 0) {
            owner = ttbr0Owner[cpu];
            root = ttbr0[cpu];
        }
        else if ((va >> VA_BITS) == -1L) {
            owner = kernel;
            root = kernel.rootPa();
        }
        else {
            // outside both 39-bit halves: a translation fault at level 0
            return Access.FAULT_INVALID;
        }
        int tag = ttbrAsid[cpu] | (user ? AsidSpace.ASID_USER : 0);
        long vpn = va >>> 12;
        Tlb tlb = tlbs[cpu];
        int entry = tlb.lookup(tag, vpn);
        if (entry >= 0) {
            int perms = tlb.perms(entry);
            int allowed = user ? (perms >>> EL0_SHIFT) & 7 : perms & 7;
            if ((need & ~allowed) == 0) {
                checkHit(cpu, tlb, entry, va);
                sink.charge(cpu, tlbHit);
                return tlb.pa(entry) | (va & 0xfff);
            }
            // a permission fault from the TLB entry: the trap handler looks at the tables
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            long descriptor = walkDescriptor(root, va);
            sink.charge(cpu, walkLevel * walkLevels);
            if (descriptor != 0) {
                int allowed = Descriptors.allowed(descriptor, user);
                if ((need & ~allowed) == 0) {
                    long pa = leafPa(descriptor, va);
                    int perms = Descriptors.allowed(descriptor, false)
                            | (Descriptors.allowed(descriptor, true) << EL0_SHIFT)
                            | ((owner.modCount & MOD_MASK) << MOD_SHIFT);
                    tlb.insert(tag, vpn, pa & ~0xfffL, perms, owner);
                    markCpu(curpm[cpu], cpu);
                    return pa;
                }
            }
            if (attempt > 0 || root == emptyTablePa || !owner.faultFixup(cpu, va, need)) {
                return descriptor == 0 ? Access.FAULT_INVALID : Access.FAULT_PROTECTION;
            }
            sink.charge(cpu, faultFixup);
        }
        return Access.FAULT_INVALID;
    }

    /**
     * A walk of {@code pmap}'s tables with no side effects: its own L1 table for a user address
     * (pmap_kernel() has none: its TTBR0 table is empty), the kernel's for a TTBR1 address.
     */
    @Override
    public long walk(Pmap pmap, long va)
    {
        Arm64Pmap pm = (Arm64Pmap) requireNonNull(pmap, "pmap is null");
        if (pm.isDestroyed()) {
            sink.violation("destroyed-pmap", -1, "walk of destroyed pmap " + pm.id());
            return -1;
        }
        long root;
        if ((va >>> VA_BITS) == 0) {
            root = pm.isKernel() ? emptyTablePa : pm.rootPa();
        }
        else if ((va >> VA_BITS) == -1L) {
            root = kernel.rootPa();
        }
        else {
            return -1;
        }
        long descriptor = walkDescriptor(root, va);
        return descriptor == 0 ? -1 : leafPa(descriptor, va);
    }

    /** ci_curpm. */
    @Override
    public Pmap currentPmap(int cpu)
    {
        return curpm[cpu];
    }

    /** The pmap whose tables TTBR0_EL1 holds: pmap_kernel() while it points at the empty table. */
    @Override
    public Pmap loadedPmap(int cpu)
    {
        return ttbr0Owner[cpu];
    }

    @Override
    public TlbView tlb(int cpu)
    {
        return tlbs[cpu];
    }

    /** The ASID in TTBR1_EL1 of {@code cpu} (the even one of the running pmap's pair). */
    int currentAsid(int cpu)
    {
        return ttbrAsid[cpu];
    }

    /** {@code pmap_asid_gen}. */
    long asidGeneration()
    {
        return asids.generation();
    }

    /** TTBR0_EL1 of {@code cpu}: a table's physical address. */
    long ttbr0(int cpu)
    {
        return ttbr0[cpu];
    }

    /** {@code pmap_kernel()->pm_pt0pa}. */
    long emptyTablePa()
    {
        return emptyTablePa;
    }

    List<Long> kernelImageFrames()
    {
        return List.copyOf(kernelImage);
    }

    PhysicalMemory physmem()
    {
        return physmem;
    }

    MdSink sink()
    {
        return sink;
    }

    // ---- pmap support -----------------------------------------------------------------

    long allocTable(int cpu)
    {
        long pfn = physmem.allocPageTablePage(cpu);
        if (pfn != PhysicalMemory.NO_FRAME) {
            sink.charge(cpu, ptpAlloc);
        }
        return pfn;
    }

    void freeTable(int cpu, long pfn)
    {
        physmem.freePageTablePage(cpu, pfn);
        sink.charge(cpu, ptpFree);
    }

    void chargePteWrites(int cpu, int writes)
    {
        sink.charge(cpu, pteWrite * writes);
    }

    Arm64Pmap.L2Table newL2Table(long pfn)
    {
        Arm64Pmap.L2Table table = l2Free > 0 ? l2Pool[--l2Free] : new Arm64Pmap.L2Table();
        table.pfn = pfn;
        return table;
    }

    Arm64Pmap.L3Table newL3Table(long pfn)
    {
        Arm64Pmap.L3Table table = l3Free > 0 ? l3Pool[--l3Free] : new Arm64Pmap.L3Table();
        table.pfn = pfn;
        return table;
    }

    /** Keeps the Java half of a freed table for the next one (a host-side pool, like pmap_vp_pool). */
    void recycle(Arm64Pmap.L2Table table)
    {
        if (l2Free < l2Pool.length) {
            table.clear();
            l2Pool[l2Free++] = table;
        }
    }

    void recycle(Arm64Pmap.L3Table table)
    {
        if (l3Free < l3Pool.length) {
            table.clear();
            l3Pool[l3Free++] = table;
        }
    }

    /**
     * Models ttlb_flush() in sys/arch/arm64/arm64/pmap.c: nothing if the pmap is not active
     * anywhere ({@code !pm->pm_active}); else {@code tlbi vaale1is} (all ASIDs) for
     * pmap_kernel(), {@code tlbi vae1is} for both ASIDs of a user pmap's pair, then dsb ish. The
     * broadcast reaches every CPU's TLB with no IPI; the initiator pays.
     */
    void ttlbFlush(int cpu, Arm64Pmap pm, long va)
    {
        if (pm.active == 0 || missedShootdown) {
            return;
        }
        long vpn = va >>> 12;
        if (pm.isKernel()) {
            for (int c = 0; c < ncpu; c++) {
                tlbs[c].invalidateAllTags(vpn);
                sink.tlbInvalidate(c, 1);
            }
            sink.charge(cpu, tlbInvalidatePage + dsbIsh);
            return;
        }
        int asid = (int) (pm.asid & AsidSpace.ASID_MASK);
        int userAsid = asid | AsidSpace.ASID_USER;
        // The broadcast reaches every CPU; only those whose TLB may hold this ASID need a look.
        long[] mask = pm.cpuMask;
        for (int word = 0; word < mask.length; word++) {
            long bits = mask[word];
            while (bits != 0) {
                Tlb tlb = tlbs[(word << 6) + Long.numberOfTrailingZeros(bits)];
                bits &= bits - 1;
                tlb.invalidate(asid, vpn);
                tlb.invalidate(userAsid, vpn);
            }
        }
        for (int c = 0; c < ncpu; c++) {
            sink.tlbInvalidate(c, 1);
        }
        sink.charge(cpu, 2 * tlbInvalidatePage + dsbIsh);
    }

    /**
     * Models pmap_free_asid() in sys/arch/arm64/arm64/pmap.c: KASSERT the pmap is not this CPU's
     * ci_curpm, tlbi aside1is for both ASIDs, and the pair freed if of this generation.
     */
    void freeAsid(int cpu, Arm64Pmap pm)
    {
        if (cpu >= 0 && cpu < ncpu && curpm[cpu] == pm) {
            sink.violation("destroyed-pmap", cpu, "pmap_free_asid: pmap " + pm.id() + " is still ci_curpm of cpu" + cpu);
        }
        flushAsidPair(cpu, pm);
        asids.free(pm.asid);
    }

    /** {@code cpu_tlb_flush_asid_all()} for both ASIDs of the pair: broadcast tlbi aside1is + dsb ish. */
    private void flushAsidPair(int cpu, Arm64Pmap pm)
    {
        int asid = (int) (pm.asid & AsidSpace.ASID_MASK);
        long[] mask = pm.cpuMask;
        for (int word = 0; word < mask.length; word++) {
            long bits = mask[word];
            while (bits != 0) {
                int c = (word << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int dropped = tlbs[c].flushTag(asid) + tlbs[c].flushTag(asid | AsidSpace.ASID_USER);
                if (dropped > 0) {
                    sink.tlbInvalidate(c, dropped);
                }
            }
            mask[word] = 0;
        }
        sink.charge(cpu, 2 * tlbFlushCost + dsbIsh);
    }

    /**
     * Models pmap_setttb() in sys/arch/arm64/arm64/pmap.c: a user pmap whose ASID is of an old
     * generation gets a new one (pmap_allocate_asid); TTBR0 briefly holds the empty table, then
     * cpu_setttb() loads the ASID (into TTBR1, TCR_EL1.A1) and {@code pm_pt0pa}; ci_curpm is set
     * and the branch predictor flushed. No TLB flush: entries are ASID-tagged.
     */
    void pmapSetttb(int cpu, Arm64Pmap pm)
    {
        if (pm.isDestroyed()) {
            sink.violation("destroyed-pmap", cpu, "pmap_setttb of destroyed pmap " + pm.id());
            return;
        }
        if (!pm.isKernel() && !asids.isCurrent(pm.asid)) {
            allocateAsid(cpu, pm);
        }
        ttbr0[cpu] = pm.pt0pa;
        ttbr0Owner[cpu] = pm.pt0pa == emptyTablePa ? kernel : pm;
        ttbrAsid[cpu] = (int) (pm.asid & AsidSpace.ASID_MASK);
        curpm[cpu] = pm;
        sink.charge(cpu, ttbLoad + bpFlush);
    }

    /** Models pmap_allocate_asid() in sys/arch/arm64/arm64/pmap.c. */
    private void allocateAsid(int cpu, Arm64Pmap pm)
    {
        int asid = asids.find(pm.asid);
        sink.charge(cpu, asidAlloc + asidScanWord * asids.wordsScanned());
        if (asid == -1) {
            asid = rolloverAsid(cpu, pm);
        }
        asids.reserve(asid);
        pm.asid = asid | asids.generation();
    }

    /**
     * Models pmap_rollover_asid() in sys/arch/arm64/arm64/pmap.c: a new generation, the ASIDs
     * of every CPU's ci_curpm carried over, and cpu_tlb_flush() (tlbi vmalle1is) on all CPUs.
     */
    private int rolloverAsid(int cpu, Arm64Pmap pm)
    {
        long generation = asids.newGeneration();
        for (int c = 0; c < ncpu; c++) {
            Arm64Pmap current = curpm[c];
            if (current.isDestroyed()) {
                sink.violation("destroyed-pmap", cpu, "pmap_rollover_asid: ci_curpm of cpu" + c
                        + " is destroyed pmap " + current.id());
            }
            int asid = (int) (current.asid & AsidSpace.ASID_MASK);
            current.asid = asid | generation;
            asids.reserve(asid);
        }
        for (int c = 0; c < ncpu; c++) {
            tlbs[c].flushAll();
            sink.tlbFlush(c);
        }
        sink.charge(cpu, tlbFlushCost + dsbIsh);
        if (asids.isCurrent(pm.asid)) {
            return (int) (pm.asid & AsidSpace.ASID_MASK);
        }
        int asid = asids.find(pm.asid);
        sink.charge(cpu, asidScanWord * asids.wordsScanned());
        if (asid == -1) {
            throw new IllegalStateException("no free ASID after rollover");
        }
        return asid;
    }

    /**
     * The stale-translation check on a TLB hit: the owner must be alive and, if its tables
     * changed since the fill, a re-walk of them must give the same page with at least the cached
     * permissions. A user-address entry must also belong to the pmap whose ASID is loaded.
     */
    private void checkHit(int cpu, Tlb tlb, int entry, long va)
    {
        Arm64Pmap owner = (Arm64Pmap) tlb.owner(entry);
        int perms = tlb.perms(entry);
        boolean userVa = (va >>> VA_BITS) == 0;
        if (owner.isDestroyed()) {
            staleTlb(cpu, va, owner, tlb.pa(entry), -1, "its pmap was destroyed");
            return;
        }
        if (userVa && owner != curpm[cpu]) {
            staleTlb(cpu, va, owner, tlb.pa(entry), -1, "hit under the ASID of pmap " + curpm[cpu].id());
            return;
        }
        if ((perms >>> MOD_SHIFT) == (owner.modCount & MOD_MASK)) {
            return;
        }
        long root = userVa ? owner.rootPa() : kernel.rootPa();
        long descriptor = walkDescriptor(root, va);
        if (descriptor == 0) {
            staleTlb(cpu, va, owner, tlb.pa(entry), -1, "the page tables no longer map it");
            return;
        }
        long pa = leafPa(descriptor, va) & ~0xfffL;
        int now = Descriptors.allowed(descriptor, false) | (Descriptors.allowed(descriptor, true) << EL0_SHIFT);
        if (pa != tlb.pa(entry)) {
            staleTlb(cpu, va, owner, tlb.pa(entry), pa, "the page tables map another page");
        }
        else if ((perms & 0x77 & ~now) != 0) {
            staleTlb(cpu, va, owner, tlb.pa(entry), pa, "the entry allows more than the descriptor");
        }
    }

    private void staleTlb(int cpu, long va, Arm64Pmap owner, long cachedPa, long currentPa, String why)
    {
        sink.violation("stale-tlb", cpu, String.format(Locale.ROOT,
                "va 0x%x of pmap %d: TLB has pa 0x%x, page tables have %s (%s)",
                va, owner.id(), cachedPa, currentPa < 0 ? "none" : "pa 0x" + Long.toHexString(currentPa), why));
    }

    /**
     * The hardware table walk (Arm ARM D8.2 "Translation process"): L1 → L2 → L3 from
     * {@code root}, reading descriptors from physical memory. Sets {@link #walkLevels}.
     *
     * @return the leaf (page or block) descriptor, or 0 for a translation or access-flag fault
     */
    private long walkDescriptor(long root, long va)
    {
        long table = root;
        walkLevels = 0;
        for (int level = 1; level <= 3; level++) {
            int shift = 12 + 9 * (3 - level);
            long descriptor = physmem.readEntry(table >>> 12, (int) ((va >>> shift) & 511));
            walkLevels++;
            if ((descriptor & Descriptors.VALID) == 0) {
                return 0;
            }
            if (level < 3) {
                if ((descriptor & Descriptors.TYPE_MASK) == Descriptors.TYPE_BLOCK) {
                    walkLeafLevel = level;
                    return (descriptor & Descriptors.AF) == 0 ? 0 : descriptor;
                }
                table = descriptor & Descriptors.ADDRESS_MASK;
            }
            else {
                if ((descriptor & Descriptors.TYPE_MASK) != Descriptors.TYPE_PAGE) {
                    return 0;
                }
                walkLeafLevel = 3;
                return (descriptor & Descriptors.AF) == 0 ? 0 : descriptor;
            }
        }
        return 0;
    }

    /** The output address of the last walk's leaf for {@code va} (page or block). */
    private long leafPa(long descriptor, long va)
    {
        int shift = 12 + 9 * (3 - walkLeafLevel);
        long offsetMask = (1L << shift) - 1;
        return (descriptor & Descriptors.ADDRESS_MASK & ~offsetMask) | (va & offsetMask);
    }

    private static void markCpu(Arm64Pmap pm, int cpu)
    {
        pm.cpuMask[cpu >>> 6] |= 1L << cpu;
    }

    private long allocBootPage()
    {
        long pfn = physmem.allocPageTablePage(0);
        if (pfn == PhysicalMemory.NO_FRAME) {
            throw new IllegalStateException("pmap_bootstrap: out of memory");
        }
        return pfn;
    }

    private void checkBooted()
    {
        if (!booted) {
            throw new IllegalStateException("boot() has not run");
        }
    }
}
