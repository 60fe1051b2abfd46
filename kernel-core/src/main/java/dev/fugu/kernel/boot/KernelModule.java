package dev.fugu.kernel.boot;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.MapBinder;
import dev.fugu.kernel.md.ArchPlugin;

/**
 * Binds what every machine shares: the arch registry over the plug-in {@code MapBinder}. Each
 * machine gets a child injector with a {@link MachineModule}.
 */
public final class KernelModule
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        // Declared here too so that an injector with no plug-in still has the (empty) map.
        MapBinder.newMapBinder(binder(), String.class, ArchPlugin.class);
        bind(ArchRegistry.class).in(Scopes.SINGLETON);
    }
}
