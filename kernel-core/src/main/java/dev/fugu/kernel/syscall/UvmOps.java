package dev.fugu.kernel.syscall;

import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.stats.Teardown;

/**
 * What the MI kernel asks of UVM: address spaces, faults and the teardown entry points the exit
 * models call. Every call names the CPU doing the work; costs are charged to it.
 */
public interface UvmOps
{
    /** A fresh vmspace with {@code program}'s text and stack (exec, or init at boot); null when out of memory. */
    Object create(int cpu, String program);

    /** uvmspace_fork(): the child's copy-on-write vmspace; null when out of memory. */
    Object fork(int cpu, Object parent);

    /** The vmspace's pmap. */
    Pmap pmap(Object vmspace);

    /** Faults in one new anonymous page (the workload's {@code touch}); false when out of memory. */
    boolean touch(int cpu, Object vmspace);

    /**
     * Reads or writes the {@code index}-th user page of the vmspace, cycling over the pages there
     * are (text and stack included); faults as needed. False when out of memory.
     */
    boolean access(int cpu, Object vmspace, long index, boolean write);

    /** Resident user pages. */
    long residentPages(Object vmspace);

    /** uvm_purge(): removes the user mappings and frees their pages, early in exit1(). */
    Teardown purge(int cpu, Object vmspace);

    /** uvm_exit() / uvmspace_free(): drops the reference; the last one tears everything down. */
    Teardown free(int cpu, Object vmspace);

    /** uvm_uarea_alloc(): a thread's kernel stack frames; null when out of memory. */
    long[] uareaAlloc(int cpu);

    /** uvm_uarea_free(). */
    Teardown uareaFree(int cpu, long[] uarea);

    /** Frames not free and not owned by a live object, after everything was torn down. */
    long leakedFrames();

    /** fpageq mutex counters: acquires, contended, spin cycles. */
    long[] fpageqCounters();
}
