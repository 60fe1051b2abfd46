package dev.fugu.kernel.testing;

import com.google.inject.Injector;
import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.MachineModule;
import dev.fugu.kernel.boot.Plugins;
import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadParser;

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

    /** A booted-ready kernel for {@code config} running {@code run}. */
    public static Kernel kernel(MachineConfig config, RunConfig run)
    {
        return injector().createChildInjector(new MachineModule(config, run)).getInstance(Kernel.class);
    }

    /** A kernel running {@code source} (a workload program text) under {@code model}. */
    public static Kernel kernel(MachineConfig config, String source, ExitModel model)
    {
        Workload workload;
        try {
            workload = WorkloadParser.parse("test", "test.fw", source);
        }
        catch (dev.fugu.kernel.workload.WorkloadException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        int mhz = registry().get(config.arch()).defaults().clockMhz();
        RunConfig run = RunConfig.of(workload, mhz).withExitModel(model, model == ExitModel.DIRECT ? ExitSwitch.TOIDLE : ExitSwitch.NONE);
        return kernel(config, run);
    }

    /** Boots and runs {@code source}; the summary. */
    public static RunSummary run(MachineConfig config, String source, ExitModel model)
    {
        Kernel kernel = kernel(config, source, model);
        kernel.boot();
        return kernel.run();
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
