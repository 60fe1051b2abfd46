package dev.fugu.kernel.boot;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.uvm.PmrFreeMode;

import static java.util.Objects.requireNonNull;

/**
 * One simulated machine: binds its {@link MachineConfig} and provides the chosen plug-in's
 * {@link MachineDependent}, so the kernel receives it from the injector.
 */
public final class MachineModule
        extends AbstractModule
{
    private final MachineConfig config;
    private final RunConfig run;

    /** A machine only (MD and UVM tests): no kernel can be built from it. */
    public MachineModule(MachineConfig config)
    {
        this.config = requireNonNull(config, "config is null");
        this.run = null;
    }

    /** A machine and how to run it: the injector can build its {@link dev.fugu.kernel.Kernel}. */
    public MachineModule(MachineConfig config, RunConfig run)
    {
        this.config = requireNonNull(config, "config is null");
        this.run = requireNonNull(run, "run is null");
    }

    @Override
    protected void configure()
    {
        bind(MachineConfig.class).toInstance(config);
        if (run != null) {
            bind(RunConfig.class).toInstance(run);
        }
    }

    @Provides
    @Singleton
    ArchPlugin plugin(ArchRegistry registry, MachineConfig config)
    {
        return registry.validate(config);
    }

    @Provides
    @Singleton
    Machine machine(ArchPlugin plugin, MachineConfig config)
    {
        return Machine.build(plugin, config, run != null && run.pmrBatch() ? PmrFreeMode.BATCH : PmrFreeMode.SINGLE,
                run == null || run.pmrCache());
    }

    @Provides
    @Singleton
    MachineDependent machineDependent(Machine machine)
    {
        return machine.md();
    }
}
