package dev.fugu.kernel.boot;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.MachineDependent;

import static java.util.Objects.requireNonNull;

/**
 * One simulated machine: binds its {@link MachineConfig} and provides the chosen plug-in's
 * {@link MachineDependent}, so the kernel receives it from the injector.
 */
public final class MachineModule
        extends AbstractModule
{
    private final MachineConfig config;

    public MachineModule(MachineConfig config)
    {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure()
    {
        bind(MachineConfig.class).toInstance(config);
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
        return Machine.build(plugin, config);
    }

    @Provides
    @Singleton
    MachineDependent machineDependent(Machine machine)
    {
        return machine.md();
    }
}
