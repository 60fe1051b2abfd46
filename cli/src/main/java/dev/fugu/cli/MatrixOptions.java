package dev.fugu.cli;

import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.md.ArchOption;
import dev.fugu.kernel.md.ArchPlugin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machines of a matrix (compare, sweep): lists of architectures and CPU counts, and the
 * machine details ({@code --mem --seed --arch-opt --cost --cost-file}) every cell shares.
 */
public final class MatrixOptions
{
    @Option(names = "--arch", paramLabel = "ARCH[,ARCH...]|all", hideParamSyntax = true, defaultValue = MachineConfig.DEFAULT_ARCH, split = ",",
            description = "Architectures, comma-separated, or 'all' for every plug-in found (default: ${DEFAULT-VALUE}).")
    List<String> arches = new ArrayList<>();

    @Option(names = "--ncpu", paramLabel = "N[,N...]", hideParamSyntax = true, defaultValue = "4", split = ",",
            description = "CPU counts, comma-separated, e.g. 1,2,4,8 (default: ${DEFAULT-VALUE}).")
    List<Integer> ncpus = new ArrayList<>();

    @Mixin
    MachineDetailOptions detail;

    /** One cell of the matrix: a machine shape. */
    record Cell(String arch, int ncpu)
    {
        String label()
        {
            return arch + "/" + ncpu;
        }
    }

    /** Every (arch, ncpu), arches in the order given (plug-in name order for 'all'), then CPU counts. */
    List<Cell> cells(ArchRegistry registry)
    {
        List<Cell> cells = new ArrayList<>();
        for (String arch : archNames(registry)) {
            for (int ncpu : cpuCounts()) {
                cells.add(new Cell(arch, ncpu));
            }
        }
        return cells;
    }

    List<String> archNames(ArchRegistry registry)
    {
        Set<String> names = new LinkedHashSet<>();
        for (String arch : arches) {
            String name = arch.trim();
            if (name.equals("all")) {
                names.addAll(registry.names());
            }
            else if (name.isEmpty()) {
                throw new UsageException("--arch: empty architecture name in the list");
            }
            else if (!registry.names().contains(name)) {
                throw new UsageException("--arch: unknown architecture '" + name + "' (known: "
                        + String.join(", ", registry.names()) + ", or all)");
            }
            else {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    List<Integer> cpuCounts()
    {
        Set<Integer> counts = new LinkedHashSet<>(ncpus);
        if (counts.isEmpty()) {
            throw new UsageException("--ncpu needs at least one CPU count");
        }
        return List.copyOf(counts);
    }

    /**
     * The machine of {@code cell} with {@code seed}. With several architectures, an
     * {@code --arch-opt} goes only to the plug-ins that have it (nopae to i386, say); one that
     * no chosen plug-in has is an error.
     */
    MachineConfig config(ArchRegistry registry, Cell cell, long seed)
    {
        MachineConfig config = detail.toConfig(cell.arch(), cell.ncpu(), seed, Set.of());
        List<String> names = archNames(registry);
        if (names.size() == 1) {
            return config;
        }
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, String> option : config.archOptions().entrySet()) {
            boolean anyHasIt = false;
            for (String name : names) {
                boolean has = hasOption(registry.get(name), option.getKey());
                anyHasIt |= has;
                if (has && name.equals(cell.arch())) {
                    kept.put(option.getKey(), option.getValue());
                }
            }
            if (!anyHasIt) {
                throw new UsageException("--arch-opt '" + option.getKey() + "' is not an option of " + String.join(", ", names));
            }
        }
        return new MachineConfig(config.arch(), config.ncpu(), config.memBytes(), config.seed(), kept, config.injects(),
                config.costOverrides());
    }

    private static boolean hasOption(ArchPlugin plugin, String key)
    {
        return plugin.options().stream().map(ArchOption::key).anyMatch(key::equals);
    }

    long seed()
    {
        return detail.seed();
    }
}
