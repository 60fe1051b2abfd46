package dev.fugu.cli;

import dev.fugu.kernel.Version;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code fugu --version}: the build's version, git commit and build time (resources written at
 * build time: fugu-build.properties by Maven filtering, fugu-git.properties from
 * {@code git describe}), and the JVM it runs on.
 */
public final class FuguVersion
        implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        Properties build = load("/fugu-build.properties");
        Properties git = load("/fugu-git.properties");
        String version = build.getProperty("version", Version.text());
        return new String[] {
                "fugu " + version,
                "commit " + git.getProperty("commit", "unknown") + ", built " + build.getProperty("build.time", "unknown"),
                "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        };
    }

    private static Properties load(String resource)
    {
        Properties properties = new Properties();
        try (InputStream in = FuguVersion.class.getResourceAsStream(resource)) {
            if (in != null) {
                properties.load(in);
            }
        }
        catch (IOException e) {
            // a build without the file still prints a version
        }
        return properties;
    }
}
