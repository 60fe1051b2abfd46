package dev.fugu.cli;

import picocli.CommandLine;

/**
 * Entry point of the {@code fugu} command. Only this class calls {@link System#exit}.
 */
public final class Main
{
    private Main()
    {
    }

    public static void main(String[] args)
    {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }

    /** Runs {@code fugu args} and returns its exit code. */
    public static int execute(String... args)
    {
        return Fugu.commandLine().execute(args);
    }
}
