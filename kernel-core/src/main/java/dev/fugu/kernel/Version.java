package dev.fugu.kernel;

/**
 * The build's version, from the jar manifest (Implementation-Version), or "dev" when run from
 * classes.
 */
public final class Version
{
    private Version()
    {
    }

    public static String text()
    {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
