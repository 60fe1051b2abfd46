package dev.fugu.kernel.md;

/**
 * A thread's machine-dependent state: its process control block and switch frame (struct pcb,
 * p_md). Built by {@link MachineDependent#cpuFork}; opaque to the MI kernel but for the pmap it
 * runs on.
 */
public interface Pcb
{
    /** The pmap this thread translates user addresses with (pcb_pmap); pmap_kernel() for system threads. */
    Pmap pmap();

    /** True for kernel threads (P_SYSTEM): idle, reaper. */
    boolean isSystem();

    /** True once {@link MachineDependent#cpuExit} has run. */
    boolean isExited();
}
