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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The options that describe one simulated machine, shared by every command that boots one.
 */
public final class MachineOptions
{
    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = MachineConfig.DEFAULT_ARCH,
            description = "Architecture plug-in: amd64, arm64 or i386 (default: ${DEFAULT-VALUE}). 'fugu archs' lists them.")
    String arch;

    @Option(names = "--ncpu", paramLabel = "N", defaultValue = "4",
            description = "Simulated CPUs, 1 to the architecture's MAXCPUS (default: ${DEFAULT-VALUE}).")
    int ncpu;

    @Option(names = "--mem", paramLabel = "SIZE", defaultValue = "1G", converter = SizeConverter.class,
            description = "Physical memory, e.g. 512M, 2G; at least 64M, at most the architecture's maximum (default: ${DEFAULT-VALUE}).")
    long memBytes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of every random choice in the simulation; same seed, same results (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--arch-opt", paramLabel = "KEY[=VALUE]", split = ",",
            description = "Architecture option, repeatable: amd64 nopcid, i386 nopae, arm64 asid8 ('fugu archs' lists them).")
    List<String> archOpts = new ArrayList<>();

    @Option(names = "--inject", paramLabel = "NAME", split = ",",
            description = "Turn a known bug back on so the checker shows it is caught: stale-ci-proc-pmap, kqueue-rwlock, early-stack-free, missed-shootdown, no-assertwaitok.")
    List<String> injects = new ArrayList<>();

    @Option(names = "--cost", paramLabel = "KEY=CYCLES",
            description = "Override one step's cost in cycles, repeatable ('fugu archs --costs' lists the keys).")
    Map<String, String> costs = new LinkedHashMap<>();

    @Option(names = "--cost-file", paramLabel = "FILE",
            description = "Cost overrides from a properties file (key=cycles per line).")
    Path costFile;

    /** The machine these options describe; values are range-checked later, against the plug-in. */
    public MachineConfig toConfig()
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
        Set<String> injectNames = new LinkedHashSet<>();
        for (String inject : injects) {
            if (!inject.isBlank()) {
                injectNames.add(inject.trim());
            }
        }
        return new MachineConfig(arch, ncpu, memBytes, seed, options, injectNames, costOverrides());
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
            for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
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
