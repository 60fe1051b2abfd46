package dev.fugu.kernel.boot;

import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.CostTable;
import dev.fugu.kernel.md.MachineContext;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.sim.Jitter;
import dev.fugu.kernel.uvm.PmrCache;
import dev.fugu.kernel.uvm.PmrFreeMode;
import dev.fugu.kernel.uvm.Uvm;
import dev.fugu.kernel.uvm.UvmCosts;
import dev.fugu.kernel.stats.MachineStats;
import dev.fugu.kernel.uvm.PhysMem;

import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The hardware of one simulated machine: its plug-in's machine-dependent half, physical memory
 * and the counters the MD layer reports to.
 */
public final class Machine
{
    private final MachineConfig config;
    private final ArchPlugin plugin;
    private final PhysMem physmem;
    private final MachineStats stats;
    private final MachineDependent md;
    private final Jitter jitter;
    private final Uvm uvm;

    private Machine(MachineConfig config, ArchPlugin plugin, PhysMem physmem, MachineStats stats, CostTable costs, Jitter jitter)
    {
        this.jitter = requireNonNull(jitter, "jitter is null");
        this.config = requireNonNull(config, "config is null");
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.physmem = requireNonNull(physmem, "physmem is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.md = requireNonNull(plugin.create(new Context(config, costs, physmem, stats)), "plugin created no machine");
        this.uvm = new Uvm(md, physmem, stats, stats.clocks());
    }

    /** Builds the machine {@code config} describes; the config must have been validated. */
    public static Machine build(ArchPlugin plugin, MachineConfig config)
    {
        return build(plugin, config, PmrFreeMode.SINGLE);
    }

    /**
     * Builds the machine {@code config} describes, its allocator freeing pages as {@code freeMode}
     * says, with the per-CPU page cache.
     */
    public static Machine build(ArchPlugin plugin, MachineConfig config, PmrFreeMode freeMode)
    {
        return build(plugin, config, freeMode, true);
    }

    /**
     * Builds the machine {@code config} describes, its allocator freeing pages as {@code freeMode}
     * says, with or without the per-CPU page cache ({@link PmrCache}).
     */
    public static Machine build(ArchPlugin plugin, MachineConfig config, PmrFreeMode freeMode, boolean pmrCache)
    {
        int pageSize = plugin.defaults().pageSize();
        Jitter jitter = new Jitter(config.seed());
        MachineStats stats = new MachineStats(new CpuClocks(config.ncpu()), jitter);
        CostTable uvmCosts = UvmCosts.defaultTable();
        CostTable all = plugin.defaultCosts().plus(uvmCosts);
        Map<String, Long> mdOverrides = new java.util.TreeMap<>();
        Map<String, Long> uvmOverrides = new java.util.TreeMap<>();
        config.costOverrides().forEach((key, value) -> {
            if (uvmCosts.contains(key)) {
                uvmOverrides.put(key, value);
            }
            else if (all.contains(key)) {
                mdOverrides.put(key, value);
            }
        });
        PhysMem physmem = new PhysMem(pageSize, config.memBytes() / pageSize, stats, stats.clocks(),
                UvmCosts.from(uvmCosts.withOverrides(uvmOverrides)), freeMode,
                pmrCache ? new PmrCache(config.ncpu(), plugin.defaults().constrainedBytes()) : PmrCache.NONE);
        CostTable costs = plugin.defaultCosts().withOverrides(mdOverrides);
        return new Machine(config, plugin, physmem, stats, costs, jitter);
    }

    public Jitter jitter()
    {
        return jitter;
    }

    public Uvm uvm()
    {
        return uvm;
    }

    public MachineConfig config()
    {
        return config;
    }

    public ArchPlugin plugin()
    {
        return plugin;
    }

    public PhysMem physmem()
    {
        return physmem;
    }

    public MachineStats stats()
    {
        return stats;
    }

    public MachineDependent md()
    {
        return md;
    }

    private record Context(MachineConfig config, CostTable costs, PhysicalMemory physicalMemory, MdSink sink)
            implements MachineContext
    {
        @Override
        public int ncpu()
        {
            return config.ncpu();
        }

        @Override
        public long memBytes()
        {
            return config.memBytes();
        }

        @Override
        public Map<String, String> archOptions()
        {
            return config.archOptions();
        }

        @Override
        public Set<String> injects()
        {
            return config.injects();
        }
    }
}
