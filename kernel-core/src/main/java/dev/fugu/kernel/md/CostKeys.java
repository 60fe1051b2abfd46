package dev.fugu.kernel.md;

/**
 * The cost keys every plug-in's table has (plug-ins add their own, prefixed {@code md.<arch>.}),
 * so the kernel, contract tests and comparisons can rely on them.
 */
public final class CostKeys
{
    /** cpu_switchto: save the outgoing thread's registers. */
    public static final String SWITCH_SAVE = "md.switch.save";
    /** cpu_switchto: restore the incoming thread's registers. */
    public static final String SWITCH_RESTORE = "md.switch.restore";
    /** Load a translation root: %cr3, TTBR0 (with its barriers). */
    public static final String TTB_LOAD = "md.ttb.load";
    /** Drop every non-global TLB entry of the current context. */
    public static final String TLB_FLUSH = "md.tlb.flush";
    /** Invalidate one page's entry (invlpg, tlbi vae1). */
    public static final String TLB_INVALIDATE_PAGE = "md.tlb.invalidate_page";
    /** One level read by the hardware walker on a TLB miss. */
    public static final String TLB_WALK_LEVEL = "md.tlb.walk_level";
    /** A translation served by the TLB. */
    public static final String TLB_HIT = "md.tlb.hit";
    /** Send one shootdown IPI (0 where there are none). */
    public static final String IPI_SEND = "md.ipi.send";
    /** Take one shootdown IPI on the receiving CPU (0 where there are none). */
    public static final String IPI_RECEIVE = "md.ipi.receive";
    /** Write one page-table entry. */
    public static final String PTE_WRITE = "md.pte.write";
    /** Allocate and zero a page-table page. */
    public static final String PTP_ALLOC = "md.ptp.alloc";
    /** Free a page-table page. */
    public static final String PTP_FREE = "md.ptp.free";
    /** cpu_fork: build a PCB and switch frame. */
    public static final String FORK_PCB = "md.fork.pcb";
    /** cpu_exit: machine-dependent exit clean-up. */
    public static final String EXIT_CPU = "md.exit.cpu";

    private CostKeys()
    {
    }
}
