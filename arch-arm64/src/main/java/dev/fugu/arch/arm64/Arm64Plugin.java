package dev.fugu.arch.arm64;

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
 * The arm64 plug-in: OpenBSD/arm64 (sys/arch/arm64) on a VMSAv8-64 MMU with the 4 KB granule.
 *
 * <p>Limits, as the port has them:
 * <ul>
 *   <li>{@code MAXCPUS 256}: sys/arch/arm64/include/cpu.h (rev 1.51, 2025/02/11, the
 *       MULTIPROCESSOR branch).</li>
 *   <li>Physical memory: 2^48 bytes. The port has no smaller cap: pmap.c keeps physical
 *       addresses in {@code PTE_RPGN} (sys/arch/arm64/include/pte.h: bits [47:12]) and the kernel
 *       maps RAM on demand, without a direct map limited by kernel VA.</li>
 * </ul>
 * Defaults: PAGE_SIZE 4096 (sys/arch/arm64/include/param.h {@code PAGE_SHIFT 12}); three
 * levels of tables, because OpenBSD runs both halves with 39-bit VAs
 * (sys/arch/arm64/include/vmparam.h {@code USER_SPACE_BITS 39}, pmap_init() sets
 * {@code TCR_T0SZ(64 - USER_SPACE_BITS)}; the kernel is "ASSUMED TO BE 39 bits" in
 * pmap_bootstrap()), so walks start at level 1; a 2000 MHz clock, which is a guess.
 */
public final class Arm64Plugin
        implements ArchPlugin
{
    public static final String NAME = "arm64";
    public static final String OPTION_ASID8 = "asid8";
    public static final String INJECT_MISSED_SHOOTDOWN = "missed-shootdown";

    static final int MAXCPUS = 256;
    static final long MAX_MEM = 1L << 48;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "OpenBSD/arm64: VMSAv8-64 4K granule, ASID-tagged TLBs, broadcast TLBI, pmap_purge";
    }

    @Override
    public List<ArchOption> options()
    {
        return List.of(ArchOption.flag(OPTION_ASID8,
                "8-bit ASIDs (pmap_nasid 256) as on cores whose ID_AA64MMFR0_EL1.ASIDBits is 0; makes ASID rollover frequent"));
    }

    @Override
    public ArchLimits limits()
    {
        return new ArchLimits(MAXCPUS, MAX_MEM);
    }

    @Override
    public ArchDefaults defaults()
    {
        // uvm_md_constraints[] holds dma_constraint, 0 to (paddr_t)-1 (sys/arch/arm64/arm64/machdep.c,
        // unless the boot loader's openbsd,dma-constraint narrows it): uvm_pmr_use_inc()'s high + 1
        // wraps to 0, "no upper limit", so every pmemrange has use > 0 and uvm_pmr_cache_put()
        // never keeps a page; only allocations go through the per-CPU cache.
        return new ArchDefaults(4096, 3, 2000, Long.MAX_VALUE);
    }

    @Override
    public CostTable defaultCosts()
    {
        return Arm64Costs.defaults();
    }

    @Override
    public Set<String> injects()
    {
        return Set.of(INJECT_MISSED_SHOOTDOWN);
    }

    @Override
    public Module module()
    {
        return new Arm64Module();
    }

    @Override
    public MachineDependent create(MachineContext context)
    {
        return new Arm64MachineDependent(requireNonNull(context, "context is null"));
    }
}
