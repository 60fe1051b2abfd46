package dev.fugu.cli;

import com.google.inject.Inject;
import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.Sizes;
import dev.fugu.kernel.md.ArchOption;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.CostTable;
import dev.fugu.kernel.sim.MiCosts;
import dev.fugu.kernel.uvm.UvmCosts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code fugu archs}: the architecture plug-ins found, their limits, options and cost tables.
 */
@Command(name = "archs",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = "List the architecture plug-ins found, their limits, --arch-opt options, injects and (--costs) every cost --cost can override.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu archs",
                "  fugu archs --costs",
                "  fugu archs --costs --arch arm64",
        })
public final class ArchsCommand
        implements Callable<Integer>
{
    private final ArchRegistry registry;

    @Spec
    CommandSpec spec;

    @Option(names = "--costs", description = "Also print each plug-in's cost table (cycles, what, source).")
    boolean costs;

    @Option(names = "--arch", paramLabel = "ARCH", description = "Only this architecture.")
    String arch;

    @Inject
    ArchsCommand(ArchRegistry registry)
    {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        List<ArchPlugin> plugins = arch == null ? List.copyOf(registry.all()) : List.of(registry.get(arch));
        for (ArchPlugin plugin : plugins) {
            out.printf(Locale.ROOT, "%-6s %s%n", plugin.name(), plugin.description());
            out.printf(Locale.ROOT, "       MAXCPUS %d, memory up to %s; page size %d, %d paging levels, %d MHz%n",
                    plugin.limits().maxCpus(), Sizes.format(plugin.limits().maxMemBytes()),
                    plugin.defaults().pageSize(), plugin.defaults().pagingLevels(), plugin.defaults().clockMhz());
            for (ArchOption option : plugin.options()) {
                String usage = option.isFlag() ? option.key() : option.key() + "=" + String.join("|", option.values());
                out.printf(Locale.ROOT, "       --arch-opt %-14s %s%n", usage, option.description());
            }
            if (!plugin.injects().isEmpty()) {
                out.printf(Locale.ROOT, "       --inject %s (and on every arch: %s)%n", String.join(", ", plugin.injects().stream().sorted().toList()),
                        String.join(", ", ArchRegistry.MI_INJECTS.stream().sorted().toList()));
            }
            if (costs) {
                out.printf(Locale.ROOT, "       costs (cycles):%n");
                for (CostEntry entry : plugin.defaultCosts().entries()) {
                    out.printf(Locale.ROOT, "         %-28s %8d  %s [%s]%n", entry.key(), entry.cycles(), entry.description(), entry.source());
                }
            }
            out.println();
        }
        if (costs) {
            out.printf(Locale.ROOT, "machine-independent costs (every arch; cycles):%n");
            CostTable mi = MiCosts.table().plus(UvmCosts.defaultTable());
            for (CostEntry entry : mi.entries()) {
                out.printf(Locale.ROOT, "         %-28s %8d  %s [%s]%n", entry.key(), entry.cycles(), entry.description(), entry.source());
            }
        }
        out.flush();
        return 0;
    }
}
