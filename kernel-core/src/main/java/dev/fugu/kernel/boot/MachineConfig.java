package dev.fugu.kernel.boot;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Everything that defines one simulated machine and run, as the command line gave it. Two runs
 * with equal configs give identical results.
 *
 * @param arch plug-in name
 * @param ncpu simulated CPUs
 * @param memBytes physical memory
 * @param seed seeds every random choice in the simulation
 * @param archOptions {@code --arch-opt} values by key (flags map to "")
 * @param injects {@code --inject} bug names
 * @param costOverrides {@code --cost} values by key
 */
public record MachineConfig(
        String arch,
        int ncpu,
        long memBytes,
        long seed,
        Map<String, String> archOptions,
        Set<String> injects,
        Map<String, Long> costOverrides)
{
    public static final String DEFAULT_ARCH = "amd64";
    public static final int DEFAULT_NCPU = 4;
    public static final long DEFAULT_MEM = 1L << 30;
    public static final long DEFAULT_SEED = 1;
    public static final long MIN_MEM = 64L << 20;

    public MachineConfig
    {
        requireNonNull(arch, "arch is null");
        archOptions = java.util.Collections.unmodifiableMap(new TreeMap<>(requireNonNull(archOptions, "archOptions is null")));
        injects = java.util.Collections.unmodifiableSet(new TreeSet<>(requireNonNull(injects, "injects is null")));
        costOverrides = java.util.Collections.unmodifiableMap(new TreeMap<>(requireNonNull(costOverrides, "costOverrides is null")));
    }

    public static MachineConfig defaults()
    {
        return of(DEFAULT_ARCH, DEFAULT_NCPU, DEFAULT_MEM);
    }

    public static MachineConfig of(String arch, int ncpu, long memBytes)
    {
        return new MachineConfig(arch, ncpu, memBytes, DEFAULT_SEED, Map.of(), Set.of(), Map.of());
    }

    public MachineConfig withArchOptions(Map<String, String> options)
    {
        return new MachineConfig(arch, ncpu, memBytes, seed, options, injects, costOverrides);
    }

    public MachineConfig withInjects(Set<String> names)
    {
        return new MachineConfig(arch, ncpu, memBytes, seed, archOptions, names, costOverrides);
    }

    public MachineConfig withSeed(long newSeed)
    {
        return new MachineConfig(arch, ncpu, memBytes, newSeed, archOptions, injects, costOverrides);
    }

    public MachineConfig withMem(long bytes)
    {
        return new MachineConfig(arch, ncpu, bytes, seed, archOptions, injects, costOverrides);
    }

    public MachineConfig withNcpu(int cpus)
    {
        return new MachineConfig(arch, cpus, memBytes, seed, archOptions, injects, costOverrides);
    }

    public MachineConfig withCostOverrides(Map<String, Long> overrides)
    {
        return new MachineConfig(arch, ncpu, memBytes, seed, archOptions, injects, overrides);
    }
}
