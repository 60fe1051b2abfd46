package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.CostKeys;
import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.CostTable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The amd64 cost table and the cycles read from it once, when a machine is built, so that no
 * hot path looks a cost up by name. docs/arch-amd64.md explains every number.
 */
final class Amd64Costs
{
    static final String IPI_LATENCY = "md.amd64.ipi.latency";
    static final String PMAP_CREATE = "md.amd64.pmap.create";
    static final String PMAP_DESTROY = "md.amd64.pmap.destroy";

    final long switchSave;
    final long switchRestore;
    final long ttbLoad;
    final long tlbFlush;
    final long tlbInvalidatePage;
    final long tlbWalkLevel;
    final long tlbHit;
    final long ipiSend;
    final long ipiReceive;
    final long pteWrite;
    final long ptpAlloc;
    final long ptpFree;
    final long forkPcb;
    final long exitCpu;
    final long ipiLatency;
    final long pmapCreate;
    final long pmapDestroy;

    Amd64Costs(CostTable costs)
    {
        requireNonNull(costs, "costs is null");
        this.switchSave = costs.cycles(CostKeys.SWITCH_SAVE);
        this.switchRestore = costs.cycles(CostKeys.SWITCH_RESTORE);
        this.ttbLoad = costs.cycles(CostKeys.TTB_LOAD);
        this.tlbFlush = costs.cycles(CostKeys.TLB_FLUSH);
        this.tlbInvalidatePage = costs.cycles(CostKeys.TLB_INVALIDATE_PAGE);
        this.tlbWalkLevel = costs.cycles(CostKeys.TLB_WALK_LEVEL);
        this.tlbHit = costs.cycles(CostKeys.TLB_HIT);
        this.ipiSend = costs.cycles(CostKeys.IPI_SEND);
        this.ipiReceive = costs.cycles(CostKeys.IPI_RECEIVE);
        this.pteWrite = costs.cycles(CostKeys.PTE_WRITE);
        this.ptpAlloc = costs.cycles(CostKeys.PTP_ALLOC);
        this.ptpFree = costs.cycles(CostKeys.PTP_FREE);
        this.forkPcb = costs.cycles(CostKeys.FORK_PCB);
        this.exitCpu = costs.cycles(CostKeys.EXIT_CPU);
        this.ipiLatency = costs.cycles(IPI_LATENCY);
        this.pmapCreate = costs.cycles(PMAP_CREATE);
        this.pmapDestroy = costs.cycles(PMAP_DESTROY);
    }

