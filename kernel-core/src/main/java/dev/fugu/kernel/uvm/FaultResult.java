package dev.fugu.kernel.uvm;

/** What a fault, or a memory statement made of faults, came to. */
public enum FaultResult
{
    /** Resolved: the access can be retried and succeeds. */
    OK,
    /**
     * No frame for the page or for a page table (uvm_fault returns ENOMEM): the MI kernel kills
     * the process with SIGKILL as UVM does, and frees what it held with {@link Uvm#uvmExit}.
     */
    OOM,
    /** No map entry covers the address, or its protection forbids the access (SIGSEGV). */
    SEGV,
    /** The heap cannot grow: it would run into the stack (brk's ENOMEM, not a kill). */
    NO_SPACE,
}
