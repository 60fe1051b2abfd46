package dev.fugu.kernel.uvm;

/** What a map entry holds, so that processes have a realistic shape. */
public enum Region
{
    /** Program text, mapped at exec: read and execute. */
    TEXT,
    /** The anonymous heap that {@code touch} grows. */
    HEAP,
    /** The user stack below USRSTACK. */
    STACK,
}
