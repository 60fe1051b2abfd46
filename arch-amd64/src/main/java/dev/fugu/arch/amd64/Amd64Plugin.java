package dev.fugu.arch.amd64;

import com.google.inject.Module;
import dev.fugu.kernel.md.ArchDefaults;
import dev.fugu.kernel.md.ArchLimits;
import dev.fugu.kernel.md.ArchOption;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.CostTable;
import dev.fugu.kernel.md.MachineContext;
import dev.fugu.kernel.md.MachineDependent;

import java.util.List;
import java.util.Set;

/**
 * The amd64 plug-in (sys/arch/amd64): 4-level paging with PCIDs, TLB shootdowns by IPI.
 */
public final class Amd64Plugin
        implements ArchPlugin
{
    public static final String NAME = "amd64";
    public static final String OPTION_NOPCID = "nopcid";
    public static final String INJECT_STALE_CI_PROC_PMAP = "stale-ci-proc-pmap";
    public static final String INJECT_MISSED_SHOOTDOWN = "missed-shootdown";

    /**
     * MAXCPUS for a MULTIPROCESSOR kernel: {@code #define MAXCPUS 64 /* bitmask *\/} in
     * sys/arch/amd64/include/cpu.h (rev 1.180); the shootdown code keeps its targets in a 64-bit
     * mask.
     */
    public static final int MAXCPUS = 64;
    /**
     * The most physical memory: what the direct map covers, NUM_L4_SLOT_DIRECT (4, in
     * sys/arch/amd64/include/pmap.h rev 1.94) PML4 slots of NBPD_L4 (512 GB) each, 2 TB;
     * pmap_bootstrap() maps no memory beyond it.
     */
    public static final long MAX_MEM_BYTES = Pte.NUM_L4_SLOT_DIRECT * Pte.NBPD_L4;
    /** Default clock: a guess at a typical amd64 server core, not from any source. */
    public static final int CLOCK_MHZ = 2400;
    /**
     * The end of dma_constraint (0 to 0xffffffff), the highest range in uvm_md_constraints[]
     * (sys/arch/amd64/amd64/machdep.c, with isa_constraint below 16M): the per-CPU page cache keeps only
     * pages above 4 GiB.
     */
    public static final long DMA_CONSTRAINT_END = 1L << 32;

    public Amd64Plugin()
    {
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "AMD64/Intel 64: 4-level paging, PCID-tagged TLBs, ci_proc_pmap and IPI shootdowns (sys/arch/amd64)";
    }

    @Override
    public List<ArchOption> options()
    {
        return List.of(ArchOption.flag(OPTION_NOPCID, "run without PCIDs: every %cr3 load flushes all non-global TLB entries"));
    }

    /** {@link #MAXCPUS} (cpu.h) and {@link #MAX_MEM_BYTES} (pmap.h's direct map). */
    @Override
    public ArchLimits limits()
    {
        return new ArchLimits(MAXCPUS, MAX_MEM_BYTES);
    }

    @Override
    public ArchDefaults defaults()
    {
        return new ArchDefaults(4096, 4, CLOCK_MHZ, DMA_CONSTRAINT_END);
    }

    @Override
    public CostTable defaultCosts()
    {
        return Amd64Costs.defaults();
    }

    @Override
    public Set<String> injects()
    {
        return Set.of(INJECT_STALE_CI_PROC_PMAP, INJECT_MISSED_SHOOTDOWN);
    }

    @Override
    public Module module()
    {
        return new Amd64Module();
    }

    @Override
    public MachineDependent create(MachineContext context)
    {
        return new Amd64MachineDependent(context);
    }
}
