package dev.fugu.arch.i386;

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

import static java.util.Objects.requireNonNull;

/**
 * The i386 plug-in (sys/arch/i386): PAE paging with NX by default, as OpenBSD picks it on CPUs
 * with NX (pmapae.c), or classic 2-level paging with {@code --arch-opt nopae} (pmap.c).
 */
public final class I386Plugin
        implements ArchPlugin
{
    public static final String NAME = "i386";
    public static final String NOPAE = "nopae";
    public static final String MISSED_SHOOTDOWN = "missed-shootdown";

    /**
     * MAXCPUS of a MULTIPROCESSOR kernel: {@code #define MAXCPUS 32}, commented "because we use a
     * bitmask", in sys/arch/i386/include/cpu.h (rev 1.144).
     */
    public static final int MAXCPUS = 32;

    /**
     * OpenBSD/i386 uses physical memory below 4 GB only, with or without PAE (PAE's 36-bit frames
     * would allow more, but the port does not use memory above 4 GB).
     */
    public static final long MAX_MEM = 4L << 30;

    /** PAGE_SIZE = 1 &lt;&lt; PAGE_SHIFT (12) in sys/arch/i386/include/param.h. */
    public static final int PAGE_SIZE = 4096;

    /** A guess: the simulated clock rate of a late i386-era CPU; not taken from any source. */
    public static final int CLOCK_MHZ = 1000;
    /**
     * Where the pages uvm_pmr_cache_put() may keep begin: nowhere. uvm_md_constraints[] lists
     * isa_constraint and dma_constraint (0 to 0xffffffff, sys/arch/i386/i386/machdep.c); i386's
     * paddr_t is 32 bits, so uvm_pmr_use_inc()'s {@code high + 1} wraps to 0, "no upper limit",
     * and every pmemrange gets {@code use > 0}: freed pages always go straight back to the
     * allocator, only allocations are served from the per-CPU cache.
     */
    public static final long CACHE_PUT_NEVER = Long.MAX_VALUE;

    private static final List<ArchOption> OPTIONS = List.of(ArchOption.flag(NOPAE,
            "classic 32-bit paging (pmap.c): 2 levels of 1024 32-bit entries, 4 MB PDEs, no NX"));

    public I386Plugin()
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
        return "Intel 32-bit x86: PAE 3-level paging with NX (pmapae.c), or 2-level with 4 MB PDEs (--arch-opt nopae); IPI shootdowns, no PCID";
    }

    @Override
    public List<ArchOption> options()
    {
        return OPTIONS;
    }

    @Override
    public ArchLimits limits()
    {
        return new ArchLimits(MAXCPUS, MAX_MEM);
    }

    @Override
    public ArchDefaults defaults()
    {
        return new ArchDefaults(PAGE_SIZE, 3, CLOCK_MHZ, CACHE_PUT_NEVER);
    }

    @Override
    public CostTable defaultCosts()
    {
        return I386Costs.defaults();
    }

    @Override
    public Set<String> injects()
    {
        return Set.of(MISSED_SHOOTDOWN);
    }

    @Override
    public Module module()
    {
        return new I386Module();
    }

    @Override
    public MachineDependent create(MachineContext context)
    {
        return new I386Machine(requireNonNull(context, "context is null"));
    }
}
