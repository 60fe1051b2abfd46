package dev.fugu.cli;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import dev.fugu.kernel.boot.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Lets picocli build commands through Guice, so they can have the arch registry injected. The
 * injector (and plug-in discovery) is built on first need: {@code fugu --help} does not pay for it.
 */
final class GuiceFactory
        implements IFactory
{
    private Injector injector;

    Injector injector()
    {
        if (injector == null) {
            injector = Plugins.createInjector();
        }
        return injector;
    }

    @Override
    public <K> K create(Class<K> type)
            throws Exception
    {
        if (type.getPackageName().equals(getClass().getPackageName())) {
            try {
                return injector().getInstance(type);
            }
            catch (ConfigurationException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
        return CommandLine.defaultFactory().create(type);
    }
}
