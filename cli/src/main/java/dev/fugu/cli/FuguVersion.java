package dev.fugu.cli;

import dev.fugu.kernel.Version;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code fugu --version}: the build's version from the jar manifest and the JVM it runs on.
 */
public final class FuguVersion
        implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        return new String[] {
                "fugu " + Version.text(),
                "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        };
    }
}
