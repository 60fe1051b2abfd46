package dev.fugu.kernel.boot;

import com.google.inject.Inject;
import dev.fugu.kernel.md.ArchLimits;
import dev.fugu.kernel.md.ArchOption;
import dev.fugu.kernel.md.ArchPlugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The architecture plug-ins bound into the injector, by name, and the checks of a
 * {@link MachineConfig} against the chosen one's limits and options.
 */
public final class ArchRegistry
{
    /** Injects implemented by the MI kernel, valid on every architecture. */
    public static final Set<String> MI_INJECTS = Set.of("kqueue-rwlock", "early-stack-free", "no-assertwaitok");

    private final Map<String, ArchPlugin> plugins;

    @Inject
    public ArchRegistry(Map<String, ArchPlugin> plugins)
    {
        this.plugins = new TreeMap<>(requireNonNull(plugins, "plugins is null"));
        if (this.plugins.isEmpty()) {
            throw new IllegalStateException("no architecture plug-ins found");
        }
    }

    public Collection<ArchPlugin> all()
    {
        return plugins.values();
    }

    public List<String> names()
    {
        return List.copyOf(plugins.keySet());
    }

    public ArchPlugin get(String name)
    {
        ArchPlugin plugin = plugins.get(name);
        if (plugin == null) {
            throw new ConfigException("--arch", "unknown architecture '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return plugin;
    }

    /** Checks {@code config} against its plug-in; throws {@link ConfigException} naming the option at fault. */
    public ArchPlugin validate(MachineConfig config)
    {
        ArchPlugin plugin = get(config.arch());
        ArchLimits limits = plugin.limits();
        if (config.ncpu() < 1 || config.ncpu() > limits.maxCpus()) {
            throw new ConfigException("--ncpu", "--ncpu " + config.ncpu() + " is out of range for " + plugin.name()
                    + " (1 to " + limits.maxCpus() + ")");
        }
        if (config.memBytes() < MachineConfig.MIN_MEM || config.memBytes() > limits.maxMemBytes()) {
            throw new ConfigException("--mem", "--mem " + Sizes.format(config.memBytes()) + " is out of range for "
                    + plugin.name() + " (" + Sizes.format(MachineConfig.MIN_MEM) + " to " + Sizes.format(limits.maxMemBytes()) + ")");
        }
        if (config.memBytes() % plugin.defaults().pageSize() != 0) {
            throw new ConfigException("--mem", "--mem " + config.memBytes() + " is not a multiple of the page size ("
                    + plugin.defaults().pageSize() + ")");
        }
        for (Map.Entry<String, String> option : config.archOptions().entrySet()) {
            validateOption(plugin, option.getKey(), option.getValue());
        }
        for (String inject : config.injects()) {
            if (!MI_INJECTS.contains(inject) && !plugin.injects().contains(inject)) {
                List<String> known = new ArrayList<>(MI_INJECTS);
                known.addAll(plugin.injects());
                known.sort(null);
                throw new ConfigException("--inject", "--inject: unknown bug '" + inject + "' for " + plugin.name()
                        + " (known: " + String.join(", ", known) + ")");
            }
        }
        try {
            plugin.defaultCosts().plus(dev.fugu.kernel.sim.MiCosts.table()).plus(dev.fugu.kernel.uvm.UvmCosts.defaultTable())
                    .withOverrides(config.costOverrides());
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException("--cost", e.getMessage() + " for " + plugin.name() + " (see 'fugu archs --costs')");
        }
        return plugin;
    }

    private static void validateOption(ArchPlugin plugin, String key, String value)
    {
        ArchOption option = plugin.options().stream().filter(o -> o.key().equals(key)).findFirst().orElse(null);
        if (option == null) {
            List<String> keys = plugin.options().stream().map(ArchOption::key).toList();
            throw new ConfigException("--arch-opt", "unknown --arch-opt '" + key + "' for " + plugin.name()
                    + (keys.isEmpty() ? " (it takes none)" : " (known: " + String.join(", ", keys) + ")"));
        }
        if (option.isFlag() && !value.isEmpty()) {
            throw new ConfigException("--arch-opt", "--arch-opt " + key + " takes no value");
        }
        if (!option.isFlag() && !option.values().contains(value)) {
            throw new ConfigException("--arch-opt", "--arch-opt " + key + "=" + value + " is not allowed (one of: "
                    + String.join(", ", option.values()) + ")");
        }
    }
}
