package dev.fugu.kernel.md;

/**
 * Memory access kinds for {@link MachineDependent#access}, protections for {@link Pmap#enter},
 * and the fault results an access can return.
 */
public final class Access
{
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXECUTE = 4;
    /** The access comes from user mode (CPL 3, EL0). */
    public static final int USER = 8;

    /** PROT_READ | PROT_WRITE | PROT_EXEC, as uvm's vm_prot_t. */
    public static final int PROT_READ = READ;
    public static final int PROT_WRITE = WRITE;
    public static final int PROT_EXEC = EXECUTE;
    public static final int PROT_NONE = 0;

    /** No valid translation: a page fault the MI fault handler must resolve. */
    public static final long FAULT_INVALID = -1L;
    /** A translation exists but forbids the access (write to read-only, user to kernel, NX). */
    public static final long FAULT_PROTECTION = -2L;

    private Access()
    {
    }

    public static boolean isFault(long result)
    {
        return result < 0;
    }
}