    /** The defaults, at the 2400 MHz default clock. */
    static CostTable defaults()
    {
        return CostTable.of(List.of(
                new CostEntry(CostKeys.SWITCH_SAVE, 120,
                        "cpu_switchto: save %rsp/%rbp and callee-saved registers of the old thread, xsave of its FPU state when it ran in user mode",
                        "estimate: ~20 stores plus an XSAVEOPT of the touched state (~100 cycles, Intel optimization manual, XSAVE latency tables)"),
                new CostEntry(CostKeys.SWITCH_RESTORE, 150,
                        "cpu_switchto: load the new stack, segment/FS.base reset, TSS rsp0 and curpcb/curproc updates",
                        "estimate: wrmsr of FS.base ~60 cycles plus a dozen loads and stores"),
                new CostEntry(CostKeys.TTB_LOAD, 250,
                        "one mov to %cr3 (serialising); the flush it implies is charged as md.tlb.flush",
                        "estimate: 200-300 cycles on Skylake-class cores as measured for Linux KPTI (LWN 741878, 'KAISER: hiding the kernel from user space')"),
                new CostEntry(CostKeys.TLB_FLUSH, 200,
                        "drop every non-global entry of one context: implicit in a %cr3 load without the no-flush bit, or invpcid single-context, or tlbflush()",
                        "estimate: invpcid type 1 ~200 cycles (Agner Fog, instruction tables, Skylake), refills not included (they are charged as walks)"),
                new CostEntry(CostKeys.TLB_INVALIDATE_PAGE, 150,
                        "invlpg or invpcid type 0 of one page",
                        "estimate: invlpg 100-250 cycles (Agner Fog instruction tables; Amit, 'Optimizing the TLB Shootdown Algorithm with Page-Access Tracking', USENIX ATC 2017)"),
                new CostEntry(CostKeys.TLB_WALK_LEVEL, 25,
                        "one paging-structure read by the page walker on a TLB miss",
                        "estimate: an L1/L2-cache hit (4-14 cycles) plus walker overhead; paging-structure caches not modelled (Intel SDM Vol. 3A §4.10.3)"),
                new CostEntry(CostKeys.TLB_HIT, 1,
                        "a translation served by the TLB",
                        "estimate: folded into the load-use latency; 1 cycle so hits are visible in the accounting"),
                new CostEntry(CostKeys.IPI_SEND, 500,
                        "initiator's cost per target of pmap_tlb_shootpage/range/tlb: the ICR write of x86_fast_ipi and the mask bookkeeping",
                        "estimate: x2APIC ICR write ~300-500 cycles (Amit, USENIX ATC 2017, table 1)"),
                new CostEntry(CostKeys.IPI_RECEIVE, 1500,
                        "target's cost of a shootdown IPI: interrupt entry and iretq, the handler in vector.S, the atomic decrement of tlb_shoot_wait; its invalidations are charged on top",
                        "estimate: interrupt delivery plus entry/exit ~1000-2000 cycles (Amit, USENIX ATC 2017: a one-page shootdown costs the target several hundred ns)"),
                new CostEntry(CostKeys.PTE_WRITE, 20,
                        "one page-table entry written by the pmap (atomic swap or store)",
                        "estimate: xchg on a cached line ~20 cycles (Agner Fog instruction tables)"),
                new CostEntry(CostKeys.PTP_ALLOC, 600,
                        "pmap_get_ptp: uvm_pagealloc bookkeeping plus zeroing the new 4 KB page-table page (UVM_PGA_ZERO); the allocator's own lock is charged by the MI layer",
                        "estimate: zeroing 4 KB with rep stosq ~300-400 cycles plus uvm_pagealloc work"),
                new CostEntry(CostKeys.PTP_FREE, 200,
                        "pmap_freepage/pmap_free_ptp bookkeeping of one page-table page (the uvm_pagefree itself is the MI allocator's)",
                        "estimate: a few list and counter updates"),
                new CostEntry(CostKeys.FORK_PCB, 800,
                        "cpu_fork: copy the parent's pcb and FPU save area, build the switchframe for proc_trampoline",
                        "estimate: copying ~1 KB of xsave area plus the frame set-up"),
                new CostEntry(CostKeys.EXIT_CPU, 200,
                        "cpu_exit: machine-dependent clean-up of the exiting thread (drop its FPU state)",
                        "estimate: a few stores and a check of ci_pflags"),
                new CostEntry(IPI_LATENCY, 1000,
                        "amd64 extra: time the initiator spins in pmap_tlb_shootwait() beyond the targets' handling, for IPI delivery",
                        "estimate: local-APIC IPI delivery ~0.4 us (Amit, USENIX ATC 2017)"),
                new CostEntry(PMAP_CREATE, 400,
                        "amd64 extra: pmap_create: pool_get of struct pmap and the PML4 page and pmap_pdp_ctor's memset/memcpy of the kernel PML4 entries (the PML4 frame itself is charged as md.ptp.alloc)",
                        "estimate: two pool_gets and a 4 KB memset"),
                new CostEntry(PMAP_DESTROY, 300,
                        "amd64 extra: pmap_destroy's last reference: unlink from the pmaps list, pool_put of the PML4 and the pmap (each freed PTP is charged as md.ptp.free)",
                        "estimate: mutex, list removal and two pool_puts")));
    }
}
