package dev.fugu.kernel.md;

import com.google.inject.Module;

import java.util.List;
import java.util.Set;

/**
 * One architecture plug-in, found with {@link java.util.ServiceLoader} and bound by {@link #name()}
 * into Guice's {@code MapBinder<String, ArchPlugin>} by the module {@link #module()} returns.
 *
 * <p>A plug-in is stateless: {@link #create(MachineContext)} builds the machine-dependent half of
 * one simulated machine.
 */
public interface ArchPlugin
{
    /** The name users select with {@code --arch}, e.g. {@code amd64}. */
    String name();

    /** One line for {@code fugu archs}. */
    String description();

    /** The {@code --arch-opt} options this plug-in accepts. */
    List<ArchOption> options();

    /** MAXCPUS and the largest physical memory, as the OpenBSD port has them. */
    ArchLimits limits();

    /** Page size, paging levels and clock rate when no option changes them. */
    ArchDefaults defaults();

    /** The cost table with no {@code --cost} overrides applied. */
    CostTable defaultCosts();

    /**
     * Names of the machine-dependent bugs this plug-in can turn back on for {@code --inject}
     * (for example {@code stale-ci-proc-pmap} on amd64). Machine-independent injects are not listed.
     */
    Set<String> injects();

    /** The Guice module that binds this plug-in into the arch {@code MapBinder} under {@link #name()}. */
    Module module();

    /**
     * Builds the machine-dependent half of one machine. The context has been validated against
     * {@link #limits()} and {@link #options()}.
     */
    MachineDependent create(MachineContext context);
}
