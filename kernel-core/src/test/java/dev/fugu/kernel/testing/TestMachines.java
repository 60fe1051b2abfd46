package dev.fugu.kernel.testing;

import com.google.inject.Injector;
import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.MachineModule;
import dev.fugu.kernel.boot.Plugins;

import java.util.Map;
import java.util.Set;

/**
 * Builds simulated machines for tests the way the CLI does: plug-ins found with ServiceLoader,
 * bound through Guice, the config validated against the chosen plug-in.
 */
public final class TestMachines
{
    private static Injector injector;

    private TestMachines()
    {
    }

    /** The injector with every plug-in on the test class path (built once). */
    public static synchronized Injector injector()
    {
        if (injector == null) {
            injector = Plugins.createInjector();
        }
        return injector;
    }

    public static ArchRegistry registry()
    {
        return injector().getInstance(ArchRegistry.class);
    }

    public static Injector machineInjector(MachineConfig config)
    {
        return injector().createChildInjector(new MachineModule(config));
    }

    public static Machine build(MachineConfig config)
    {
        return machineInjector(config).getInstance(Machine.class);
    }

    public static Machine build(String arch, int ncpu, long memBytes)
    {
        return build(MachineConfig.of(arch, ncpu, memBytes));
    }

    public static Machine build(String arch, int ncpu, long memBytes, Map<String, String> options, Set<String> injects)
    {
        return build(MachineConfig.of(arch, ncpu, memBytes).withArchOptions(options).withInjects(injects));
    }
}
