package dev.fugu.cli;

import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.Sizes;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The machine options other than which architecture and how many CPUs: memory, seed,
 * architecture options and cost overrides. {@code boot} takes them through {@link MachineOptions};
 * {@code compare} and {@code sweep}, which take lists of architectures and CPU counts, mix them in
 * directly.
 */
public final class MachineDetailOptions
{
    @Option(names = "--mem", paramLabel = "SIZE", defaultValue = "1G", converter = SizeConverter.class,
            description = "Physical memory, e.g. 512M, 2G; at least 64M, at most the architecture's maximum (default: ${DEFAULT-VALUE}).")
    long memBytes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of every random choice in the simulation; same seed, same results (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--arch-opt", paramLabel = "KEY[=VALUE]", split = ",",
            description = "Architecture option, repeatable: amd64 nopcid, i386 nopae, arm64 asid8 ('fugu archs' lists them).")
    List<String> archOpts = new ArrayList<>();

    @Option(names = "--cost", paramLabel = "KEY=CYCLES",
            description = "Override one step's cost in cycles, repeatable ('fugu archs --costs' lists the keys).")
    Map<String, String> costs = new LinkedHashMap<>();

    @Option(names = "--cost-file", paramLabel = "FILE",
            description = "Cost overrides from a properties file (key=cycles per line).")
    Path costFile;

    long seed()
    {
        return seed;
    }

    /** The machine {@code arch} with {@code ncpu} CPUs and these details; range-checked later, against the plug-in. */
    MachineConfig toConfig(String arch, int ncpu, Set<String> injects)
    {
        return toConfig(arch, ncpu, seed, injects);
    }

    MachineConfig toConfig(String arch, int ncpu, long runSeed, Set<String> injects)
    {
        return new MachineConfig(arch, ncpu, memBytes, runSeed, archOptions(), injects, costOverrides());
    }

    /** Architecture options as given: {@code --arch-opt} options of a plug-in that lacks them fail its validation. */
    Map<String, String> archOptions()
    {
        Map<String, String> options = new LinkedHashMap<>();
        for (String opt : archOpts) {
            String trimmed = opt.trim();
            if (trimmed.isEmpty()) {
                throw new UsageException("--arch-opt needs KEY or KEY=VALUE");
            }
            int eq = trimmed.indexOf('=');
            options.put(eq < 0 ? trimmed : trimmed.substring(0, eq), eq < 0 ? "" : trimmed.substring(eq + 1));
        }
        return options;
    }

    private Map<String, Long> costOverrides()
    {
        Map<String, Long> overrides = new LinkedHashMap<>();
        if (costFile != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(costFile)) {
                properties.load(reader);
            }
            catch (NoSuchFileException e) {
                throw new UsageException("--cost-file " + costFile + ": no such file");
            }
            catch (IOException | IllegalArgumentException e) {
                throw new UsageException("--cost-file " + costFile + ": " + e.getMessage());
            }
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                overrides.put(key, cycles("--cost-file " + costFile, key, properties.getProperty(key)));
            }
        }
        for (Map.Entry<String, String> cost : costs.entrySet()) {
            overrides.put(cost.getKey(), cycles("--cost", cost.getKey(), cost.getValue()));
        }
        return overrides;
    }

    private static long cycles(String where, String key, String value)
    {
        try {
            long cycles = Long.parseLong(value.trim());
            if (cycles < 0 || cycles > 1_000_000_000_000L) {
                throw new NumberFormatException();
            }
            return cycles;
        }
        catch (NumberFormatException e) {
            throw new UsageException(where + ": " + key + "=" + value + " is not a cycle count (0 to 10^12)");
        }
    }

    static final class SizeConverter
            implements ITypeConverter<Long>
    {
        @Override
        public Long convert(String value)
        {
            try {
                return Sizes.parse(value);
            }
            catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
