package dev.fugu.kernel.uvm;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.MdCapability;
import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.md.VmLayout;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.sync.SpinMutex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The machine-independent virtual memory system of one machine (sys/uvm): vmspaces with
 * anonymous memory, faults, fork's copy-on-write, exec, and the teardown entry points the exit
 * models call. Page tables are the MD pmap's; frames come from {@link PhysMem}.
 *
 * <p>Every operation charges its cycles to the CPU it is given. Nothing here switches pmaps: the
 * caller makes sure the vmspace's pmap is the one loaded on the CPU before user accesses, and
 * that the CPU runs on another pmap before a vmspace's pmap is destroyed.
 */
public final class Uvm
{
    private static final long PRESIZE_SLOTS_MAX = 4096;

    private static final int READ_WRITE = Access.PROT_READ | Access.PROT_WRITE;

    private final MachineDependent md;
    private final PhysMem physmem;
    private final MdSink sink;
    private final CpuClocks clocks;
    private final UvmCosts costs;
    private final VmLayout layout;
    private final int pageSize;
    private final int pageShift;
    private long nextVmspaceId = 1;
    private long[] freeBuffer = new long[256];
    private int freeCount;

    // Counters of the teardown in progress (one at a time: the simulation is single-threaded).
    private long ledgerPtes;
    private long ledgerEntries;
    private long ledgerAnons;

    private long faults;
    private long zeroFills;
    private long cowCopies;
    private long oomFaults;

