package dev.fugu.arch.i386;

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
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.fugu.arch.i386.I386Pte.FRAME_32;
import static dev.fugu.arch.i386.I386Pte.FRAME_PAE;
import static dev.fugu.arch.i386.I386Pte.LGFRAME_32;
import static dev.fugu.arch.i386.I386Pte.LGFRAME_PAE;
import static dev.fugu.arch.i386.I386Pte.PG_G;
import static dev.fugu.arch.i386.I386Pte.PG_M;
import static dev.fugu.arch.i386.I386Pte.PG_NX;
import static dev.fugu.arch.i386.I386Pte.PG_PS;
import static dev.fugu.arch.i386.I386Pte.PG_PVLIST;
import static dev.fugu.arch.i386.I386Pte.PG_RW;
import static dev.fugu.arch.i386.I386Pte.PG_U;
import static dev.fugu.arch.i386.I386Pte.PG_USER;
import static dev.fugu.arch.i386.I386Pte.PG_V;
import static dev.fugu.arch.i386.I386Pte.PG_X;
import static java.util.Objects.requireNonNull;

/**
 * The machine-dependent half of a simulated i386 machine: pmap_bootstrap(), the pmap
 * (sys/arch/i386/i386/pmap.c, pmapae.c with PAE), the MMU's hardware walker and per-CPU TLBs,
 * cpu_switchto (locore.s), cpu_fork/cpu_exit (vm_machdep.c) and IPI shootdowns.
 *
 * <p>Page tables live in simulated frames with the hardware's entry layout: 64-bit entries
 * read with {@code read64} under PAE (Intel SDM Vol. 3A §4.4), 32-bit ones read with
 * {@code read32} without it (§4.3). The walker reads only those frames. Java-side bookkeeping is
 * limited to what OpenBSD also keeps outside the tables: per-PTP valid-entry counts (the PTP
 * vm_page's wire_count), the PTP list of each pmap (pm_obj), resident counts and ci_curpmap.
 *
 * <p>Single-threaded like the rest of the simulation: the walk results are returned in fields so
 * the access path allocates nothing.
 */
