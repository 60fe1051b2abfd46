package dev.fugu.kernel.boot;

import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.CostTable;
import dev.fugu.kernel.md.MachineContext;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.sim.CpuClocks;
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

    private Machine(MachineConfig config, ArchPlugin plugin, PhysMem physmem, MachineStats stats, CostTable costs)
    {
        this.config = requireNonNull(config, "config is null");
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.physmem = requireNonNull(physmem, "physmem is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.md = requireNonNull(plugin.create(new Context(config, costs, physmem, stats)), "plugin created no machine");
    }

    /** Builds the machine {@code config} describes; the config must have been validated. */
    public static Machine build(ArchPlugin plugin, MachineConfig config)
    {
        int pageSize = plugin.defaults().pageSize();
        MachineStats stats = new MachineStats(new CpuClocks(config.ncpu()));
        PhysMem physmem = new PhysMem(pageSize, config.memBytes() / pageSize, stats, stats.clocks());
        CostTable costs = plugin.defaultCosts().withOverrides(config.costOverrides());
        return new Machine(config, plugin, physmem, stats, costs);
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