    public Uvm(MachineDependent md, PhysMem physmem, MdSink sink, CpuClocks clocks)
    {
        this.md = requireNonNull(md, "md is null");
        this.physmem = requireNonNull(physmem, "physmem is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.clocks = requireNonNull(clocks, "clocks is null");
        this.costs = physmem.costs();
        this.layout = md.layout();
        this.pageSize = layout.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        if (pageSize != physmem.pageSize()) {
            throw new IllegalArgumentException("page size of the MD (" + pageSize + ") and of physmem (" + physmem.pageSize() + ") differ");
        }
    }

    public PhysMem physmem()
    {
        return physmem;
    }

    public VmLayout layout()
    {
        return layout;
    }

    /** uvm_fault() calls since boot. */
    public long faults()
    {
        return faults;
    }

    /** Faults that filled a new zeroed page. */
    public long zeroFills()
    {
        return zeroFills;
    }

    /** Copy-on-write copies made. */
    public long cowCopies()
    {
        return cowCopies;
    }

    /** Faults that found no frame (or no page-table page). */
    public long oomFaults()
    {
        return oomFaults;
    }

    /** Models uvmspace_alloc() in sys/uvm/uvm_map.c: an empty vmspace on a new pmap (pmap_create). */
    public Vmspace uvmspaceAlloc(int cpu)
    {
        sink.charge(cpu, costs.vmspaceAlloc);
        return new Vmspace(nextVmspaceId++, md.pmapCreate(cpu));
    }

    /** uvmspace_addref(): one more user of the vmspace (vfork, threads). */
    public void uvmspaceAddref(Vmspace vm)
    {
        if (vm.freed) {
            throw new IllegalStateException(vm + " is freed");
        }
        vm.refs++;
    }

    /**
     * A new vmspace with {@code image}'s text and stack entries, nothing faulted in yet (the part
     * of exec's vmcmds that maps the image).
     */
    public Vmspace uvmspaceCreate(int cpu, ExecImage image)
    {
        Vmspace vm = uvmspaceAlloc(cpu);
        long textStart = layout.textStart();
        long textEnd = textStart + ((long) image.textPages() << pageShift);
        long stackStart = layout.stackTop() - ((long) image.stackPages() << pageShift);
        if (Long.compareUnsigned(textEnd, stackStart) > 0) {
            throw new IllegalArgumentException("image does not fit the user address space: " + image);
        }
        mapEntry(cpu, vm, textStart, textEnd, Access.PROT_READ | Access.PROT_EXEC, Region.TEXT);
        mapEntry(cpu, vm, stackStart, layout.stackTop(), READ_WRITE, Region.STACK);
        return vm;
    }

    /** Faults in every page of the text (read) and stack (write) entries, as exec's loading would. */
    public FaultResult populate(int cpu, Vmspace vm)
    {
        for (int i = 0; i < vm.entries.size(); i++) {
            MapEntry entry = vm.entries.get(i);
            if (entry.region() == Region.HEAP) {
                continue;
            }
            int access = entry.region() == Region.TEXT ? Access.READ : Access.WRITE;
            for (long va = entry.start(); va != entry.end; va += pageSize) {
                FaultResult result = uvmFault(cpu, vm, va, access);
                if (result != FaultResult.OK) {
                    return result;
                }
            }
        }
        return FaultResult.OK;
    }

    /**
     * Models uvmspace_exec() in sys/uvm/uvm_map.c (the "vmspace is shared" branch, always): a
     * fresh vmspace for {@code image}, pmap_deactivate/pmap_activate of the thread {@code pcb}
     * onto it, then uvmspace_free() of {@code old} (counted apart as {@link TeardownKind#EXEC}),
     * then the image faulted in.
     *
     * @param running whether {@code pcb}'s thread is on {@code cpu} now (it is, in execve)
     * @param old the vmspace being replaced, or null for a process that has none
     */
    public ExecResult uvmspaceExec(int cpu, Pcb pcb, boolean running, Vmspace old, ExecImage image)
    {
        Vmspace vm = uvmspaceCreate(cpu, image);
        if (running) {
            md.pmapDeactivate(cpu, pcb);
        }
        md.pmapActivate(cpu, pcb, vm.pmap(), running);
        TeardownLedger ledger = old == null
                ? new TeardownLedger(TeardownKind.EXEC, cpu, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                : uvmspaceFree(cpu, old, TeardownKind.EXEC);
        return new ExecResult(vm, ledger, populate(cpu, vm));
    }

    /**
     * Models uvmspace_fork() in sys/uvm/uvm_map.c: a child vmspace whose entries follow each
     * parent entry's inheritance. A COPY entry gets a new amap referencing the same anons (each
     * an_ref + 1; UVM defers this amap_copy with needs-copy, done here at once) and the parent's
     * writable mapping is write-protected with pmap_protect so the next write faults; a SHARE
     * entry shares the amap (am_ref + 1).
     */
    public Vmspace uvmspaceFork(int cpu, Vmspace parent)
    {
        if (parent.freed) {
            throw new IllegalStateException(parent + " is freed");
        }
        Vmspace child = uvmspaceAlloc(cpu);
        Pmap parentPmap = parent.pmap();
        for (int i = 0; i < parent.entries.size(); i++) {
            MapEntry entry = parent.entries.get(i);
            switch (entry.inheritance()) {
                case NONE -> {
                }
                case SHARE -> {
                    sink.charge(cpu, costs.mapEntryAlloc);
                    entry.amap.refs++;
                    MapEntry clone = new MapEntry(entry.start(), entry.end, entry.protection(), entry.inheritance(), entry.region(), entry.amap);
                    clone.resident = entry.resident;
                    child.link(clone);
                }
                case COPY -> {
                    int slots = entry.slots(pageShift);
                    Amap copy = new Amap(slots);
                    Anon[] from = entry.amap.slots;
                    boolean any = false;
                    for (int s = 0; s < slots; s++) {
                        Anon anon = from[s];
                        if (anon != null) {
                            anon.refs++;
                            copy.slots[s] = anon;
                            any = true;
                        }
                    }
                    sink.charge(cpu, costs.mapEntryAlloc + costs.amapAlloc + slots * costs.amapSlot);
                    MapEntry clone = new MapEntry(entry.start(), entry.end, entry.protection(), entry.inheritance(), entry.region(), copy);
                    clone.resident = entry.resident;
                    child.link(clone);
                    if (any && (entry.protection() & Access.PROT_WRITE) != 0) {
                        parentPmap.protect(cpu, entry.start(), entry.end, entry.protection() & ~Access.PROT_WRITE);
                    }
                }
            }
        }
        return child;
    }

    /**
     * The workload's {@code touch PAGES}: grows the heap entry by {@code pages} and writes each
     * new page through the MMU, one fault each.
     */
    public FaultResult touch(int cpu, Vmspace vm, long pages)
    {
        if (pages < 0) {
            throw new IllegalArgumentException("pages must not be negative");
        }
        if (pages == 0) {
            return FaultResult.OK;
        }
        MapEntry heap = vm.heap;
        long limit = stackBottom(vm);
        long start = heap == null ? heapStart(vm) : heap.end;
        if (pages > (Long.MAX_VALUE >>> pageShift) || Long.compareUnsigned(start + (pages << pageShift), limit) > 0) {
            return FaultResult.NO_SPACE;
        }
        if (heap == null) {
            heap = mapEntry(cpu, vm, start, start, READ_WRITE, Region.HEAP);
        }
        sink.charge(cpu, costs.heapGrow);
        // The entry grows page by page as the pages are faulted in, so a touch that runs out of
        // memory leaves an entry no longer than what was really allocated.
        long end = start + (pages << pageShift);
        // Room for the whole touch at once (host memory only: the amap's slot array is not
        // modelled state, and ensure() below stays a no-op instead of copying as it doubles).
        // Large touches (which may run out of memory early) still grow by doubling.
        long total = (end - heap.start()) >>> pageShift;
        if (total <= PRESIZE_SLOTS_MAX) {
            heap.amap.ensure((int) total);
        }
        for (long va = start; va != end; va += pageSize) {
            heap.end = va + pageSize;
            heap.amap.ensure(heap.slots(pageShift));
            sink.charge(cpu, costs.amapSlot);
            FaultResult result = access(cpu, vm, va, Access.WRITE);
            if (result != FaultResult.OK) {
                return result;
            }
        }
        return FaultResult.OK;
    }

    /**
     * The workload's {@code read PAGES}: {@code pages} reads of the vmspace's existing pages in
     * address order (text, heap, stack; inherited ones included), cycling when it has fewer.
     */
    public FaultResult read(int cpu, Vmspace vm, long pages)
    {
        return cycle(cpu, vm, pages, Access.READ);
    }

    /** The workload's {@code write PAGES}: as {@link #read}, over the writable pages (heap, stack). */
    public FaultResult write(int cpu, Vmspace vm, long pages)
    {
        return cycle(cpu, vm, pages, Access.WRITE);
    }

    /**
     * One access to the {@code index}-th existing page of the vmspace (pages with an anon, in
     * address order, inherited ones included; a write counts writable entries only), cycling
     * over them: {@code index} modulo their number. With no such page, nothing is accessed.
     */
    public FaultResult accessPage(int cpu, Vmspace vm, long index, boolean write)
    {
        long total = 0;
        List<MapEntry> entries = vm.entries;
        for (int i = 0; i < entries.size(); i++) {
            MapEntry entry = entries.get(i);
            if (!write || (entry.protection() & Access.PROT_WRITE) != 0) {
                total += entry.resident;
            }
        }
        if (total == 0) {
            return FaultResult.OK;
        }
        long k = Math.floorMod(index, total);
        for (int i = 0; ; i++) {
            MapEntry entry = entries.get(i);
            if (write && (entry.protection() & Access.PROT_WRITE) == 0) {
                continue;
            }
            if (k < entry.resident) {
                long va = entry.start() + ((long) entry.residentSlot((int) k, pageShift) << pageShift);
                return access(cpu, vm, va, write ? Access.WRITE : Access.READ);
            }
            k -= entry.resident;
        }
    }

    /**
     * One user access by {@code cpu} through its MMU ({@link MachineDependent#access}); on a page
     * fault runs {@link #uvmFault} and retries, as the trap handler does.
     */
    public FaultResult access(int cpu, Vmspace vm, long va, int access)
    {
        for (int attempt = 0; ; attempt++) {
            long pa = md.access(cpu, va, access | Access.USER);
            if (!Access.isFault(pa)) {
                return FaultResult.OK;
            }
            if (attempt == 2) {
                sink.violation("fault-loop", cpu, "access to 0x" + Long.toHexString(va) + " in " + vm + " still faults after uvm_fault resolved it");
                return FaultResult.SEGV;
            }
            FaultResult result = uvmFault(cpu, vm, va, access);
            if (result != FaultResult.OK) {
                return result;
            }
        }
    }

    /**
     * Models uvm_fault() in sys/uvm/uvm_fault.c for anonymous memory: finds the entry
     * (uvm_fault_check); with no anon, a zero-filled page in a new anon (uvm_fault_lower's
     * zero-fill); with an anon shared by another amap (an_ref &gt; 1), a write copies it into a new
     * anon (uvm_fault_upper's promote) and a read maps it read-only; with an_ref == 1 the page is
     * mapped with the entry's protection, which re-enables write after fork. Then pmap_enter with
     * PMAP_CANFAIL.
     *
     * @param access {@link Access#READ}, {@link Access#WRITE} or {@link Access#EXECUTE}
     */
    public FaultResult uvmFault(int cpu, Vmspace vm, long va, int access)
    {
        faults++;
        sink.charge(cpu, costs.fault + costs.mapLookup);
        MapEntry entry = vm.lookup(va);
        int required = access & (Access.READ | Access.WRITE | Access.EXECUTE);
        if (entry == null || (entry.protection() & required) != required) {
            return FaultResult.SEGV;
        }
        int slot = (int) ((va - entry.start()) >>> pageShift);
        long pageVa = va & -pageSize;
        Pmap pmap = vm.pmap();
        Anon[] slots = entry.amap.slots;
        Anon anon = slots[slot];
        if (anon == null) {
            long pfn = physmem.allocate(cpu, FrameUse.USER);
            if (pfn == PhysicalMemory.NO_FRAME) {
                return oom();
            }
            sink.charge(cpu, costs.anonAlloc + costs.pageZero);
            if (!pmap.enter(cpu, pageVa, pfn, entry.protection())) {
                sink.charge(cpu, costs.anonFree);
                physmem.release(cpu, pfn, FrameUse.USER);
                return oom();
            }
            slots[slot] = new Anon(pfn);
            entry.resident++;
            zeroFills++;
            return FaultResult.OK;
        }
        if (anon.refs > 1) {
            if ((access & Access.WRITE) == 0) {
                return enter(cpu, pmap, pageVa, anon.pfn, entry.protection() & ~Access.PROT_WRITE);
            }
            long pfn = physmem.allocate(cpu, FrameUse.USER);
            if (pfn == PhysicalMemory.NO_FRAME) {
                return oom();
            }
            sink.charge(cpu, costs.anonAlloc + costs.pageCopy);
            if (!pmap.enter(cpu, pageVa, pfn, entry.protection())) {
                sink.charge(cpu, costs.anonFree);
                physmem.release(cpu, pfn, FrameUse.USER);
                return oom();
            }
            anon.refs--;
            slots[slot] = new Anon(pfn);
            cowCopies++;
            return FaultResult.OK;
        }
        return enter(cpu, pmap, pageVa, anon.pfn, entry.protection());
    }

    /**
     * Models uvm_purge() in sys/uvm/uvm_glue.c: in exit1(), before the no-sleep point, the last
     * thread removes the user mappings (pmap_purge where the MD has it) and tears the map down
     * (uvmspace_purge → uvm_map_teardown), freeing the pages. The vmspace and its pmap stay until
     * {@link #uvmExit}.
     */
    public TeardownLedger uvmPurge(int cpu, Vmspace vm)
    {
        if (vm.freed) {
            throw new IllegalStateException(vm + " is freed");
        }
        long t0 = clocks.now(cpu);
        SpinMutex fpageq = physmem.fpageq();
        long a0 = fpageq.acquires();
        long c0 = fpageq.contended();
        long s0 = fpageq.spinCycles();
        startLedger();
        Pmap pmap = vm.pmap();
        long ptp0 = pmap.pageTablePages();
        if (md.has(MdCapability.PMAP_PURGE)) {
            ledgerPtes += pmap.purge(cpu);
        }
        long pages = teardownEntries(cpu, vm);
        vm.purged = true;
        long ptp = ptp0 - pmap.pageTablePages();
        return new TeardownLedger(TeardownKind.PURGE, cpu, pages, ledgerPtes, ptp, 0, ledgerEntries, ledgerAnons,
                clocks.now(cpu) - t0, fpageq.acquires() - a0, fpageq.contended() - c0, fpageq.spinCycles() - s0);
    }

    /** Models uvm_exit() in sys/uvm/uvm_glue.c: the process drops its vmspace (uvmspace_free). */
    public TeardownLedger uvmExit(int cpu, Vmspace vm)
    {
        return uvmspaceFree(cpu, vm, TeardownKind.EXIT);
    }

    /**
     * Models uvmspace_free() in sys/uvm/uvm_map.c: drops one reference; on the last one tears the
     * map down (uvm_map_teardown: every entry walked, pmap_remove of its range, amap and anon
     * references dropped, pages freed) and destroys the pmap. Works on a half-built vmspace (a
     * process killed for lack of memory in the middle of a fault).
     */
    public TeardownLedger uvmspaceFree(int cpu, Vmspace vm, TeardownKind kind)
    {
        requireNonNull(kind, "kind is null");
        long t0 = clocks.now(cpu);
        SpinMutex fpageq = physmem.fpageq();
        long a0 = fpageq.acquires();
        long c0 = fpageq.contended();
        long s0 = fpageq.spinCycles();
        startLedger();
        if (vm.freed) {
            sink.violation("vmspace-free", cpu, vm + " freed again");
            return new TeardownLedger(kind, cpu, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        long pages = 0;
        long ptp = 0;
        // Dropping a reference that is not the last is one atomic decrement: not charged.
        if (--vm.refs == 0) {
            sink.charge(cpu, costs.vmspaceFree);
            Pmap pmap = vm.pmap();
            long ptp0 = pmap.pageTablePages();
            pages = teardownEntries(cpu, vm);
            vm.freed = true;
            boolean destroyed = pmap.destroy(cpu);
            ptp = destroyed ? ptp0 : ptp0 - pmap.pageTablePages();
        }
        return new TeardownLedger(kind, cpu, pages, ledgerPtes, ptp, 0, ledgerEntries, ledgerAnons,
                clocks.now(cpu) - t0, fpageq.acquires() - a0, fpageq.contended() - c0, fpageq.spinCycles() - s0);
    }

    /**
     * Models uvm_uarea_alloc() in sys/uvm/uvm_glue.c: UPAGES zeroed frames of kernel stack for a
     * new thread, all from one allocator call: km_alloc(USPACE, &kv_uarea, &kp_zero, &kd_waitok)
     * → uvm_pglistalloc() with UVM_PLA_TRYCONTIG (sys/uvm/uvm_km.c), not the per-CPU cache; see
     * {@link PhysMem#allocateTryContig}.
     *
     * @return the u-area, or empty when memory is exhausted (fork fails)
     */
    public Optional<Uarea> uareaAlloc(int cpu)
    {
        int pages = layout.uareaPages();
        long[] pfns = new long[pages];
        sink.charge(cpu, costs.uarea);
        if (!physmem.allocateTryContig(cpu, FrameUse.KERNEL_STACK, pfns, pages)) {
            return Optional.empty();
        }
        sink.charge(cpu, pages * costs.pageZero);
        return Optional.of(new Uarea(pfns));
    }

    /**
     * Models uvm_uarea_free() in sys/uvm/uvm_glue.c: the thread's kernel stack frames go back by
     * km_free() (sys/uvm/uvm_km.c), which hands them to uvm_pglistfree() as one list, bypassing
     * the per-CPU page cache.
     */
    public TeardownLedger uareaFree(int cpu, Uarea uarea)
    {
        long t0 = clocks.now(cpu);
        SpinMutex fpageq = physmem.fpageq();
        long a0 = fpageq.acquires();
        long c0 = fpageq.contended();
        long s0 = fpageq.spinCycles();
        if (uarea.freed) {
            sink.violation("double-free", cpu, "u-area freed twice");
            return new TeardownLedger(TeardownKind.UAREA, cpu, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        uarea.freed = true;
        sink.charge(cpu, costs.uarea);
        long[] frames = uarea.frames();
        freeCount = 0;
        for (long pfn : frames) {
            queueFree(pfn);
        }
        // km_free(): uvm_pglistfree(), one page list, whatever --pmr-free says about teardowns.
        physmem.releasePageq(cpu, freeBuffer, freeCount, FrameUse.KERNEL_STACK);
        return new TeardownLedger(TeardownKind.UAREA, cpu, 0, 0, 0, frames.length, 0, 0,
                clocks.now(cpu) - t0, fpageq.acquires() - a0, fpageq.contended() - c0, fpageq.spinCycles() - s0);
    }

    /**
     * The frame audit: {@code live} are the objects the kernel still holds (vmspaces, u-areas,
     * pmaps not in a vmspace); the kernel pmap is added here.
     */
    public FrameAudit audit(List<? extends FrameOwner> live)
    {
        List<FrameOwner> owners = new ArrayList<>(live);
        owners.add(pageTablesOf(md.pmapKernel()));
        return physmem.audit(owners);
    }

    /** A frame owner for a pmap not held by a vmspace: its page-table pages, by count. */
    public static FrameOwner pageTablesOf(Pmap pmap)
    {
        requireNonNull(pmap, "pmap is null");
        return claims -> {
            if (!pmap.isDestroyed()) {
                claims.claimPageTablePages(pmap.pageTablePages());
            }
        };
    }

    // Models uvm_map_teardown() + uvm_unmap_detach(): returns the user pages freed.
    private long teardownEntries(int cpu, Vmspace vm)
    {
        Pmap pmap = vm.pmap();
        freeCount = 0;
        long work = 0;
        for (int i = 0; i < vm.entries.size(); i++) {
            MapEntry entry = vm.entries.get(i);
            ledgerPtes += pmap.remove(cpu, entry.start(), entry.end);
            ledgerEntries++;
            work += costs.mapEntryFree;
            Amap amap = entry.amap;
            entry.resident = 0;
            if (--amap.refs == 0) {
                // amap_wipeout(): every slot's anon loses a reference.
                Anon[] slots = amap.slots;
                int n = entry.slots(pageShift);
                work += costs.amapFree + n * costs.amapSlot;
                for (int s = 0; s < n; s++) {
                    Anon anon = slots[s];
                    if (anon != null) {
                        slots[s] = null;
                        if (--anon.refs == 0) {
                            queueFree(anon.pfn);
                            ledgerAnons++;
                            work += costs.anonFree;
                        }
                    }
                }
            }
        }
        sink.charge(cpu, work);
        vm.entries.clear();
        vm.heap = null;
        int pages = freeCount;
        physmem.releaseAll(cpu, freeBuffer, pages, FrameUse.USER);
        freeCount = 0;
        return pages;
    }

    private MapEntry mapEntry(int cpu, Vmspace vm, long start, long end, int prot, Region region)
    {
        sink.charge(cpu, costs.mapEntryAlloc + costs.amapAlloc);
        MapEntry entry = new MapEntry(start, end, prot, MapInherit.COPY, region, new Amap((int) ((end - start) >>> pageShift)));
        vm.link(entry);
        return entry;
    }

    private FaultResult cycle(int cpu, Vmspace vm, long pages, int access)
    {
        long done = 0;
        while (done < pages) {
            long before = done;
            for (int i = 0; i < vm.entries.size() && done < pages; i++) {
                MapEntry entry = vm.entries.get(i);
                if (access == Access.WRITE && (entry.protection() & Access.PROT_WRITE) == 0) {
                    continue;
                }
                int n = entry.slots(pageShift);
                for (int s = 0; s < n && done < pages; s++) {
                    if (entry.amap.slots[s] == null) {
                        continue;
                    }
                    FaultResult result = access(cpu, vm, entry.start() + ((long) s << pageShift), access);
                    if (result != FaultResult.OK) {
                        return result;
                    }
                    done++;
                }
            }
            if (done == before) {
                break;
            }
        }
        return FaultResult.OK;
    }

    private FaultResult enter(int cpu, Pmap pmap, long va, long pfn, int prot)
    {
        return pmap.enter(cpu, va, pfn, prot) ? FaultResult.OK : oom();
    }

    private FaultResult oom()
    {
        oomFaults++;
        return FaultResult.OOM;
    }

    private long heapStart(Vmspace vm)
    {
        long end = layout.textStart();
        for (int i = 0; i < vm.entries.size(); i++) {
            MapEntry entry = vm.entries.get(i);
            if (entry.region() == Region.TEXT) {
                end = entry.end;
            }
        }
        return end;
    }

    private long stackBottom(Vmspace vm)
    {
        for (int i = 0; i < vm.entries.size(); i++) {
            MapEntry entry = vm.entries.get(i);
            if (entry.region() == Region.STACK) {
                return entry.start();
            }
        }
        return layout.stackTop();
    }

    private void startLedger()
    {
        ledgerPtes = 0;
        ledgerEntries = 0;
        ledgerAnons = 0;
    }

    private void queueFree(long pfn)
    {
        if (freeCount == freeBuffer.length) {
            freeBuffer = Arrays.copyOf(freeBuffer, freeCount * 2);
        }
        freeBuffer[freeCount++] = pfn;
    }
}
