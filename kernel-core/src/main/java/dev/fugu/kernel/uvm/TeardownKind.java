package dev.fugu.kernel.uvm;

/** Which entry point produced a {@link TeardownLedger}. */
public enum TeardownKind
{
    /** uvm_purge() in exit1(), before the no-sleep point. */
    PURGE,
    /** uvm_exit() / uvmspace_free() of an exiting process. */
    EXIT,
    /** uvmspace_free() of the vmspace exec replaced: reported as {@code exec.*}, not {@code teardown.*}. */
    EXEC,
    /** uvm_uarea_free(): a thread's kernel stack. */
    UAREA,
}
