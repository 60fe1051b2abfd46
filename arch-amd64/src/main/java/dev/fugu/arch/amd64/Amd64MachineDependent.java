package dev.fugu.arch.amd64;

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
import java.util.Set;

import static dev.fugu.arch.amd64.Pte.CR3_PCID;
import static dev.fugu.arch.amd64.Pte.CR3_REUSE_PCID;
import static dev.fugu.arch.amd64.Pte.PCID_KERN;
import static dev.fugu.arch.amd64.Pte.PCID_PROC;
import static dev.fugu.arch.amd64.Pte.PG_1GFRAME;
import static dev.fugu.arch.amd64.Pte.PG_FRAME;
import static dev.fugu.arch.amd64.Pte.PG_G;
import static dev.fugu.arch.amd64.Pte.PG_LGFRAME;
import static dev.fugu.arch.amd64.Pte.PG_M;
import static dev.fugu.arch.amd64.Pte.PG_NX;
import static dev.fugu.arch.amd64.Pte.PG_PS;
import static dev.fugu.arch.amd64.Pte.PG_RW;
import static dev.fugu.arch.amd64.Pte.PG_U;
import static dev.fugu.arch.amd64.Pte.PG_V;
import static dev.fugu.arch.amd64.Pte.PG_u;
import static java.util.Objects.requireNonNull;

/**
 * The amd64 machine-dependent half of one machine (sys/arch/amd64): pmap_bootstrap(), the per-CPU
 * MMU state (%cr3 with its PCID, ci_proc_pmap, curpcb), a TLB per CPU, the hardware page walker,
 * cpu_switchto(), cpu_fork()/cpu_exit(), pmap_activate()/pmap_deactivate() and the TLB shootdown
 * code of sys/arch/amd64/amd64/pmap.c.
 *
 * <p>The CPU modelled has PCID and INVPCID (so pmap_use_pcid is set unless {@code nopcid}), NX and
 * PGE, and is not affected by Meltdown (cpu_meltdown = 0, as on AMD Zen): there are no U-K page
 * tables and PCID_PROC_INTEL is never loaded. As pmap_bootstrap() does, kernel PTEs get PG_G only
 * when PCIDs are not in use (pg_g_kern = 0 with PCID: "invpcid function 0 does not invalidate
 * global mappings").
 */
