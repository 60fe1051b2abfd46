package dev.fugu.kernel.uvm;

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

/** The fake MD as a plug-in, so {@link UvmContract} can run on it through a real {@code Machine}. Not registered with ServiceLoader. */
final class FakeArchPlugin
        implements ArchPlugin
{
    private final boolean pmapPurge;

    FakeArchPlugin(boolean pmapPurge)
    {
        this.pmapPurge = pmapPurge;
    }

    @Override
    public String name()
    {
        return pmapPurge ? "fake-purge" : "fake";
    }

    @Override
    public String description()
    {
        return "software pmap for UVM tests";
    }

    @Override
    public List<ArchOption> options()
    {
        return List.of();
    }

    @Override
    public ArchLimits limits()
    {
        return new ArchLimits(64, 1L << 40);
    }

    @Override
    public ArchDefaults defaults()
    {
        return new ArchDefaults(4096, 2, 1000, 0);
    }

    @Override
    public CostTable defaultCosts()
    {
        return CostTable.of(List.of());
    }

    @Override
    public Set<String> injects()
    {
        return Set.of();
    }

    @Override
    public Module module()
    {
        return binder -> {
        };
    }

    @Override
    public MachineDependent create(MachineContext context)
    {
        return new FakeMd(context.ncpu(), context.physicalMemory(), context.sink(), pmapPurge);
    }
}
