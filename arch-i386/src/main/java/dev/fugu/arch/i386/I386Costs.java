package dev.fugu.arch.i386;

import dev.fugu.kernel.md.CostKeys;
import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.CostTable;

import java.util.List;

/**
 * The i386 cost table: cycles at the default 1000 MHz clock, each with where the number comes
 * from. docs/arch-i386.md explains the reasoning at more length.
 */
final class I386Costs
{
    static final String SHOOT_WAIT = "md.i386.shoot_wait";
    static final String PMAP_CREATE = "md.i386.pmap_create";
    static final String PMAP_DESTROY = "md.i386.pmap_destroy";

    private I386Costs()
    {
    }

    static CostTable defaults()
    {
        return CostTable.of(List.of(
                new CostEntry(CostKeys.SWITCH_SAVE, 40,
                        "cpu_switchto: push %ebx/%esi/%edi, save %esp/%ebp in the old pcb (locore.s)",
                        "estimate: about ten register moves and stores that hit L1, ~4 cycles each"),
                new CostEntry(CostKeys.SWITCH_RESTORE, 120,
                        "cpu_switchto: load the new stack, curproc/curpcb, GDT user descriptors, ltr of the TSS, %cr0 (FPU TS bit)",
                        "estimate: ltr and the %cr0 write are serialising (tens of cycles each on P6/Core); the rest are L1 stores"),
                new CostEntry(CostKeys.TTB_LOAD, 150,
                        "movl %eax,%cr3: load the page directory (PAE: the PDPT and its 4 PDPTE registers)",
                        "estimate: a serialising control-register write, 100-200 cycles on P6/Core-era cores; "
                                + "PAE loads the four PDPTEs from memory as part of it (Intel SDM Vol. 3A §4.4.1)"),
                new CostEntry(CostKeys.TLB_FLUSH, 100,
                        "dropping every non-global TLB entry on a %cr3 load or tlbflush() (Intel SDM Vol. 3A §4.10.4.1)",
                        "estimate: the flush itself is cheap; the cost is the refill misses that follow, which the walk cost charges separately"),
                new CostEntry(CostKeys.TLB_INVALIDATE_PAGE, 120,
                        "invlpg of one page (pmap_update_pg)",
                        "estimate: invlpg is serialising, ~100-250 cycles on Intel cores of the i386 era"),
                new CostEntry(CostKeys.TLB_WALK_LEVEL, 25,
                        "one page-table entry read by the hardware walker on a TLB miss (PDE, PTE; PAE PDPTEs come from registers)",
                        "estimate: a paging-structure read that hits L1/L2 (Intel SDM Vol. 3A §4.10.3 paging-structure caches aside)"),
                new CostEntry(CostKeys.TLB_HIT, 1,
                        "a translation served by the TLB",
                        "estimate: pipelined with the access, about one cycle of extra latency"),
                new CostEntry(CostKeys.IPI_SEND, 400,
                        "i386_fast_ipi(): one write of the local APIC ICR per target CPU (LAPIC_IPI_INVLPG/INVLRANGE/INVLTLB)",
                        "estimate: xAPIC MMIO write to the ICR plus the delivery-status poll, a few hundred cycles"),
                new CostEntry(CostKeys.IPI_RECEIVE, 1200,
                        "the target's shootdown interrupt: entry, invalidation loop setup, tlb_shoot_wait decrement, iret (apicvec.s)",
                        "estimate: interrupt entry and exit on a 32-bit x86 cost roughly 1000+ cycles with the handler"),
                new CostEntry(CostKeys.PTE_WRITE, 20,
                        "one PTE/PDE store (i386_atomic_testset_ul / a locked cmpxchg8b for PAE)",
                        "estimate: a locked read-modify-write, ~20 cycles uncontended"),
                new CostEntry(CostKeys.PTP_ALLOC, 1000,
                        "pmap_alloc_ptp(): uvm_pagealloc(UVM_PGA_ZERO) of a page-table page, zeroing 4 KB, PDE install",
                        "estimate: zeroing 4 KB at ~8 bytes/cycle is ~500 cycles, plus allocator bookkeeping"),
                new CostEntry(CostKeys.PTP_FREE, 300,
                        "pmap_drop_ptp()/uvm_pagefree() of a page-table page",
                        "estimate: unlinking the vm_page and returning it; the allocator's own lock and tree work is charged by the MI side"),
                new CostEntry(CostKeys.FORK_PCB, 800,
                        "cpu_fork(): copy the parent's pcb and build the child's switchframe and trapframe (vm_machdep.c)",
                        "estimate: copying ~1 KB of pcb and frames plus setup, ~1 cycle per 2 bytes"),
                new CostEntry(CostKeys.EXIT_CPU, 300,
                        "cpu_exit(): npxdrop() of the FPU state and LDT clean-up before the final switch",
                        "estimate: clts/fninit-style FPU release and a few stores"),
                new CostEntry(SHOOT_WAIT, 200,
                        "pmap_tlb_shootwait(): the initiator spins until every target has decremented tlb_shoot_wait",
                        "estimate: the targets handle the IPI in parallel; the initiator waits about one IPI round trip beyond its own invlpgs"),
                new CostEntry(PMAP_CREATE, 600,
                        "pmap_create()/pmap_pinit(): pool_get of the pmap, zeroing the user PDEs, copying the kernel PDEs, list insert",
                        "estimate: the page-directory frames are charged as md.ptp.alloc; this is the remaining bookkeeping"),
                new CostEntry(PMAP_DESTROY, 200,
                        "pmap_destroy() on the last reference: list removal, pool_put (the PTPs are charged as md.ptp.free)",
                        "estimate: a handful of list and pool operations")));
    }
}
