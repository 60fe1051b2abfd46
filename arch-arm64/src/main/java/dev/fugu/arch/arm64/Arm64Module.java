package dev.fugu.arch.arm64;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.MapBinder;
import dev.fugu.kernel.md.ArchPlugin;

/**
 * Binds the arm64 plug-in into the arch {@code MapBinder} under {@value Arm64Plugin#NAME}.
 */
public final class Arm64Module
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        bind(Arm64Plugin.class).in(Scopes.SINGLETON);
        MapBinder.newMapBinder(binder(), String.class, ArchPlugin.class)
                .addBinding(Arm64Plugin.NAME)
                .to(Arm64Plugin.class);
    }
}
