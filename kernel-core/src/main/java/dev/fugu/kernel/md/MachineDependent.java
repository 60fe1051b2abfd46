package dev.fugu.kernel.md;

import java.util.List;
import java.util.Set;

/**
 * The machine-dependent half of one simulated machine (sys/arch/&lt;arch&gt;): boot
 * identification, page tables and pmaps, per-CPU TLBs and MMUs, context switch, thread set-up
 * and tear-down, and TLB shootdowns.
 *
 * <p>Operations charge their cycles through {@link MdSink#charge} to the CPU named by their
 * {@code cpu} argument. An operation a plug-in does not implement throws
 * {@link UnsupportedOperationException}; none silently does nothing.
 */
public interface MachineDependent
{
    /** The plug-in's name ({@code amd64}, ...). */
    String arch();

    int ncpu();

    /** Capabilities of this machine as configured ({@code nopcid} removes {@link MdCapability#PCID}). */
    Set<MdCapability> capabilities();

    default boolean has(MdCapability capability)
    {
        return capabilities().contains(capability);
    }

    /** Page size, user address range and u-area size. */
    VmLayout layout();

    /** Paging levels a hardware walk reads in the configured mode. */
    int pagingLevels();

    /**
     * The translation mode as the {@code paging: } dmesg line names it, e.g. {@code 4-level, PCID},
     * {@code PAE (3-level, NX)}, {@code 2-level, 4 MB PDEs}, {@code 4K granule, 16-bit ASID}.
     */
    String pagingMode();

    /** Clock rate for turning cycles into simulated time. */
    int clockMhz();

    /** The cost table in force. */
    CostTable costs();

    /**
     * Bootstraps the machine (pmap_bootstrap: the kernel's page tables in physical frames) and
     * returns its dmesg lines: {@code real mem}/{@code avail mem}, {@code mainbus0 at root}, one
     * line beginning {@code cpuN at mainbus0} per CPU, and one beginning {@code paging: } naming
     * the translation mode. Called once, first.
     */
    List<String> boot();

    /** pmap_kernel(): the kernel's pmap; never destroyed. */
    Pmap pmapKernel();

    /** pmap_create(): a new user pmap with one reference and the kernel half installed. */
    Pmap pmapCreate(int cpu);

    /**
     * cpu_fork(): builds a new thread's PCB and switch frame so that its first switch-in starts it.
     * A system thread runs on pmap_kernel(); a user thread on {@code pmap}.
     *
     * @param parent the forking thread's PCB, or null for threads made at boot (proc0, idle)
     */
    Pcb cpuFork(int cpu, Pcb parent, Pmap pmap, boolean system);

    /** cpu_exit(): machine-dependent clean-up of an exiting thread (FPU state and the like). */
    void cpuExit(int cpu, Pcb pcb);

    /**
     * cpu_switchto(old, new): saves {@code old} (null when the outgoing thread is dead, as from
     * sched_toidle after exit) and loads {@code next}: its pmap's translation root with the
     * architecture's TLB tagging, and the per-CPU current-pmap bookkeeping.
     */
    void cpuSwitchto(int cpu, Pcb old, Pcb next);

    /**
     * pmap_activate(p): makes {@code pmap} the pmap of the thread whose PCB is {@code pcb}
     * (after exec, or when an exiting thread borrows pmap_kernel()); if that thread is running on
     * {@code cpu} ({@code running}), loads it there now.
     */
    void pmapActivate(int cpu, Pcb pcb, Pmap pmap, boolean running);

    /** pmap_deactivate(p): the thread running on {@code cpu} stops using its pmap. */
    void pmapDeactivate(int cpu, Pcb pcb);

    /**
     * One memory access by {@code cpu} through its MMU: the TLB, then on a miss a hardware walk
     * of the loaded tables (setting accessed/dirty bits and filling the TLB).
     *
     * @param access {@link Access#READ}/{@link Access#WRITE}/{@link Access#EXECUTE}, with
     *        {@link Access#USER} for user-mode accesses
     * @return the physical address, or {@link Access#FAULT_INVALID} / {@link Access#FAULT_PROTECTION}
     */
    long access(int cpu, long va, int access);

    /**
     * A hardware page walk of {@code pmap}'s tables with no side effects: what the MMU would
     * translate {@code va} to.
     *
     * @return the physical address, or -1 when the walk finds no valid leaf
     */
    long walk(Pmap pmap, long va);

    /**
     * The pmap this CPU's bookkeeping names as its current user pmap: amd64 {@code ci_proc_pmap},
     * i386 {@code ci_curpmap}, arm64 {@code ci_curpm}. Null when none.
     */
    Pmap currentPmap(int cpu);

    /** The pmap whose tables {@code cpu} translates user addresses through now (%cr3, TTBR0). */
    Pmap loadedPmap(int cpu);

    /** A read-only look at {@code cpu}'s TLB. */
    TlbView tlb(int cpu);
}
