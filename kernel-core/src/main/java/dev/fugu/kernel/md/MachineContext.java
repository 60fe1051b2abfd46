package dev.fugu.kernel.md;

import java.util.Map;
import java.util.Set;

/**
 * What the machine-independent kernel gives a plug-in when it builds a machine.
 */
public interface MachineContext
{
    /** Number of simulated CPUs, 1 to the plug-in's MAXCPUS. */
    int ncpu();

    /** Physical memory in bytes. */
    long memBytes();

    /** {@code --arch-opt} values by key; a flag maps to the empty string. Validated already. */
    Map<String, String> archOptions();

    default boolean hasOption(String key)
    {
        return archOptions().containsKey(key);
    }

    /** The {@code --inject} names in force (machine-dependent and machine-independent ones). */
    Set<String> injects();

    default boolean injected(String name)
    {
        return injects().contains(name);
    }

    /** The plug-in's cost table with {@code --cost} overrides applied. */
    CostTable costs();

    /** Simulated physical frames: where page tables live. */
    PhysicalMemory physicalMemory();

    /** Where cycles, counters and violations go. */
    MdSink sink();
}
