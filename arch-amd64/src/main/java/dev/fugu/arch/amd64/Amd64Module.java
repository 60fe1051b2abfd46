package dev.fugu.arch.amd64;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.MapBinder;
import dev.fugu.kernel.md.ArchPlugin;

/**
 * Binds the amd64 plug-in into the arch {@code MapBinder} under {@code amd64}.
 */
public final class Amd64Module
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        MapBinder.newMapBinder(binder(), String.class, ArchPlugin.class)
                .addBinding(Amd64Plugin.NAME)
                .to(Amd64Plugin.class)
                .in(Scopes.SINGLETON);
    }
}
