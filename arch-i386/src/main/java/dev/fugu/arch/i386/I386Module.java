package dev.fugu.arch.i386;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.MapBinder;
import dev.fugu.kernel.md.ArchPlugin;

/**
 * Binds the i386 plug-in into the arch {@code MapBinder} under {@value I386Plugin#NAME}.
 */
public final class I386Module
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        MapBinder.newMapBinder(binder(), String.class, ArchPlugin.class)
                .addBinding(I386Plugin.NAME)
                .to(I386Plugin.class);
        bind(I386Plugin.class).in(Scopes.SINGLETON);
    }
}
