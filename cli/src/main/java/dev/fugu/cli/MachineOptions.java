package dev.fugu.cli;

import dev.fugu.kernel.boot.MachineConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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

    @Option(names = "--inject", paramLabel = "NAME", split = ",",
            description = "Turn a known bug back on so the checker shows it is caught: stale-ci-proc-pmap, kqueue-rwlock, early-stack-free, missed-shootdown, no-assertwaitok.")
    List<String> injects = new ArrayList<>();

    // --mem, --seed, --arch-opt, --cost, --cost-file: shared with compare and sweep
    @Mixin
    MachineDetailOptions detail;

    /** The machine these options describe; values are range-checked later, against the plug-in. */
    public MachineConfig toConfig()
    {
        Set<String> injectNames = new LinkedHashSet<>();
        for (String inject : injects) {
            if (!inject.isBlank()) {
                injectNames.add(inject.trim());
            }
        }
        return detail.toConfig(arch, ncpu, injectNames);
    }
}
