package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.CostKeys;
import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.CostTable;

import java.util.List;

/**
 * The arm64 cost table: cycles at the default 2000 MHz for the machine-dependent steps. Numbers
 * are estimates for a Cortex-A53/A72-class core (the reasoning is in each entry and in
 * docs/arch-arm64.md); every one can be overridden with {@code --cost key=value}.
 */
final class Arm64Costs
{
    // arm64 extras
    static final String DSB_ISH = "md.arm64.dsb_ish";
    static final String FAULT_FIXUP = "md.arm64.fault_fixup";
    static final String ASID_ALLOC = "md.arm64.asid_alloc";
    static final String ASID_SCAN_WORD = "md.arm64.asid_scan_word";
    static final String BP_FLUSH = "md.arm64.bp_flush";

    private Arm64Costs()
    {
    }

    static CostTable defaults()
    {
        return CostTable.of(List.of(
                new CostEntry(CostKeys.SWITCH_SAVE, 40,
                        "cpu_switchto: store x19-x30 and sp in the old switchframe, check PCB_FPU",
                        "estimate: 7 stp pairs plus a few loads in sys/arch/arm64/arm64/cpuswitch.S, ~1 store/cycle"),
                new CostEntry(CostKeys.SWITCH_RESTORE, 40,
                        "cpu_switchto: set curproc/curpcb, load TLS and the new switchframe",
                        "estimate: the mirror image of md.switch.save in cpuswitch.S"),
                new CostEntry(CostKeys.TTB_LOAD, 40,
                        "pmap_setttb/pmap_deactivate: msr ttbr0_el1 + isb, then cpu_setttb (ASID into TTBR1, table into TTBR0) + isb",
                        "estimate: two system-register writes each followed by an isb pipeline flush (~15-20 cycles on A53/A72)"),
                new CostEntry(CostKeys.TLB_FLUSH, 120,
                        "tlbi aside1is / vmalle1is: drop a whole ASID's (or every) entry, broadcast to the inner-shareable domain",
                        "estimate: issue cost of a broadcast TLBI; the wait for completion is md.arm64.dsb_ish"),
                new CostEntry(CostKeys.TLB_INVALIDATE_PAGE, 20,
                        "tlbi vae1is / vaale1is: invalidate one page by VA (and ASID), broadcast",
                        "estimate: one broadcast TLBI issue; ttlb_flush issues two for a user pmap (even and odd ASID)"),
                new CostEntry(CostKeys.TLB_WALK_LEVEL, 25,
                        "one descriptor read by the hardware table walker on a TLB miss",
                        "estimate: a hit in L1D/L2 or the walk cache, 4-30 cycles on Cortex-A53/A72 TRM latencies"),
                new CostEntry(CostKeys.TLB_HIT, 1,
                        "a translation served by the TLB",
                        "estimate: the main TLB lookup is pipelined with the access"),
                new CostEntry(CostKeys.IPI_SEND, 0,
                        "TLB shootdown IPI send: none on arm64",
                        "OpenBSD arm64 pmap.c invalidates with broadcast tlbi ...is instructions, never IPIs"),
                new CostEntry(CostKeys.IPI_RECEIVE, 0,
                        "TLB shootdown IPI receive: none on arm64",
                        "OpenBSD arm64 pmap.c invalidates with broadcast tlbi ...is instructions, never IPIs"),
                new CostEntry(CostKeys.PTE_WRITE, 6,
                        "store one descriptor into a translation table (pmap_pte_update/pmap_pte_remove)",
                        "estimate: a store plus pted bookkeeping"),
                new CostEntry(CostKeys.PTP_ALLOC, 200,
                        "pool_get of a pmapvp table (PR_ZERO) and pmap_set_l1/l2/l3 linking it",
                        "estimate: zeroing 4 KB at ~32 bytes/cycle plus pool work; the page allocator is charged by the MI"),
                new CostEntry(CostKeys.PTP_FREE, 60,
                        "pool_put of a pmapvp table in pmap_vp_destroy",
                        "estimate: pool_put fast path"),
                new CostEntry(CostKeys.FORK_PCB, 300,
                        "cpu_fork: copy the pcb and trapframe, build the switchframe for proc_trampoline",
                        "estimate: ~1 KB of copies in sys/arch/arm64/arm64/vm_machdep.c"),
                new CostEntry(CostKeys.EXIT_CPU, 60,
                        "cpu_exit: vfp_discard when the thread used the FPU",
                        "estimate: a few loads and stores in vm_machdep.c/vfp.c"),
                new CostEntry(DSB_ISH, 150,
                        "dsb ish after broadcast TLB maintenance: wait until every CPU has done it",
                        "estimate: round trip through the interconnect; tens to hundreds of cycles on A53/A72 clusters"),
                new CostEntry(FAULT_FIXUP, 400,
                        "referenced/modified emulation fault: exception entry, pmap_fault_fixup, eret",
                        "estimate: synchronous exception round trip (~150) plus pmap_fault_fixup work in sys/arch/arm64/arm64/pmap.c"),
                new CostEntry(ASID_ALLOC, 60,
                        "pmap_allocate_asid under pmap_asid_mtx",
                        "estimate: mutex enter/leave and the bitmap update in sys/arch/arm64/arm64/pmap.c"),
                new CostEntry(ASID_SCAN_WORD, 2,
                        "one 32-bit word of the pmap_asid bitmap examined by pmap_find_asid's linear search",
                        "estimate: load, compare, branch"),
                new CostEntry(BP_FLUSH, 20,
                        "ci_flush_bp() after each pmap_setttb: branch predictor invalidation (Spectre v2)",
                        "estimate: a no-op or an SMC on affected cores; a small average")));
    }
}
