package dev.fugu.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs {@code fugu} in-process and captures what it printed.
 */
record CliRun(int exitCode, String out, String err)
{
    static CliRun of(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Fugu.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
