package dev.fugu.kernel.boot;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.fugu.kernel.md.ArchPlugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the architecture plug-ins on the class path with {@link ServiceLoader} and builds the
 * injector that binds each one, by name, into the arch {@code MapBinder}.
 */
public final class Plugins
{
    private Plugins()
    {
    }

    /** The plug-ins on the class path, sorted by name. */
    public static List<ArchPlugin> discover()
    {
        List<ArchPlugin> found = new ArrayList<>();
        ServiceLoader.load(ArchPlugin.class, Plugins.class.getClassLoader()).forEach(found::add);
        if (found.isEmpty()) {
            throw new IllegalStateException("no service providers of type " + ArchPlugin.class.getName());
        }
        found.sort(Comparator.comparing(ArchPlugin::name));
        return List.copyOf(found);
    }

    /** An injector with every discovered plug-in's module, the kernel's module and {@code extra}. */
    public static Injector createInjector(Module... extra)
    {
        List<Module> modules = new ArrayList<>();
        for (ArchPlugin plugin : discover()) {
            modules.add(plugin.module());
        }
        modules.add(new KernelModule());
        modules.addAll(List.of(extra));
        return Guice.createInjector(modules);
    }
}
