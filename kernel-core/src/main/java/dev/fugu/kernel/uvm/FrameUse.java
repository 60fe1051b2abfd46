package dev.fugu.kernel.uvm;

/**
 * Who owns a physical frame: the frame-accounting check at the end of a run requires every frame
 * to be free or owned by a live object.
 */
public enum FrameUse
{
    FREE,
    /** Page-table page of some pmap (PTP, including top-level tables). */
    PAGE_TABLE,
    /** A thread's u-area: kernel stack and PCB. */
    KERNEL_STACK,
    /** Anonymous user memory (an anon's page). */
    USER,
    /** Kernel text, data and boot-time allocations. */
    KERNEL,
}