public final class Amd64MachineDependent
        implements MachineDependent
{
    /** TLB entries per CPU: the first-level DTLB of a Skylake-class core (64 entries, 4 KB pages). */
    public static final int TLB_ENTRIES = 64;
    /** Where the kernel image starts (KERNTEXTOFF = KERNBASE + 16 MB). */
    public static final long KERNTEXTOFF = Pte.KERNBASE + 0x100_0000L;
    /** Kernel image pages mapped at boot: text (r-x), rodata (r--), data and bss (rw-). */
    public static final int KERNEL_TEXT_PAGES = 6;
    public static final int KERNEL_RODATA_PAGES = 4;
    public static final int KERNEL_DATA_PAGES = 6;
    /** UPAGES in sys/arch/amd64/include/param.h. */
    public static final int UPAGES = 5;
    /** Where a program's text is mapped: the conventional non-PIE ELF base. */
    public static final long TEXT_START = 0x40_0000L;

    static final int PAGE_SHIFT = 12;
    static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    static final long PAGE_MASK = PAGE_SIZE - 1;

    private static final VmLayout LAYOUT = new VmLayout((int) PAGE_SIZE, Pte.VM_MIN_ADDRESS, Pte.VM_MAXUSER_ADDRESS,
            TEXT_START, Pte.VM_MAXUSER_ADDRESS, UPAGES);

    private final int ncpu;
    private final long memBytes;
    private final PhysicalMemory mem;
    private final MdSink sink;
    private final CostTable costTable;
    final Amd64Costs costs;
    private final boolean pcid;
    private final boolean injectStaleCiProcPmap;
    private final boolean injectMissedShootdown;
    private final Set<MdCapability> capabilities;
    /** pg_g_kern: PG_G on kernel PTEs only without PCIDs. */
    final long pgGKern;
    /** protection_codes[]: MI protection to PTE bits (pg_xo = 0: no PKU modelled). */
    final long[] protectionCodes = new long[8];

    // Per-CPU state, indexed by CPU.
    private final long[] cr3;
    private final Amd64Pmap[] loaded;
    private final Amd64Pmap[] procPmap;
    private final Amd64Pcb[] curpcb;
    private final Tlb[] tlbs;
    private final long[][] tlbGen;

    /** Valid entries in each page-table page, by pfn: OpenBSD's wire_count - 1. */
    final short[] ptpValid;
    /** Live user pmaps (the pmaps list): pmap_growkernel copies new kernel PML4 entries into them. */
    private final List<Amd64Pmap> pmaps = new ArrayList<>();
    /** Kernel-half PML4 slots that are valid in pmap_kernel(), copied by pmap_pdp_ctor(). */
    private int[] kernelSlots = new int[0];
    private final long[] kernelImageFrames;
    private final Amd64Pmap kernelPmap;
    private final long availBytes;
    private long nextPmapId = 1;
    private long nextPcbId;

    // Scratch of the last walk (single host thread): entry addresses per level and levels read.
    private final long[] walkEntry = new long[5];
    private final long[] walkValue = new long[5];
    private int walkLevels;
    private int walkLeafLevel;

    /** Builds the machine and runs pmap_bootstrap(). */
    public Amd64MachineDependent(MachineContext context)
    {
        requireNonNull(context, "context is null");
        this.ncpu = context.ncpu();
        this.memBytes = context.memBytes();
        this.mem = requireNonNull(context.physicalMemory(), "physicalMemory is null");
        this.sink = requireNonNull(context.sink(), "sink is null");
        this.costTable = requireNonNull(context.costs(), "costs is null");
        this.costs = new Amd64Costs(costTable);
        this.pcid = !context.hasOption(Amd64Plugin.OPTION_NOPCID);
        this.injectStaleCiProcPmap = context.injected(Amd64Plugin.INJECT_STALE_CI_PROC_PMAP);
        this.injectMissedShootdown = context.injected(Amd64Plugin.INJECT_MISSED_SHOOTDOWN);
        if (mem.pageSize() != PAGE_SIZE) {
            throw new IllegalArgumentException("amd64 needs 4 KB pages, physical memory has " + mem.pageSize());
        }
        EnumSet<MdCapability> caps = EnumSet.of(MdCapability.SHOOTDOWN_IPI, MdCapability.NX);
        if (pcid) {
            caps.add(MdCapability.PCID);
        }
        this.capabilities = Collections.unmodifiableSet(caps);
        this.pgGKern = pcid ? 0 : PG_G;

        long nx = PG_NX;
        protectionCodes[Access.PROT_NONE] = nx;
        protectionCodes[Access.PROT_EXEC] = 0;
        protectionCodes[Access.PROT_READ] = nx;
        protectionCodes[Access.PROT_READ | Access.PROT_EXEC] = 0;
        protectionCodes[Access.PROT_WRITE] = PG_RW | nx;
        protectionCodes[Access.PROT_WRITE | Access.PROT_EXEC] = PG_RW;
        protectionCodes[Access.PROT_WRITE | Access.PROT_READ] = PG_RW | nx;
        protectionCodes[Access.PROT_READ | Access.PROT_WRITE | Access.PROT_EXEC] = PG_RW;

        this.cr3 = new long[ncpu];
        this.loaded = new Amd64Pmap[ncpu];
        this.procPmap = new Amd64Pmap[ncpu];
        this.curpcb = new Amd64Pcb[ncpu];
        this.tlbs = new Tlb[ncpu];
        this.tlbGen = new long[ncpu][TLB_ENTRIES];
        for (int cpu = 0; cpu < ncpu; cpu++) {
            tlbs[cpu] = new Tlb(TLB_ENTRIES);
        }
        this.ptpValid = new short[Math.toIntExact(mem.totalFrames())];
        this.kernelImageFrames = new long[KERNEL_TEXT_PAGES + KERNEL_RODATA_PAGES + KERNEL_DATA_PAGES];

        this.kernelPmap = bootstrap();
        this.availBytes = mem.freeFrames() * PAGE_SIZE;
    }

    /**
     * Models pmap_bootstrap() in sys/arch/amd64/amd64/pmap.c together with the page tables
     * locore0.S builds: the kernel PML4 with its recursive slot (L4_SLOT_PTE), a PDPT for the first
     * kernel slot (L4_SLOT_KERN, kernel VA from VM_MIN_KERNEL_ADDRESS) and the PDPT/PD/PT chain of
     * the kernel image at KERNTEXTOFF, whose pages are mapped text r-x, rodata r-- and data rw-.
     * The direct map (L4_SLOT_DIRECT) is not modelled.
     */
    private Amd64Pmap bootstrap()
    {
        long pml4 = bootFrame();
        Amd64Pmap kpm = new Amd64Pmap(this, 0, true, pml4);
        kpm.ptps = 1;
        long pml4Pa = pml4 << PAGE_SHIFT;
        // The recursive PDE: pdirpa | PG_V | PG_KW | pg_nx (pmap_pdp_ctor writes the same).
        mem.write64(pml4Pa + 8L * Pte.L4_SLOT_PTE, pml4Pa | PG_V | PG_RW | PG_NX);
        ptpValid[(int) pml4]++;

        // Kernel VA space: pmap_alloc_level() PDEs are pa | PG_RW | PG_V | pg_nx.
        long kvaPdpt = bootFrame();
        kpm.ptps++;
        writeTableEntry(pml4Pa, Pte.L4_SLOT_KERN, (kvaPdpt << PAGE_SHIFT) | PG_RW | PG_V | PG_NX);

        // The kernel image, as locore0.S maps it: upper levels RWX, the leaves by section.
        long imagePdpt = bootFrame();
        long imagePd = bootFrame();
        long imagePt = bootFrame();
        kpm.ptps += 3;
        writeTableEntry(pml4Pa, Pte.L4_SLOT_KERNBASE, (imagePdpt << PAGE_SHIFT) | PG_RW | PG_V);
        writeTableEntry(imagePdpt << PAGE_SHIFT, Pte.index(KERNTEXTOFF, 3), (imagePd << PAGE_SHIFT) | PG_RW | PG_V);
        writeTableEntry(imagePd << PAGE_SHIFT, Pte.index(KERNTEXTOFF, 2), (imagePt << PAGE_SHIFT) | PG_RW | PG_V);
        for (int i = 0; i < kernelImageFrames.length; i++) {
            long frame = bootFrame();
            kernelImageFrames[i] = frame;
            long bits;
            if (i < KERNEL_TEXT_PAGES) {
                bits = PG_V;
            }
            else if (i < KERNEL_TEXT_PAGES + KERNEL_RODATA_PAGES) {
                bits = PG_V | PG_NX;
            }
            else {
                bits = PG_V | PG_RW | PG_NX;
            }
            writeTableEntry(imagePt << PAGE_SHIFT, Pte.index(KERNTEXTOFF + i * PAGE_SIZE, 1), (frame << PAGE_SHIFT) | bits | pgGKern);
        }
        kpm.resident = kernelImageFrames.length;
        // The SPI can take frames at boot only as page-table pages, so the image's frames are
        // counted with pmap_kernel()'s tables: the frame audit then matches them to their owner.
        kpm.ptps += kernelImageFrames.length;
        kernelSlots = new int[] {Pte.L4_SLOT_KERN, Pte.L4_SLOT_KERNBASE};

        long kernelCr3 = cr3For(kpm);
        for (int cpu = 0; cpu < ncpu; cpu++) {
            cr3[cpu] = kernelCr3 & ~CR3_REUSE_PCID;
            loaded[cpu] = kpm;
        }
        return kpm;
    }

    private long bootFrame()
    {
        long pfn = mem.allocPageTablePage(0);
        if (pfn == PhysicalMemory.NO_FRAME) {
            throw new IllegalStateException("pmap_bootstrap: out of physical memory");
        }
        return pfn;
    }

    private void writeTableEntry(long tablePa, int index, long entry)
    {
        mem.write64(tablePa + 8L * index, entry);
        ptpValid[(int) (tablePa >>> PAGE_SHIFT)]++;
    }

    // ---------------------------------------------------------------- identification

    @Override
    public String arch()
    {
        return Amd64Plugin.NAME;
    }

    @Override
    public int ncpu()
    {
        return ncpu;
    }

    @Override
    public Set<MdCapability> capabilities()
    {
        return capabilities;
    }

    @Override
    public VmLayout layout()
    {
        return LAYOUT;
    }

    @Override
    public int pagingLevels()
    {
        return 4;
    }

    @Override
    public String pagingMode()
    {
        return pcid ? "4-level, PCID" : "4-level, no PCID";
    }

    @Override
    public int clockMhz()
    {
        return Amd64Plugin.CLOCK_MHZ;
    }

    @Override
    public CostTable costs()
    {
        return costTable;
    }

    boolean usesPcid()
    {
        return pcid;
    }

    /** The frames of the kernel image mapped at boot (text, rodata, data). */
    public long[] kernelImageFrames()
    {
        return kernelImageFrames.clone();
    }

    /**
     * The dmesg of an amd64 boot: memory lines as machdep.c's cpu_startup() prints them, the
     * mainbus and one cpu attach line per CPU as cpu.c's cpu_attach() and identcpu.c print them,
     * and the paging mode.
     */
    @Override
    public List<String> boot()
    {
        List<String> lines = new ArrayList<>();
        lines.add("real mem  = " + memBytes + " (" + (memBytes >> 20) + "MB)");
        lines.add("avail mem = " + availBytes + " (" + (availBytes >> 20) + "MB)");
        lines.add("mainbus0 at root");
        String features = "FPU,PGE,NXE" + (pcid ? ",PCID,INVPCID" : "");
        for (int cpu = 0; cpu < ncpu; cpu++) {
            lines.add("cpu" + cpu + " at mainbus0: apid " + cpu + (cpu == 0 ? " (boot processor)" : " (application processor)"));
            lines.add("cpu" + cpu + ": fugu simulated x86-64 CPU, " + Amd64Plugin.CLOCK_MHZ + ".00 MHz, " + features
                    + ", " + TLB_ENTRIES + "-entry DTLB");
        }
        lines.add("paging: " + pagingMode());
        return List.copyOf(lines);
    }

    // ---------------------------------------------------------------- pmaps

    /** pmap_kernel() (pmap.h): &kernel_pmap_store, built by pmap_bootstrap(). */
    @Override
    public Pmap pmapKernel()
    {
        return kernelPmap;
    }

    Amd64Pmap kernel()
    {
        return kernelPmap;
    }

    /**
     * Models pmap_create() and pmap_pdp_ctor() in sys/arch/amd64/amd64/pmap.c: a zeroed PML4 with
     * the recursive PDE in L4_SLOT_PTE and the kernel's PML4 entries copied, so the kernel PDPTs
     * are shared by every pmap.
     */
    @Override
    public Pmap pmapCreate(int cpu)
    {
        // Sparse: a PML4 holds the recursive and kernel slots and a few user ones.
        long pfn = mem.allocSparsePageTablePage(cpu);
        if (pfn == PhysicalMemory.NO_FRAME) {
            // pool_get(PR_WAITOK) would sleep for memory; the simulation cannot.
            throw new IllegalStateException("pmap_create: no physical frame for a PML4");
        }
        sink.charge(cpu, costs.ptpAlloc + costs.pmapCreate);
        Amd64Pmap pmap = new Amd64Pmap(this, nextPmapId++, false, pfn);
        pmap.ptps = 1;
        long pa = pfn << PAGE_SHIFT;
        writeTableEntry(pa, Pte.L4_SLOT_PTE, pa | PG_V | PG_RW | PG_NX);
        long kernelPml4 = kernelPmap.rootPa();
        for (int slot : kernelSlots) {
            writeTableEntry(pa, slot, mem.read64(kernelPml4 + 8L * slot));
        }
        sink.charge(cpu, costs.pteWrite * (1 + kernelSlots.length));
        pmap.listIndex = pmaps.size();
        pmaps.add(pmap);
        return pmap;
    }

    int kernelSlotCount()
    {
        return kernelSlots.length;
    }

    void unlist(Amd64Pmap pmap)
    {
        // Swap-remove: order does not matter to pmap_growkernel().
        int index = pmap.listIndex;
        Amd64Pmap last = pmaps.remove(pmaps.size() - 1);
        if (last != pmap) {
            pmaps.set(index, last);
            last.listIndex = index;
        }
        pmap.listIndex = -1;
    }

    /**
     * Models pmap_growkernel()'s update of every pmap: a new kernel PML4 entry is copied into all
     * live user PML4s.
     */
    void growKernel(int cpu, int slot)
    {
        long entry = mem.read64(kernelPmap.rootPa() + 8L * slot);
        for (Amd64Pmap pmap : pmaps) {
            writeTableEntry(pmap.rootPa(), slot, entry);
            sink.charge(cpu, costs.pteWrite);
        }
        int[] slots = java.util.Arrays.copyOf(kernelSlots, kernelSlots.length + 1);
        slots[kernelSlots.length] = slot;
        java.util.Arrays.sort(slots);
        kernelSlots = slots;
    }

    /** pcb_cr3 for a thread on {@code pmap}, as pmap_activate() computes it. */
    long cr3For(Amd64Pmap pmap)
    {
        if (!pcid) {
            return pmap.rootPa();
        }
        return pmap.isKernel() ? pmap.rootPa() | PCID_KERN | CR3_REUSE_PCID : pmap.rootPa() | PCID_PROC;
    }

    PhysicalMemory mem()
    {
        return mem;
    }

    MdSink sink()
    {
        return sink;
    }

    // ---------------------------------------------------------------- threads and switching

    /**
     * Models cpu_fork() in sys/arch/amd64/amd64/vm_machdep.c: a new pcb copied from the parent
     * with its switchframe, and pcb_pmap/pcb_cr3 as pmap_activate() sets them. System threads run
     * on pmap_kernel().
     */
    @Override
    public Pcb cpuFork(int cpu, Pcb parent, Pmap pmap, boolean system)
    {
        Amd64Pmap pm = amd64(pmap);
        if (system && !pm.isKernel()) {
            throw new IllegalArgumentException("a system thread runs on pmap_kernel(), not pmap " + pm.id());
        }
        if (pm.isDestroyed()) {
            sink.violation("destroyed-pmap", cpu, "cpu_fork of a thread on destroyed pmap " + pm.id());
        }
        sink.charge(cpu, costs.forkPcb);
        return new Amd64Pcb(nextPcbId++, system, pm, cr3For(pm));
    }

    /** Models cpu_exit() in sys/arch/amd64/amd64/vm_machdep.c: drops the thread's FPU state. */
    @Override
    public void cpuExit(int cpu, Pcb pcb)
    {
        Amd64Pcb p = amd64(pcb);
        sink.charge(cpu, costs.exitCpu);
        p.markExited();
    }

    /**
     * Models cpu_switchto() in sys/arch/amd64/amd64/locore.S (rev 1.148): saves the old thread
     * (skipped when it is dead), then compares the new pcb_cr3 with %cr3 ignoring bit 63. If they
     * differ it records the new thread's pmap in ci_proc_pmap ({@code %rbx}, "new pmap if not
     * P_SYSTEM", so NULL for a system thread) and loads %cr3. The seed's fix updates ci_proc_pmap
     * even when %cr3 is unchanged; with the inject {@code stale-ci-proc-pmap} it is left alone
     * then, as rev 1.148 does.
     */
    @Override
    public void cpuSwitchto(int cpu, Pcb old, Pcb next)
    {
        Amd64Pcb n = amd64(next);
        if (old != null) {
            amd64(old);
            sink.charge(cpu, costs.switchSave);
        }
        sink.charge(cpu, costs.switchRestore);
        long newCr3 = n.cr3();
        Amd64Pmap pmap = n.amd64Pmap();
        boolean sameCr3 = ((cr3[cpu] ^ newCr3) & ~CR3_REUSE_PCID) == 0;
        if (!sameCr3) {
            procPmap[cpu] = n.isSystem() ? null : pmap;
            loadCr3(cpu, newCr3, pmap);
        }
        else if (!injectStaleCiProcPmap) {
            procPmap[cpu] = n.isSystem() ? null : pmap;
        }
        curpcb[cpu] = n;
    }

    /**
     * Models pmap_activate() in sys/arch/amd64/amd64/pmap.c: sets pcb_pmap and pcb_cr3; when the
     * thread is running here, a non-system thread's pmap becomes ci_proc_pmap and %cr3 is loaded.
     */
    @Override
    public void pmapActivate(int cpu, Pcb pcb, Pmap pmap, boolean running)
    {
        Amd64Pcb p = amd64(pcb);
        Amd64Pmap pm = amd64(pmap);
        p.setPmap(pm, cr3For(pm));
        if (!running) {
            return;
        }
        if (!p.isSystem()) {
            procPmap[cpu] = pm;
        }
        loadCr3(cpu, p.cr3(), pm);
    }

    /**
     * Models pmap_deactivate() in sys/arch/amd64/amd64/pmap.c: for a non-system thread,
     * KASSERT(ci_proc_pmap == its pmap) and clear ci_proc_pmap. %cr3 is left alone.
     */
    @Override
    public void pmapDeactivate(int cpu, Pcb pcb)
    {
        Amd64Pcb p = amd64(pcb);
        if (p.isSystem()) {
            return;
        }
        if (procPmap[cpu] != p.amd64Pmap()) {
            sink.violation("ci-proc-pmap", cpu, "pmap_deactivate: ci_proc_pmap is " + describe(procPmap[cpu])
                    + " but the thread's pmap is " + describe(p.amd64Pmap()));
        }
        procPmap[cpu] = null;
    }

    /**
     * lcr3(): a %cr3 write. With CR4.PCIDE (Intel SDM Vol. 3A §4.10.4.1) it invalidates the
     * non-global entries of the new PCID unless bit 63 (CR3_REUSE_PCID) is set; without PCIDs it
     * invalidates every non-global entry.
     */
    private void loadCr3(int cpu, long value, Amd64Pmap pmap)
    {
        if (pmap.isDestroyed()) {
            sink.violation("destroyed-pmap", cpu, "%cr3 load of destroyed pmap " + pmap.id());
        }
        sink.charge(cpu, costs.ttbLoad);
        cr3[cpu] = value & ~CR3_REUSE_PCID;
        loaded[cpu] = pmap;
        if (pcid) {
            if ((value & CR3_REUSE_PCID) == 0) {
                tlbs[cpu].flushTag((int) (value & CR3_PCID));
                countFlush(cpu);
            }
        }
        else {
            tlbs[cpu].flushNonGlobal();
            countFlush(cpu);
        }
    }

    private void countFlush(int cpu)
    {
        sink.tlbFlush(cpu);
        sink.charge(cpu, costs.tlbFlush);
    }

    /** curcpu()->ci_proc_pmap (cpu.h): the "active, non-kernel pmap" shootdowns target. */
    @Override
    public Pmap currentPmap(int cpu)
    {
        return procPmap[cpu];
    }

    /** The pmap whose PML4 is in {@code cpu}'s %cr3. */
    @Override
    public Pmap loadedPmap(int cpu)
    {
        return loaded[cpu];
    }

    /** The %cr3 value {@code cpu} holds (root PA and PCID; bit 63 is not stored). */
    public long cr3(int cpu)
    {
        return cr3[cpu];
    }

    @Override
    public TlbView tlb(int cpu)
    {
        return tlbs[cpu];
    }

    // ---------------------------------------------------------------- MMU

    /**
     * One access through {@code cpu}'s MMU: a TLB hit is checked against the page tables (stale
     * use is a violation) and served; a miss walks the loaded tables, sets the accessed bits (and
     * the dirty bit on a write) as the processor does (Intel SDM Vol. 3A §4.8) and fills the TLB.
     * A non-canonical address faults as a #GP would: {@link Access#FAULT_PROTECTION}.
     */
    @Override
    public long access(int cpu, long va, int access)
    {
        if (!Pte.isCanonical(va)) {
            return Access.FAULT_PROTECTION;
        }
        Tlb tlb = tlbs[cpu];
        int tag = pcid ? (int) (cr3[cpu] & CR3_PCID) : 0;
        long vpn = va >>> PAGE_SHIFT;
        int entry = tlb.lookup(tag, vpn);
        if (entry >= 0) {
            checkHit(cpu, tlb, entry, va);
            int perms = tlb.perms(entry);
            if (permits(perms, access) && ((access & Access.WRITE) == 0 || (perms & Tlb.DIRTY) != 0)) {
                sink.charge(cpu, costs.tlbHit);
                return tlb.pa(entry) | (va & PAGE_MASK);
            }
            // Not enough rights, or a write through an entry whose PTE was clean: the processor
            // walks again (a fault also invalidates the entry, SDM §4.10.4.1).
            tlb.invalidate(tag, vpn);
        }
        return walkAndFill(cpu, va, access, tag, vpn);
    }

    private long walkAndFill(int cpu, long va, int access, int tag, long vpn)
    {
        Amd64Pmap root = loaded[cpu];
        if (root.isDestroyed()) {
            sink.violation("destroyed-pmap", cpu, "page walk of va 0x" + Long.toHexString(va)
                    + " through the freed tables of destroyed pmap " + root.id());
            return Access.FAULT_INVALID;
        }
        long result = walkRaw(cr3[cpu] & PG_FRAME, va, true);
        sink.charge(cpu, costs.tlbWalkLevel * walkLevels);
        if (result < 0) {
            return result;
        }
        int perms = (int) (result & PAGE_MASK);
        if (!permits(perms, access)) {
            return Access.FAULT_PROTECTION;
        }
        // Accessed bits on every entry used, dirty on the leaf for a write (SDM §4.8).
        for (int level = 4; level >= walkLeafLevel; level--) {
            long address = walkEntry[level];
            long e = walkValue[level];
            long set = PG_U;
            if (level == walkLeafLevel && (access & Access.WRITE) != 0) {
                set |= PG_M;
            }
            if ((e & set) != set) {
                mem.writeEntry(address >>> PAGE_SHIFT, (int) (address & PAGE_MASK) >>> 3, e | set);
            }
        }
        if ((access & Access.WRITE) != 0) {
            perms |= Tlb.DIRTY;
        }
        long pa = result & ~PAGE_MASK;
        Amd64Pmap owner = Pte.isKernelVa(va) ? kernelPmap : root;
        Tlb tlb = tlbs[cpu];
        int entry = tlb.insert(tag, vpn, pa, perms, owner);
        if ((perms & Tlb.GLOBAL) != 0) {
            // A global entry is found after any entry for (tag, vpn): ask as lookups do.
            entry = tlb.lookup(tag, vpn);
        }
        tlbGen[cpu][entry] = owner.gen;
        return pa | (va & PAGE_MASK);
    }

    /** The stale-use check of a TLB hit; cheap unless the owner pmap changed since the fill. */
    private void checkHit(int cpu, Tlb tlb, int entry, long va)
    {
        Amd64Pmap owner = (Amd64Pmap) tlb.owner(entry);
        if (owner.isDestroyed()) {
            stale(cpu, tlb, entry, va, owner, "the pmap was destroyed", -1);
            return;
        }
        if (!Pte.isKernelVa(va) && owner != loaded[cpu]) {
            stale(cpu, tlb, entry, va, owner, "pmap " + loaded[cpu].id() + " is loaded", -1);
            return;
        }
        if (owner.gen == tlbGen[cpu][entry]) {
            return;
        }
        if (loaded[cpu].isDestroyed()) {
            sink.violation("destroyed-pmap", cpu, "va 0x" + Long.toHexString(va) + " checked through the freed tables of destroyed pmap "
                    + loaded[cpu].id());
            return;
        }
        long now = walkRaw(cr3[cpu] & PG_FRAME, va, false);
        int perms = tlb.perms(entry);
        if (now < 0) {
            stale(cpu, tlb, entry, va, owner, "the page tables have no mapping", -1);
            return;
        }
        long pa = now & ~PAGE_MASK;
        int ptePerms = (int) (now & PAGE_MASK);
        boolean morePerms = ((perms & Tlb.WRITABLE) != 0 && (ptePerms & Tlb.WRITABLE) == 0)
                || ((perms & Tlb.USER) != 0 && (ptePerms & Tlb.USER) == 0)
                || ((perms & Tlb.NO_EXECUTE) == 0 && (ptePerms & Tlb.NO_EXECUTE) != 0);
        if (pa != tlb.pa(entry) || morePerms) {
            stale(cpu, tlb, entry, va, owner, morePerms ? "the PTE allows less" : "the PTE maps another frame", pa);
            return;
        }
        tlbGen[cpu][entry] = owner.gen;
    }

    private void stale(int cpu, Tlb tlb, int entry, long va, Amd64Pmap owner, String why, long currentPa)
    {
        long cached = tlb.pa(entry);
        // Drop it in case the sink does not panic, so the access proceeds with a walk.
        tlb.invalidate(tlb.tag(entry), tlb.vpn(entry));
        sink.violation("stale-tlb", cpu, "va 0x" + Long.toHexString(va) + " of pmap " + owner.id()
                + " hit a TLB entry for pa 0x" + Long.toHexString(cached) + " but " + why
                + " (current pa " + (currentPa < 0 ? "none" : "0x" + Long.toHexString(currentPa)) + ")");
    }

    private static boolean permits(int perms, int access)
    {
        if ((access & Access.USER) != 0 && (perms & Tlb.USER) == 0) {
            return false;
        }
        if ((access & Access.WRITE) != 0 && (perms & Tlb.WRITABLE) == 0) {
            // CR0.WP is set: supervisor writes honour read-only pages too.
            return false;
        }
        if ((access & Access.EXECUTE) != 0) {
            if ((perms & Tlb.NO_EXECUTE) != 0) {
                return false;
            }
            // SMEP: the kernel never executes user pages.
            if ((access & Access.USER) == 0 && (perms & Tlb.USER) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The hardware page walk of Intel SDM Vol. 3A §4.5 through the tables at {@code rootPa},
     * reading the frames: RW and U/S must be set at every level, NX at any level forbids execution,
     * PS in a PDPTE or PDE ends the walk with a 1 GB or 2 MB page.
     *
     * @return the 4 KB frame's physical address with {@link Tlb} permission bits (WRITABLE, USER,
     *         NO_EXECUTE, GLOBAL, DIRTY) in the low 12 bits, or {@link Access#FAULT_INVALID}
     */
    long walkRaw(long rootPa, long va, boolean record)
    {
        long table = rootPa;
        // RW and U/S must be set at every level: AND them up; NX at any level: OR it up.
        long rwus = PG_RW | PG_u;
        long nx = 0;
        int shift = Pte.L4_SHIFT;
        for (int level = 4; level >= 1; level--, shift -= Pte.L2_SHIFT - Pte.L1_SHIFT) {
            int index = (int) (va >>> shift) & (Pte.ENTRIES - 1);
            long e = mem.readEntry(table >>> PAGE_SHIFT, index);
            if (record) {
                walkEntry[level] = table + 8L * index;
                walkValue[level] = e;
            }
            if ((e & PG_V) == 0) {
                walkLevels = 5 - level;
                return Access.FAULT_INVALID;
            }
            rwus &= e;
            nx |= e;
            long pa;
            if (level == 1) {
                pa = e & PG_FRAME;
            }
            else if ((e & PG_PS) != 0 && level != 4) {
                long frameMask = level == 3 ? PG_1GFRAME : PG_LGFRAME;
                pa = (e & frameMask) | (va & ((1L << shift) - 1) & ~PAGE_MASK);
            }
            else {
                table = e & PG_FRAME;
                continue;
            }
            walkLevels = 5 - level;
            walkLeafLevel = level;
            long perms = 0;
            if ((rwus & PG_RW) != 0) {
                perms |= Tlb.WRITABLE;
            }
            if ((rwus & PG_u) != 0) {
                perms |= Tlb.USER;
            }
            if ((nx & PG_NX) != 0) {
                perms |= Tlb.NO_EXECUTE;
            }
            if ((e & PG_G) != 0) {
                perms |= Tlb.GLOBAL;
            }
            if ((e & PG_M) != 0) {
                perms |= Tlb.DIRTY;
            }
            return pa | perms;
        }
        throw new AssertionError("unreachable");
    }

    /** A side-effect-free walk of {@code pmap}'s tables, as the MMU would do it with that pmap loaded. */
    @Override
    public long walk(Pmap pmap, long va)
    {
        Amd64Pmap pm = amd64(pmap);
        if (pm.isDestroyed()) {
            sink.violation("destroyed-pmap", 0, "walk of destroyed pmap " + pm.id());
            return -1;
        }
        if (!Pte.isCanonical(va)) {
            return -1;
        }
        long result = walkRaw(pm.rootPa(), va, false);
        return result < 0 ? -1 : (result & ~PAGE_MASK) | (va & PAGE_MASK);
    }

    // ---------------------------------------------------------------- shootdowns

    /** pmap_is_curpmap(): the kernel pmap, or the one in {@code cpu}'s %cr3. */
    boolean isCurPmap(int cpu, Amd64Pmap pmap)
    {
        return pmap.isKernel() || (cr3[cpu] & PG_FRAME) == pmap.rootPa();
    }

    /** pmap_is_active(): pmap_kernel(), or this CPU's ci_proc_pmap. */
    private boolean isActive(Amd64Pmap pmap, int ci)
    {
        return pmap.isKernel() || pmap == procPmap[ci];
    }

    /**
     * Models pmap_tlb_shootpage() in sys/arch/amd64/amd64/pmap.c, followed by the wait of
     * pmap_tlb_shootwait(): an LAPIC_IPI_INVLPG to every other CPU for a kernel VA, else to those
     * where the pmap is active; locally invlpg, or invpcid of PCID_PROC (and PCID_KERN for a
     * kernel VA).
     */
    void shootPage(int cpu, Amd64Pmap pmap, long va, boolean shootself)
    {
        if (injectMissedShootdown) {
            return;
        }
        boolean kva = Pte.isKernelVa(va);
        long vpn = va >>> PAGE_SHIFT;
        int perPage = pcid && kva ? 2 : 1;
        int targets = 0;
        for (int ci = 0; ci < ncpu; ci++) {
            if (ci == cpu || (!kva && !isActive(pmap, ci))) {
                continue;
            }
            targets++;
            sink.shootdownIpi(cpu, ci);
            invalidatePage(ci, vpn, kva);
            sink.tlbInvalidate(ci, 1);
            sink.charge(ci, costs.ipiReceive + perPage * costs.tlbInvalidatePage);
        }
        if (!pcid ? shootself : kva || shootself) {
            invalidatePage(cpu, vpn, kva);
            sink.tlbInvalidate(cpu, 1);
            sink.charge(cpu, perPage * costs.tlbInvalidatePage);
        }
        chargeInitiator(cpu, targets, costs.ipiReceive + perPage * costs.tlbInvalidatePage);
    }

    /**
     * Models pmap_tlb_shootrange() and pmap_tlb_shootwait(): LAPIC_IPI_INVLRANGE to the same CPUs
     * as a page shootdown, per-page invalidation locally and on each target.
     */
    void shootRange(int cpu, Amd64Pmap pmap, long sva, long eva, boolean shootself)
    {
        if (injectMissedShootdown) {
            return;
        }
        boolean kva = Pte.isKernelVa(sva);
        long pages = (eva - sva) >>> PAGE_SHIFT;
        long perPage = pcid && kva ? 2 : 1;
        long work = pages * perPage * costs.tlbInvalidatePage;
        int targets = 0;
        for (int ci = 0; ci < ncpu; ci++) {
            if (ci == cpu || (!kva && !isActive(pmap, ci))) {
                continue;
            }
            targets++;
            sink.shootdownIpi(cpu, ci);
            invalidateRange(ci, sva, eva, kva);
            sink.tlbInvalidate(ci, pages);
            sink.charge(ci, costs.ipiReceive + work);
        }
        if (!pcid ? shootself : kva || shootself) {
            invalidateRange(cpu, sva, eva, kva);
            sink.tlbInvalidate(cpu, pages);
            sink.charge(cpu, work);
        }
        chargeInitiator(cpu, targets, costs.ipiReceive + work);
    }

    /**
     * Models pmap_tlb_shoottlb() and pmap_tlb_shootwait(): LAPIC_IPI_INVLTLB to the CPUs where the
     * (user) pmap is active; locally tlbflush(), or invpcid of all of PCID_PROC.
     */
    void shootTlb(int cpu, Amd64Pmap pmap, boolean shootself)
    {
        if (pmap.isKernel()) {
            throw new IllegalStateException("pmap_tlb_shoottlb of pmap_kernel()");
        }
        if (injectMissedShootdown) {
            return;
        }
        int targets = 0;
        for (int ci = 0; ci < ncpu; ci++) {
            if (ci == cpu || !isActive(pmap, ci)) {
                continue;
            }
            targets++;
            sink.shootdownIpi(cpu, ci);
            flushUser(ci);
            sink.charge(ci, costs.ipiReceive);
        }
        if (shootself) {
            flushUser(cpu);
        }
        chargeInitiator(cpu, targets, costs.ipiReceive + costs.tlbFlush);
    }

    private void chargeInitiator(int cpu, int targets, long targetWork)
    {
        if (targets > 0) {
            // Sending, then spinning in pmap_tlb_shootwait() while the targets work in parallel.
            sink.charge(cpu, targets * costs.ipiSend + costs.ipiLatency + targetWork);
        }
    }

    private void invalidatePage(int cpu, long vpn, boolean kva)
    {
        Tlb tlb = tlbs[cpu];
        if (!pcid) {
            tlb.invalidate(0, vpn);
        }
        else {
            tlb.invalidate(PCID_PROC, vpn);
            if (kva) {
                tlb.invalidate(PCID_KERN, vpn);
            }
        }
    }

    private void invalidateRange(int cpu, long sva, long eva, boolean kva)
    {
        long first = sva >>> PAGE_SHIFT;
        long last = (eva - 1) >>> PAGE_SHIFT;
        Tlb tlb = tlbs[cpu];
        if (last - first < 4L * TLB_ENTRIES) {
            for (long vpn = first; vpn <= last; vpn++) {
                invalidatePage(cpu, vpn, kva);
            }
            return;
        }
        // A long range: dropping the held entries in it is the same as invalidating every page.
        for (int e = 0; e < tlb.capacity(); e++) {
            if (tlb.owner(e) != null) {
                long vpn = tlb.vpn(e);
                if (vpn >= first && vpn <= last) {
                    invalidatePage(cpu, vpn, kva);
                }
            }
        }
    }

    private void flushUser(int cpu)
    {
        if (pcid) {
            tlbs[cpu].flushTag(PCID_PROC);
        }
        else {
            tlbs[cpu].flushNonGlobal();
        }
        countFlush(cpu);
    }

    // ---------------------------------------------------------------- helpers

    private Amd64Pmap amd64(Pmap pmap)
    {
        requireNonNull(pmap, "pmap is null");
        if (!(pmap instanceof Amd64Pmap pm) || pm.machine() != this) {
            throw new IllegalArgumentException("not a pmap of this amd64 machine: " + pmap);
        }
        return pm;
    }

    private static Amd64Pcb amd64(Pcb pcb)
    {
        requireNonNull(pcb, "pcb is null");
        if (!(pcb instanceof Amd64Pcb p)) {
            throw new IllegalArgumentException("not an amd64 pcb: " + pcb);
        }
        return p;
    }

    private static String describe(Amd64Pmap pmap)
    {
        return pmap == null ? "NULL" : (pmap.isKernel() ? "pmap_kernel()" : "pmap " + pmap.id());
    }
}