final class I386Machine
        implements MachineDependent
{
    /** KERNBASE in sys/arch/i386/include/param.h. */
    static final long KERNBASE = 0xd000_0000L;
    /** VM_MIN_ADDRESS (PAGE_SIZE) in sys/arch/i386/include/vmparam.h. */
    static final long VM_MIN_ADDRESS = 0x1000L;
    /**
     * VM_MAXUSER_ADDRESS. vmparam.h rev 1.46 defines it as (PDSLOT_PTE &lt;&lt; PDSHIFT) - USPACE,
     * 0xcfbfe000 for 2-level paging; PAE's recursive PDEs (slots 1660-1663 in pmapae.c) map
     * 0xcf800000-0xd0000000, so user space ends at 0xcf800000 here in both modes.
     */
    static final long VM_MAXUSER_ADDRESS = 0xcf80_0000L;
    /** VM_PIE_MIN_ADDR in sys/arch/i386/include/vmparam.h: where PIE programs are mapped. */
    static final long VM_PIE_MIN_ADDR = 0x1400_0000L;
    /** UPAGES in sys/arch/i386/include/param.h. */
    static final int UPAGES = 2;
    /** The four-gigabyte linear address space. */
    static final long VA_LIMIT = 1L << 32;
    /** Where pmap_bootstrap puts the few 4 KB kernel pages (after the two large kernel pages). */
    static final long KERNEL_PAGES_VA = 0xd080_0000L;
    static final int KERNEL_PAGES = 8;
    /**
     * TLB entries per CPU: the 256-entry 4 KB-page data TLB (DTLB1) of the Core 2, a typical
     * CPU running OpenBSD/i386 with PAE and NX. Large pages are held as 4 KB pieces.
     */
    static final int TLB_ENTRIES = 256;
    /** pmap_do_remove()/pmap_write_protect(): beyond 32 pages of a user pmap, shoot the whole TLB. */
    static final long SHOOTALL_PAGES = 32;

    private static final int PAGE_SHIFT = 12;
    private static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    private static final long PAGE_MASK = PAGE_SIZE - 1;
    private static final int TAG = 0;

    private final PhysicalMemory phys;
    private final MdSink sink;
    private final CostTable costs;
    private final int ncpu;
    private final long memBytes;
    private final boolean pae;
    private final boolean missedShootdown;
    private final Set<MdCapability> capabilities;
    private final VmLayout layout;

    // Paging geometry of the configured mode.
    private final int entryShift;
    private final int pdeShift;
    private final int ptIndexMask;
    private final int pdslotPte;
    private final int recursiveSlots;
    private final int pdslotKern;
    private final long frameMask;
    private final long largeFrameMask;

    // Costs, read once.
    private final long costSave;
    private final long costRestore;
    private final long costTtbLoad;
    private final long costFlush;
    private final long costInvlpg;
    private final long costWalkLevel;
    private final long costHit;
    private final long costIpiSend;
    private final long costIpiReceive;
    private final long costPteWrite;
    private final long costPtpAlloc;
    private final long costPtpFree;
    private final long costForkPcb;
    private final long costExitCpu;
    private final long costShootWait;
    private final long costPmapCreate;
    private final long costPmapDestroy;

    // Per CPU: the TLB, the generation each entry was filled at, %cr3's pmap and ci_curpmap.
    private final Tlb[] tlbs;
    private final long[][] tlbGeneration;
    private final I386Pmap[] loaded;
    private final I386Pmap[] curpmap;

    // Per frame, for page-table pages: valid entries (wire_count - 1), PDE slot, index in the owner's list.
    private final int[] ptpWire;
    private final int[] ptpSlot;
    private final int[] ptpIndex;

    private final I386Pmap kernel;
    private I386Pmap pmapsHead;
    private long nextPmapId = 1;
    private int kernelSlotsEnd;
    private boolean booted;
    private boolean shootPending;

    // Scratch, reused so range operations allocate nothing in the steady state.
    private int[] pendingFree = new int[16];
    private int pendingFreeCount;
    private int[] slotScratch = new int[16];

    // Results of the last walk.
    private long walkLeafPa;
    private long walkLeaf;
    private long walkPdePa;
    private long walkPde;
    private int walkPerms;
    private int walkReads;

    I386Machine(MachineContext context)
    {
        requireNonNull(context, "context is null");
        this.phys = requireNonNull(context.physicalMemory(), "physicalMemory is null");
        this.sink = requireNonNull(context.sink(), "sink is null");
        this.costs = requireNonNull(context.costs(), "costs is null");
        this.ncpu = context.ncpu();
        this.memBytes = context.memBytes();
        this.pae = !context.hasOption(I386Plugin.NOPAE);
        this.missedShootdown = context.injected(I386Plugin.MISSED_SHOOTDOWN);
        if (phys.pageSize() != PAGE_SIZE) {
            throw new IllegalArgumentException("i386 pages are 4 KB, physical memory has " + phys.pageSize());
        }
        EnumSet<MdCapability> caps = EnumSet.of(MdCapability.SHOOTDOWN_IPI);
        if (pae) {
            caps.add(MdCapability.NX);
        }
        this.capabilities = Collections.unmodifiableSet(caps);
        this.layout = new VmLayout((int) PAGE_SIZE, VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS, VM_PIE_MIN_ADDR, VM_MAXUSER_ADDRESS, UPAGES);

        if (pae) {
            // pmapae.c: 512 8-byte entries per table, 2 MB per PDE, 2048 PDEs in four pages.
            entryShift = 3;
            pdeShift = 21;
            ptIndexMask = 511;
            pdslotPte = 1660;
            recursiveSlots = 4;
            pdslotKern = 1664;
            frameMask = FRAME_PAE;
            largeFrameMask = LGFRAME_PAE;
        }
        else {
            // pmap.h: 1024 4-byte entries per table, 4 MB per PDE.
            entryShift = 2;
            pdeShift = 22;
            ptIndexMask = 1023;
            pdslotPte = 831;
            recursiveSlots = 1;
            pdslotKern = 832;
            frameMask = FRAME_32;
            largeFrameMask = LGFRAME_32;
        }

        costSave = costs.cycles(CostKeys.SWITCH_SAVE);
        costRestore = costs.cycles(CostKeys.SWITCH_RESTORE);
        costTtbLoad = costs.cycles(CostKeys.TTB_LOAD);
        costFlush = costs.cycles(CostKeys.TLB_FLUSH);
        costInvlpg = costs.cycles(CostKeys.TLB_INVALIDATE_PAGE);
        costWalkLevel = costs.cycles(CostKeys.TLB_WALK_LEVEL);
        costHit = costs.cycles(CostKeys.TLB_HIT);
        costIpiSend = costs.cycles(CostKeys.IPI_SEND);
        costIpiReceive = costs.cycles(CostKeys.IPI_RECEIVE);
        costPteWrite = costs.cycles(CostKeys.PTE_WRITE);
        costPtpAlloc = costs.cycles(CostKeys.PTP_ALLOC);
        costPtpFree = costs.cycles(CostKeys.PTP_FREE);
        costForkPcb = costs.cycles(CostKeys.FORK_PCB);
        costExitCpu = costs.cycles(CostKeys.EXIT_CPU);
        costShootWait = costs.cycles(I386Costs.SHOOT_WAIT);
        costPmapCreate = costs.cycles(I386Costs.PMAP_CREATE);
        costPmapDestroy = costs.cycles(I386Costs.PMAP_DESTROY);

        tlbs = new Tlb[ncpu];
        tlbGeneration = new long[ncpu][TLB_ENTRIES];
        loaded = new I386Pmap[ncpu];
        curpmap = new I386Pmap[ncpu];
        for (int cpu = 0; cpu < ncpu; cpu++) {
            tlbs[cpu] = new Tlb(TLB_ENTRIES);
        }
        int frames = (int) phys.totalFrames();
        ptpWire = new int[frames];
        ptpSlot = new int[frames];
        ptpIndex = new int[frames];
        kernel = new I386Pmap(this, 0, true, pae ? 4 : 1);
    }

    // ---------------------------------------------------------------------------------------
    // Identification

    @Override
    public String arch()
    {
        return I386Plugin.NAME;
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
        return layout;
    }

    @Override
    public int pagingLevels()
    {
        return pae ? 3 : 2;
    }

    @Override
    public String pagingMode()
    {
        return pae ? "PAE (3-level, NX)" : "2-level, 4 MB PDEs";
    }

    @Override
    public int clockMhz()
    {
        return I386Plugin.CLOCK_MHZ;
    }

    @Override
    public CostTable costs()
    {
        return costs;
    }

    // ---------------------------------------------------------------------------------------
    // Boot

    /**
     * Models pmap_bootstrap() in sys/arch/i386/i386/pmap.c (pmap_bootstrap_pae() in pmapae.c)
     * together with the page tables locore.s builds: the kernel's page directory with its
     * recursive PDE(s), the kernel text and data as two global large-page PDEs (PG_PS, as
     * OpenBSD uses where the CPU has PSE), and one kernel PTP with a few global 4 KB pages.
     * Then the autoconf lines of mainbus and the CPUs.
     */
    @Override
    public List<String> boot()
    {
        if (booted) {
            throw new IllegalStateException("already booted");
        }
        booted = true;
        if (!allocDirectory(kernel, 0)) {
            throw new IllegalStateException("no memory for the kernel page directory");
        }
        long large = 1L << pdeShift;
        long nx = pae ? PG_NX : 0;
        // Kernel text read-only and executable, data/bss writable and (with PAE) not executable.
        writeKernelPde(slotOf(KERNBASE), PG_V | PG_PS | PG_G);
        writeKernelPde(slotOf(KERNBASE + large), large | PG_V | PG_RW | PG_PS | PG_G | nx);
        for (int i = 0; i < KERNEL_PAGES; i++) {
            long va = KERNEL_PAGES_VA + i * PAGE_SIZE;
            // The frames behind the kernel's own mappings are outside the pages UVM manages.
            if (!pmapEnter(kernel, 0, va, (KERNEL_PAGES_VA - KERNBASE + i * PAGE_SIZE) >>> PAGE_SHIFT, Access.PROT_READ | Access.PROT_WRITE)) {
                throw new IllegalStateException("no memory for the kernel page tables");
            }
        }
        for (int cpu = 0; cpu < ncpu; cpu++) {
            loaded[cpu] = kernel;
            curpmap[cpu] = kernel;
        }

        List<String> log = new ArrayList<>();
        long availBytes = phys.freeFrames() * PAGE_SIZE;
        log.add("real mem  = " + memBytes + " (" + (memBytes >> 20) + "MB)");
        log.add("avail mem = " + availBytes + " (" + (availBytes >> 20) + "MB)");
        log.add("mainbus0 at root");
        String features = "FPU,VME,DE,PSE,TSC,MSR," + (pae ? "PAE," : "") + "MCE,CX8,APIC,SEP,MTRR,PGE,CMOV" + (pae ? ",NXE" : "");
        for (int cpu = 0; cpu < ncpu; cpu++) {
            log.add("cpu" + cpu + " at mainbus0: apid " + cpu + (cpu == 0 ? " (boot processor)" : " (application processor)"));
            log.add("cpu" + cpu + ": simulated 686-class CPU, " + I386Plugin.CLOCK_MHZ + ".00 MHz, " + features);
        }
        log.add("paging: " + pagingMode());
        return log;
    }

    private void writeKernelPde(int slot, long pde)
    {
        writeEntry(pdeAddress(kernel, slot), pde);
        kernelSlotsEnd = Math.max(kernelSlotsEnd, slot + 1);
    }

    // ---------------------------------------------------------------------------------------
    // Pmap life cycle

    /** pmap_kernel() of sys/arch/i386/include/pmap.h: &amp;kernel_pmap_store. */
    @Override
    public Pmap pmapKernel()
    {
        return kernel;
    }

    /**
     * Models pmap_create()/pmap_pinit() in sys/arch/i386/i386/pmap.c (pmap_pinit_pd_pae() in
     * pmapae.c): a new page directory (PAE: a PDPT and four PD pages), the recursive PDE(s), the
     * kernel's PDEs copied in, and the pmap on the pmaps list.
     */
    @Override
    public Pmap pmapCreate(int cpu)
    {
        if (!booted) {
            throw new IllegalStateException("pmap_create before pmap_bootstrap");
        }
        I386Pmap pm = new I386Pmap(this, nextPmapId++, false, pae ? 4 : 1);
        if (!allocDirectory(pm, cpu)) {
            // pmap_create sleeps for memory (PR_WAITOK); the SPI has no way to wait or fail.
            throw new IllegalStateException("out of memory for a page directory");
        }
        int copied = 0;
        for (int slot = pdslotKern; slot < kernelSlotsEnd; slot++) {
            long pde = readEntry(pdeAddress(kernel, slot));
            if (pde != 0) {
                writeEntry(pdeAddress(pm, slot), pde);
                copied++;
            }
        }
        sink.charge(cpu, costPmapCreate + copied * costPteWrite);
        pm.next = pmapsHead;
        if (pmapsHead != null) {
            pmapsHead.prev = pm;
        }
        pmapsHead = pm;
        return pm;
    }

    /** Allocates the top-level tables of {@code pm} and writes its PDPTEs and recursive PDEs. */
    private boolean allocDirectory(I386Pmap pm, int cpu)
    {
        int pages = pm.pdPa.length + (pae ? 1 : 0);
        long[] frames = new long[pages];
        for (int i = 0; i < pages; i++) {
            // Sparse (PAE): the PDPT has four entries and PDs 0-2 only user PDEs; the kernel's PDEs
            // and the recursive ones are in the last PD.
            boolean sparse = pae && i < pages - 1;
            frames[i] = sparse ? phys.allocSparsePageTablePage(cpu) : phys.allocPageTablePage(cpu);
            if (frames[i] == PhysicalMemory.NO_FRAME) {
                for (int j = 0; j < i; j++) {
                    phys.freePageTablePage(cpu, frames[j]);
                }
                return false;
            }
        }
        sink.charge(cpu, pages * costPtpAlloc);
        if (pae) {
            // The PDPT: four PDPTEs with only P set (RW/US are reserved in PAE PDPTEs, SDM table 4-8).
            pm.rootPa = frames[0] << PAGE_SHIFT;
            for (int i = 0; i < 4; i++) {
                pm.pdPa[i] = frames[i + 1] << PAGE_SHIFT;
                phys.write64(pm.rootPa + i * 8L, pm.pdPa[i] | PG_V);
            }
        }
        else {
            pm.rootPa = frames[0] << PAGE_SHIFT;
            pm.pdPa[0] = pm.rootPa;
        }
        // The recursive PDE(s): PG_V | PG_KW | PG_U | PG_M, as pmap_pinit writes PDSLOT_PTE.
        for (int i = 0; i < recursiveSlots; i++) {
            writeEntry(pdeAddress(pm, pdslotPte + i), pm.pdPa[i] | PG_V | PG_RW | PG_U | PG_M);
        }
        sink.charge(cpu, (recursiveSlots + (pae ? 4 : 0)) * costPteWrite);
        return true;
    }

    /** Models pmap_destroy() (and pmap_tlb_droppmap()) in sys/arch/i386/i386/pmap.c. */
    boolean pmapDestroy(I386Pmap pm, int cpu)
    {
        if (!checkLive(pm, cpu, "pmap_destroy")) {
            return false;
        }
        if (pm.isKernel()) {
            throw new IllegalStateException("pmap_kernel() is never destroyed");
        }
        if (--pm.refs > 0) {
            return false;
        }
        dropPmap(pm, cpu);

        if (pm.prev != null) {
            pm.prev.next = pm.next;
        }
        else {
            pmapsHead = pm.next;
        }
        if (pm.next != null) {
            pm.next.prev = pm.prev;
        }
        pm.prev = null;
        pm.next = null;

        int ptps = pm.ptpCount;
        for (int i = 0; i < ptps; i++) {
            int pfn = pm.ptps[i];
            ptpWire[pfn] = 0;
            phys.freePageTablePage(cpu, pfn);
        }
        pm.ptpCount = 0;
        for (long pd : pm.pdPa) {
            phys.freePageTablePage(cpu, pd >>> PAGE_SHIFT);
        }
        int directoryPages = pm.pdPa.length;
        if (pae) {
            phys.freePageTablePage(cpu, pm.rootPa >>> PAGE_SHIFT);
            directoryPages++;
        }
        sink.charge(cpu, costPmapDestroy + (ptps + directoryPages) * costPtpFree);
        pm.resident = 0;
        pm.destroyed = true;
        pm.generation++;
        return true;
    }

    /**
     * Models pmap_tlb_droppmap() in sys/arch/i386/i386/pmap.c: every CPU whose ci_curpmap is the
     * dying pmap reloads %cr3 (LAPIC_IPI_RELOADCR3), here with the kernel's page directory, so no
     * CPU keeps translating through freed tables.
     */
    private void dropPmap(I386Pmap pm, int cpu)
    {
        boolean sent = false;
        for (int c = 0; c < ncpu; c++) {
            if (curpmap[c] != pm) {
                continue;
            }
            if (c != cpu) {
                sink.charge(cpu, costIpiSend);
                sink.shootdownIpi(cpu, c);
                sink.charge(c, costIpiReceive);
                sent = true;
            }
            loadCr3(c, kernel);
        }
        if (sent) {
            sink.charge(cpu, costShootWait);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Pmap operations

    /**
     * Models pmap_enter() in sys/arch/i386/i386/pmap.c (pmap_enter_pae() in pmapae.c) with
     * PMAP_CANFAIL: gets or allocates the PTP (pmap_get_ptp/pmap_alloc_ptp; for pmap_kernel(),
     * pmap_growkernel's copy of the new kernel PDE into every pmap), writes the PTE and shoots the
     * old translation down if one was replaced.
     */
    boolean pmapEnter(I386Pmap pm, int cpu, long va, long pfn, int prot)
    {
        if (!checkLive(pm, cpu, "pmap_enter")) {
            return false;
        }
        va &= ~PAGE_MASK;
        checkRange(pm, va, va + PAGE_SIZE);
        long pa = pfn << PAGE_SHIFT;
        if (pfn < 0 || (pa & ~frameMask) != 0) {
            throw new IllegalArgumentException("frame " + pfn + " is beyond the physical address width");
        }
        int slot = slotOf(va);
        long pdeAddr = pdeAddress(pm, slot);
        long pde = readEntry(pdeAddr);
        if ((pde & PG_V) == 0) {
            long ptp = phys.allocPageTablePage(cpu);
            if (ptp == PhysicalMemory.NO_FRAME) {
                return false;
            }
            int ptpFrame = (int) ptp;
            ptpWire[ptpFrame] = 0;
            ptpSlot[ptpFrame] = slot;
            pm.addPtp(ptpFrame, ptpIndex);
            if (pm.isKernel()) {
                // pmap_growkernel: kernel PTPs are supervisor-only and shared by every pmap.
                pde = (ptp << PAGE_SHIFT) | PG_RW | PG_V | PG_U | PG_M;
                writeKernelPde(slot, pde);
                int written = 1;
                for (I386Pmap other = pmapsHead; other != null; other = other.next) {
                    writeEntry(pdeAddress(other, slot), pde);
                    written++;
                }
                sink.charge(cpu, costPtpAlloc + written * costPteWrite);
            }
            else {
                // pmap_alloc_ptp(): PG_RW | PG_V | PG_M | PG_U | PG_u.
                pde = (ptp << PAGE_SHIFT) | PG_RW | PG_V | PG_M | PG_U | PG_USER;
                writeEntry(pdeAddr, pde);
                sink.charge(cpu, costPtpAlloc + costPteWrite);
            }
        }
        else if ((pde & PG_PS) != 0) {
            throw new IllegalArgumentException("va 0x" + Long.toHexString(va) + " lies in a large-page mapping");
        }
        long ptpPa = pde & frameMask;
        long pteAddr = ptpPa + ((long) ptIndex(va) << entryShift);
        long opte = readEntry(pteAddr);
        long npte = pa | protectionCode(prot) | PG_V;
        if (pm.isKernel()) {
            npte |= PG_G;
        }
        else {
            // A user page: PG_u, and on a pv list (managed).
            npte |= PG_USER | PG_PVLIST;
        }
        boolean wasValid = (opte & PG_V) != 0;
        if (wasValid && (opte & frameMask) == pa) {
            // Same page: keep what the hardware recorded (pmap_sync_flags_pte keeps it too).
            npte |= opte & (PG_U | PG_M);
        }
        writeEntry(pteAddr, npte);
        sink.charge(cpu, costPteWrite);
        if (!wasValid) {
            ptpWire[(int) (ptpPa >>> PAGE_SHIFT)]++;
            pm.resident++;
        }
        else if (opte != npte) {
            pm.generation++;
            shootRange(cpu, pm, va, va + PAGE_SIZE);
            shootWait(cpu);
        }
        return true;
    }

    /** protection_codes[] of pmap.c/pmapae.c: the PTE bits for a vm_prot_t. */
    private long protectionCode(int prot)
    {
        long bits = (prot & Access.PROT_WRITE) != 0 ? PG_RW : 0;
        if (pae) {
            if ((prot & Access.PROT_EXEC) == 0) {
                bits |= PG_NX;
            }
        }
        else if ((prot & Access.PROT_EXEC) != 0) {
            bits |= PG_X;
        }
        return bits;
    }

    /**
     * Models pmap_do_remove()/pmap_remove_ptes() in sys/arch/i386/i386/pmap.c: per PD block,
     * clear the valid PTEs, free a user PTP whose last PTE went (pmap_drop_ptp), then one
     * shootrange per block, or one shoottlb for more than 32 pages of a user pmap; PTPs are freed
     * after the shootdown completes.
     */
    long pmapRemove(I386Pmap pm, int cpu, long sva, long eva)
    {
        if (!checkLive(pm, cpu, "pmap_remove")) {
            return 0;
        }
        return rangeOp(pm, cpu, sva, eva, true, 0);
    }

    /**
     * Models pmap_protect() of sys/arch/i386/include/pmap.h: protection is only ever lowered; no
     * access left means pmap_remove, otherwise pmap_write_protect() in pmap.c clears PG_RW (and
     * sets PG_NX with PAE when execute goes) and shoots the range down.
     */
    void pmapProtect(I386Pmap pm, int cpu, long sva, long eva, int prot)
    {
        if (!checkLive(pm, cpu, "pmap_protect")) {
            return;
        }
        if ((prot & Access.PROT_WRITE) != 0) {
            return;
        }
        rangeOp(pm, cpu, sva, eva, (prot & (Access.PROT_READ | Access.PROT_EXEC)) == 0, prot);
    }

    /**
     * The range walk shared by pmap_do_remove() and pmap_write_protect() in
     * sys/arch/i386/i386/pmap.c: clamp to the pmap's half, one PD block at a time, the shootdown
     * policy (range per block, or the whole TLB past 32 pages of a user pmap), shootwait, and
     * the PTPs freed only after it.
     */
    private long rangeOp(I386Pmap pm, int cpu, long sva, long eva, boolean remove, int prot)
    {
        sva &= ~PAGE_MASK;
        eva = (eva + PAGE_MASK) & ~PAGE_MASK;
        if (pm.isKernel()) {
            sva = Math.max(sva, KERNBASE);
            eva = Math.min(eva, VA_LIMIT);
        }
        else {
            // Never the recursive slots or the kernel's PDEs ("XXXCDC: ugly hack to avoid freeing PDP").
            sva = Math.max(sva, 0);
            eva = Math.min(eva, VM_MAXUSER_ADDRESS);
        }
        if (sva >= eva) {
            return 0;
        }
        boolean shootAll = !pm.isKernel() && eva - sva > SHOOTALL_PAGES * PAGE_SIZE;
        int firstSlot = slotOf(sva);
        int lastSlot = slotOf(eva - 1);
        long done = 0;
        if (!pm.isKernel() && lastSlot - firstSlot + 1 > 2 * pm.ptpCount + 4) {
            // A sparse pmap and a wide range: visit the PTPs the pmap has, not every PDE slot.
            int n = pm.ptpCount;
            if (slotScratch.length < n) {
                slotScratch = new int[Math.max(n, slotScratch.length * 2)];
            }
            for (int i = 0; i < n; i++) {
                slotScratch[i] = ptpSlot[pm.ptps[i]];
            }
            for (int i = 0; i < n; i++) {
                int slot = slotScratch[i];
                if (slot >= firstSlot && slot <= lastSlot) {
                    done += block(pm, cpu, slot, sva, eva, remove, prot, shootAll);
                }
            }
        }
        else {
            for (int slot = firstSlot; slot <= lastSlot; slot++) {
                done += block(pm, cpu, slot, sva, eva, remove, prot, shootAll);
            }
        }
        if (done > 0) {
            pm.generation++;
        }
        if (shootAll) {
            shootTlb(cpu, pm);
        }
        else if (!remove) {
            // pmap_write_protect shoots the whole range once.
            shootRange(cpu, pm, sva, eva);
        }
        shootWait(cpu);
        for (int i = 0; i < pendingFreeCount; i++) {
            phys.freePageTablePage(cpu, pendingFree[i]);
        }
        sink.charge(cpu, pendingFreeCount * costPtpFree);
        pendingFreeCount = 0;
        return done;
    }

    /**
     * One PD block: pmap_remove_ptes() plus pmap_drop_ptp(), or the inner loop of
     * pmap_write_protect(), in sys/arch/i386/i386/pmap.c. Returns the PTEs cleared or changed.
     */
    private long block(I386Pmap pm, int cpu, int slot, long sva, long eva, boolean remove, int prot, boolean shootAll)
    {
        long pdeAddr = pdeAddress(pm, slot);
        long pde = readEntry(pdeAddr);
        if ((pde & PG_V) == 0 || (pde & PG_PS) != 0) {
            // No PTP, or one of the kernel's large pages, which pmap_remove never takes apart.
            return 0;
        }
        long blockStart = Math.max(sva, (long) slot << pdeShift);
        long blockEnd = Math.min(eva, (long) (slot + 1) << pdeShift);
        long ptpPa = pde & frameMask;
        int ptp = (int) (ptpPa >>> PAGE_SHIFT);
        long pteAddr = ptpPa + ((long) ptIndex(blockStart) << entryShift);
        long step = 1L << entryShift;
        long changed = 0;
        if (remove) {
            for (long va = blockStart; va < blockEnd && ptpWire[ptp] > 0; va += PAGE_SIZE, pteAddr += step) {
                if ((readEntry(pteAddr) & PG_V) == 0) {
                    continue;
                }
                writeEntry(pteAddr, 0);
                ptpWire[ptp]--;
                pm.resident--;
                changed++;
            }
            sink.charge(cpu, changed * costPteWrite);
            if (!pm.isKernel() && ptpWire[ptp] == 0) {
                // pmap_drop_ptp(): clear the PDE now, free the page after the shootdown.
                writeEntry(pdeAddr, 0);
                pm.removePtp(ptp, ptpIndex);
                if (pendingFreeCount == pendingFree.length) {
                    pendingFree = Arrays.copyOf(pendingFree, pendingFreeCount * 2);
                }
                pendingFree[pendingFreeCount++] = ptp;
                sink.charge(cpu, costPteWrite);
            }
            if (!shootAll) {
                shootRange(cpu, pm, blockStart, blockEnd);
            }
        }
        else {
            for (long va = blockStart; va < blockEnd; va += PAGE_SIZE, pteAddr += step) {
                long opte = readEntry(pteAddr);
                if ((opte & PG_V) == 0) {
                    continue;
                }
                long npte = opte & ~PG_RW;
                if ((prot & Access.PROT_EXEC) == 0) {
                    npte = pae ? npte | PG_NX : npte & ~PG_X;
                }
                if (npte != opte) {
                    writeEntry(pteAddr, npte);
                    changed++;
                }
            }
            sink.charge(cpu, changed * costPteWrite);
        }
        return changed;
    }

    /** Models pmap_extract() in sys/arch/i386/i386/pmap.c: a software walk of the tables. */
    long pmapExtract(I386Pmap pm, long va)
    {
        if (!checkLive(pm, -1, "pmap_extract")) {
            return -1;
        }
        return walkTables(pm.rootPa, va);
    }

    boolean leafBits(I386Pmap pm, long va, long bits)
    {
        if (!checkLive(pm, -1, "pmap_test_attrs")) {
            return false;
        }
        return walkTables(pm.rootPa, va) >= 0 && (walkLeaf & bits) != 0;
    }

    /** Reports an operation on a destroyed pmap; true if the pmap is live. */
    boolean checkLive(I386Pmap pm, int cpu, String operation)
    {
        if (pm.destroyed) {
            sink.violation("destroyed-pmap", Math.max(cpu, 0), operation + " on destroyed pmap " + pm.id());
            return false;
        }
        return true;
    }

    private void checkRange(I386Pmap pm, long sva, long eva)
    {
        boolean ok = pm.isKernel()
                ? sva >= KERNBASE && eva <= VA_LIMIT
                : sva >= 0 && eva <= VM_MAXUSER_ADDRESS;
        if (!ok) {
            throw new IllegalArgumentException("va 0x" + Long.toHexString(sva) + " is outside "
                    + (pm.isKernel() ? "kernel space [KERNBASE, 4G)" : "user space [0, VM_MAXUSER_ADDRESS)"));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Shootdowns

    /** pmap_is_active() in sys/arch/i386/i386/pmap.c: pmap_kernel(), or ci_curpmap. */
    private boolean isActive(I386Pmap pm, int cpu)
    {
        return pm == kernel || curpmap[cpu] == pm;
    }

    /**
     * Models pmap_tlb_shootpage()/pmap_tlb_shootrange() in sys/arch/i386/i386/pmap.c: an
     * LAPIC_IPI_INVLPG/INVLRANGE to every other CPU where the pmap is active, then invlpg of each
     * page locally if it is active here.
     */
    private void shootRange(int cpu, I386Pmap pm, long sva, long eva)
    {
        if (missedShootdown) {
            return;
        }
        long pages = (eva - sva) >>> PAGE_SHIFT;
        for (int c = 0; c < ncpu; c++) {
            if (c == cpu || !isActive(pm, c)) {
                continue;
            }
            sink.charge(cpu, costIpiSend);
            sink.shootdownIpi(cpu, c);
            sink.charge(c, costIpiReceive + pages * costInvlpg);
            invalidate(c, sva, pages);
            shootPending = true;
        }
        if (isActive(pm, cpu)) {
            sink.charge(cpu, pages * costInvlpg);
            invalidate(cpu, sva, pages);
        }
    }

    /**
     * Models pmap_tlb_shoottlb() in sys/arch/i386/i386/pmap.c: an LAPIC_IPI_INVLTLB and a full
     * non-global flush (tlbflush()). Rev 1.154 interrupts every running CPU; like the later
     * pmap_tlb_shoottlb(pm, shootself) this sends it only where the pmap is active.
     */
    private void shootTlb(int cpu, I386Pmap pm)
    {
        if (missedShootdown) {
            return;
        }
        for (int c = 0; c < ncpu; c++) {
            if (c == cpu || !isActive(pm, c)) {
                continue;
            }
            sink.charge(cpu, costIpiSend);
            sink.shootdownIpi(cpu, c);
            sink.charge(c, costIpiReceive + costFlush);
            tlbs[c].flushNonGlobal();
            sink.tlbFlush(c);
            shootPending = true;
        }
        if (isActive(pm, cpu)) {
            sink.charge(cpu, costFlush);
            tlbs[cpu].flushNonGlobal();
            sink.tlbFlush(cpu);
        }
    }

    /** Models pmap_tlb_shootwait(): spin until tlb_shoot_wait drops to zero. */
    private void shootWait(int cpu)
    {
        if (shootPending) {
            sink.charge(cpu, costShootWait);
            shootPending = false;
        }
    }

    private void invalidate(int cpu, long sva, long pages)
    {
        Tlb tlb = tlbs[cpu];
        long vpn = sva >>> PAGE_SHIFT;
        for (long i = 0; i < pages; i++) {
            tlb.invalidate(TAG, vpn + i);
        }
        sink.tlbInvalidate(cpu, pages);
    }

    // ---------------------------------------------------------------------------------------
    // Threads and context switch

    /**
     * Models cpu_fork() in sys/arch/i386/i386/vm_machdep.c: the child's pcb (pcb_cr3 from its
     * pmap, as pmap_activate sets it) and switch frame. System threads run on pmap_kernel().
     */
    @Override
    public Pcb cpuFork(int cpu, Pcb parent, Pmap pmap, boolean system)
    {
        I386Pmap pm = system ? kernel : (I386Pmap) requireNonNull(pmap, "pmap is null");
        checkLive(pm, cpu, "cpu_fork");
        sink.charge(cpu, costForkPcb);
        return new I386Pcb(pm, system);
    }

    /** Models cpu_exit() in sys/arch/i386/i386/vm_machdep.c: npxdrop() and marking the pcb done. */
    @Override
    public void cpuExit(int cpu, Pcb pcb)
    {
        I386Pcb p = (I386Pcb) requireNonNull(pcb, "pcb is null");
        if (p.isExited()) {
            throw new IllegalStateException("cpu_exit twice for " + p);
        }
        sink.charge(cpu, costExitCpu);
        p.markExited();
    }

    /**
     * Models cpu_switchto() in sys/arch/i386/i386/locore.s: save the old context unless the old
     * thread is dead (switch_exited), restore the new one and load its pcb_cr3 into %cr3 unless
     * %cr3 already holds it — no PCID, so a load drops every non-global TLB entry, and an equal
     * %cr3 flushes nothing. ci_curpmap follows %cr3 (pmap_switch in pmap.c).
     */
    @Override
    public void cpuSwitchto(int cpu, Pcb old, Pcb next)
    {
        I386Pcb n = (I386Pcb) requireNonNull(next, "next is null");
        if (old != null) {
            sink.charge(cpu, costSave);
        }
        sink.charge(cpu, costRestore);
        I386Pmap pm = n.i386Pmap();
        if (!checkLive(pm, cpu, "cpu_switchto")) {
            return;
        }
        if (loaded[cpu].rootPa != n.cr3()) {
            loadCr3(cpu, pm);
        }
        curpmap[cpu] = pm;
    }

    /**
     * Models pmap_activate() in sys/arch/i386/i386/pmap.c: pcb_pmap and pcb_cr3 for the thread,
     * and if it is running here, %cr3 and ci_curpmap now.
     */
    @Override
    public void pmapActivate(int cpu, Pcb pcb, Pmap pmap, boolean running)
    {
        I386Pcb p = (I386Pcb) requireNonNull(pcb, "pcb is null");
        I386Pmap pm = (I386Pmap) requireNonNull(pmap, "pmap is null");
        if (!checkLive(pm, cpu, "pmap_activate")) {
            return;
        }
        p.setPmap(pm);
        if (running) {
            if (loaded[cpu].rootPa != p.cr3()) {
                loadCr3(cpu, pm);
            }
            curpmap[cpu] = pm;
        }
    }

    /**
     * Models pmap_deactivate() in sys/arch/i386/i386/pmap.c, which is empty: %cr3 and ci_curpmap
     * stay until the next cpu_switchto loads another page directory, so shootdowns keep reaching
     * this CPU until then.
     */
    @Override
    public void pmapDeactivate(int cpu, Pcb pcb)
    {
        requireNonNull(pcb, "pcb is null");
    }

    /**
     * lcr3() of sys/arch/i386/include/cpufunc.h: load a page directory; without PCID every
     * non-global entry goes (Intel SDM Vol. 3A §4.10.4.1). ci_curpmap follows, as pmap_switch sets it.
     */
    private void loadCr3(int cpu, I386Pmap pm)
    {
        sink.charge(cpu, costTtbLoad + costFlush);
        tlbs[cpu].flushNonGlobal();
        sink.tlbFlush(cpu);
        loaded[cpu] = pm;
        curpmap[cpu] = pm;
    }

    @Override
    public Pmap currentPmap(int cpu)
    {
        return curpmap[cpu];
    }

    @Override
    public Pmap loadedPmap(int cpu)
    {
        return loaded[cpu];
    }

    @Override
    public TlbView tlb(int cpu)
    {
        return tlbs[cpu];
    }

    // ---------------------------------------------------------------------------------------
    // The MMU

    /**
     * One access through {@code cpu}'s MMU: a TLB hit (checked against the tables when the owning
     * pmap changed since the fill), or a hardware walk of the loaded tables that sets the
     * accessed and dirty bits and fills the TLB (Intel SDM Vol. 3A §4.8, §4.10.2).
     */
    @Override
    public long access(int cpu, long va, int access)
    {
        if (va < 0 || va >= VA_LIMIT) {
            throw new IllegalArgumentException("va 0x" + Long.toHexString(va) + " is not a 32-bit address");
        }
        Tlb tlb = tlbs[cpu];
        long vpn = va >>> PAGE_SHIFT;
        int entry = tlb.lookup(TAG, vpn);
        if (entry >= 0) {
            I386Pmap owner = (I386Pmap) tlb.owner(entry);
            if ((owner.destroyed || tlbGeneration[cpu][entry] != owner.generation) && !stillValid(cpu, entry, va, owner)) {
                tlb.invalidate(TAG, vpn);
            }
            else {
                sink.charge(cpu, costHit);
                int perms = tlb.perms(entry);
                if (denied(perms, access)) {
                    return Access.FAULT_PROTECTION;
                }
                if ((access & Access.WRITE) != 0 && (perms & Tlb.DIRTY) == 0) {
                    // The first write through a clean entry walks again to set the dirty bit.
                    if (walkTables(loaded[cpu].rootPa, va) >= 0) {
                        setAccessed(true);
                    }
                    sink.charge(cpu, walkReads * costWalkLevel);
                    tlb.addPerms(entry, Tlb.DIRTY);
                }
                return tlb.pa(entry) | (va & PAGE_MASK);
            }
        }
        I386Pmap pm = loaded[cpu];
        long pa = walkTables(pm.rootPa, va);
        sink.charge(cpu, walkReads * costWalkLevel);
        if (pa < 0) {
            return Access.FAULT_INVALID;
        }
        int perms = walkPerms;
        if (denied(perms, access)) {
            return Access.FAULT_PROTECTION;
        }
        boolean write = (access & Access.WRITE) != 0;
        setAccessed(write);
        if (write || (walkLeaf & PG_M) != 0) {
            perms |= Tlb.DIRTY;
        }
        I386Pmap owner = va >= KERNBASE ? kernel : pm;
        int filled = tlb.insert(TAG, vpn, pa & ~PAGE_MASK, perms, owner);
        if ((perms & Tlb.GLOBAL) != 0) {
            // A global entry is found after any entry for (TAG, vpn): ask as lookups do.
            filled = tlb.lookup(TAG, vpn);
        }
        tlbGeneration[cpu][filled] = owner.generation;
        return pa;
    }

    /**
     * The stale-TLB check: the entry must still be what the loaded tables say — same frame, no
     * more rights, from a live pmap that is loaded (or the kernel's). Reports stale-tlb if not.
     */
    private boolean stillValid(int cpu, int entry, long va, I386Pmap owner)
    {
        Tlb tlb = tlbs[cpu];
        long cached = tlb.pa(entry);
        I386Pmap pm = loaded[cpu];
        String problem = null;
        long current = -1;
        if (owner.destroyed) {
            problem = "its pmap was destroyed";
        }
        else if (owner != kernel && owner != pm) {
            problem = "its pmap is not the loaded one (pmap " + pm.id() + ")";
        }
        else {
            current = walkTables(pm.rootPa, va);
            int cachedPerms = tlb.perms(entry);
            if (current < 0) {
                problem = "the page is no longer mapped";
            }
            else if ((current & ~PAGE_MASK) != cached) {
                problem = "the page now maps another frame";
            }
            else if (moreRights(cachedPerms, walkPerms)) {
                problem = "the mapping lost rights the entry still grants";
            }
        }
        if (problem == null) {
            tlbGeneration[cpu][entry] = owner.generation;
            return true;
        }
        sink.violation("stale-tlb", cpu, "va 0x" + Long.toHexString(va) + " of pmap " + owner.id()
                + " served from the TLB: cached pa 0x" + Long.toHexString(cached)
                + ", tables say " + (current < 0 ? "unmapped" : "pa 0x" + Long.toHexString(current & ~PAGE_MASK))
                + " (" + problem + ")");
        return false;
    }

    private static boolean moreRights(int cached, int current)
    {
        return ((cached & Tlb.WRITABLE) != 0 && (current & Tlb.WRITABLE) == 0)
                || ((cached & Tlb.USER) != 0 && (current & Tlb.USER) == 0)
                || ((cached & Tlb.NO_EXECUTE) == 0 && (current & Tlb.NO_EXECUTE) != 0);
    }

    /** User access to a supervisor page, a write to a read-only page (CR0.WP is on), execution of an NX page. */
    private static boolean denied(int perms, int access)
    {
        return ((access & Access.USER) != 0 && (perms & Tlb.USER) == 0)
                || ((access & Access.WRITE) != 0 && (perms & Tlb.WRITABLE) == 0)
                || ((access & Access.EXECUTE) != 0 && (perms & Tlb.NO_EXECUTE) != 0);
    }

    @Override
    public long walk(Pmap pmap, long va)
    {
        I386Pmap pm = (I386Pmap) requireNonNull(pmap, "pmap is null");
        if (!checkLive(pm, -1, "walk")) {
            return -1;
        }
        return walkTables(pm.rootPa, va);
    }

    /**
     * The hardware walk of the tables rooted at {@code root} (%cr3), side-effect free: PAE reads
     * the PDPTE, PDE and PTE (SDM §4.4.2), 2-level paging the PDE and PTE (§4.3); a PS PDE ends
     * the walk at a 2 MB or 4 MB page. Rights are the AND of R/W and U/S over the levels and the
     * OR of NX. Leaves its findings in the walk fields.
     *
     * @return the physical address, or -1 when a level is not present
     */
    private long walkTables(long root, long va)
    {
        walkReads = 0;
        if (va < 0 || va >= VA_LIMIT) {
            return -1;
        }
        long pdePa;
        if (pae) {
            // The PDPTEs sit in registers after the %cr3 load: not counted as a memory read.
            long pdpte = phys.read64(root + ((va >>> 30) << 3));
            if ((pdpte & PG_V) == 0) {
                return -1;
            }
            pdePa = (pdpte & FRAME_PAE) + (((va >>> 21) & 511) << 3);
        }
        else {
            pdePa = root + ((va >>> 22) << 2);
        }
        long pde = readEntry(pdePa);
        walkReads = 1;
        walkPdePa = pdePa;
        walkPde = pde;
        if ((pde & PG_V) == 0) {
            return -1;
        }
        long leaf;
        long pa;
        if ((pde & PG_PS) != 0) {
            leaf = pde;
            walkLeafPa = pdePa;
            pa = (pde & largeFrameMask) | (va & ((1L << pdeShift) - 1));
        }
        else {
            long ptePa = (pde & frameMask) + ((long) ptIndex(va) << entryShift);
            leaf = readEntry(ptePa);
            walkReads = 2;
            walkLeafPa = ptePa;
            if ((leaf & PG_V) == 0) {
                return -1;
            }
            pa = (leaf & frameMask) | (va & PAGE_MASK);
        }
        walkLeaf = leaf;
        long both = (pde & leaf);
        int perms = 0;
        if ((both & PG_RW) != 0) {
            perms |= Tlb.WRITABLE;
        }
        if ((both & PG_USER) != 0) {
            perms |= Tlb.USER;
        }
        if (pae && ((pde | leaf) & PG_NX) != 0) {
            perms |= Tlb.NO_EXECUTE;
        }
        if ((leaf & PG_G) != 0) {
            perms |= Tlb.GLOBAL;
        }
        walkPerms = perms;
        return pa;
    }

    /** The hardware's accessed/dirty update after a successful walk (SDM §4.8). */
    private void setAccessed(boolean write)
    {
        if (walkLeafPa != walkPdePa && (walkPde & PG_U) == 0) {
            writeEntry(walkPdePa, walkPde | PG_U);
        }
        long leaf = walkLeaf | PG_U | (write ? PG_M : 0);
        if (leaf != walkLeaf) {
            writeEntry(walkLeafPa, leaf);
            walkLeaf = leaf;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Entries

    private long readEntry(long pa)
    {
        return pae ? phys.read64(pa) : phys.read32(pa) & 0xffff_ffffL;
    }

    private void writeEntry(long pa, long value)
    {
        if (pae) {
            phys.write64(pa, value);
        }
        else {
            phys.write32(pa, (int) value);
        }
    }

    /** pdei(): the PDE slot of {@code va}, 0-1023 (2-level) or 0-2047 over the four PAE PD pages. */
    int slotOf(long va)
    {
        return (int) (va >>> pdeShift);
    }

    /** ptei(): the PTE index of {@code va} within its page table. */
    private int ptIndex(long va)
    {
        return (int) (va >>> PAGE_SHIFT) & ptIndexMask;
    }

    /** Physical address of PDE {@code slot} of {@code pm} (pm_pdir[slot]). */
    long pdeAddress(I386Pmap pm, int slot)
    {
        if (pae) {
            return pm.pdPa[slot >>> 9] + ((long) (slot & 511) << 3);
        }
        return pm.pdPa[0] + ((long) slot << 2);
    }
}
