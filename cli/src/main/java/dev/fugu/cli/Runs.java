package dev.fugu.cli;

import com.google.inject.Injector;
import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.MachineModule;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.stats.RunSummary;

import static java.util.Objects.requireNonNull;

/**
 * Boots and runs machines for the commands that run many (compare, sweep, test, bench): one
 * child injector per machine, so each gets its own plug-in instance state.
 */
final class Runs
{
    private final Injector injector;

    Runs(Injector injector)
    {
        this.injector = requireNonNull(injector, "injector is null");
    }

    ArchRegistry registry()
    {
        return injector.getInstance(ArchRegistry.class);
    }

    /** A booted kernel, ready to run. */
    Kernel boot(MachineConfig machine, RunConfig run)
    {
        registry().validate(machine);
        Kernel kernel = injector.createChildInjector(new MachineModule(machine, run)).getInstance(Kernel.class);
        kernel.boot();
        return kernel;
    }

    /** Boots and runs; a kernel panic propagates as {@link dev.fugu.kernel.check.KernelPanic}. */
    RunSummary run(MachineConfig machine, RunConfig run)
    {
        return boot(machine, run).run();
    }
}
