package dev.fugu.cli;

import dev.fugu.kernel.boot.ConfigException;
import dev.fugu.kernel.check.KernelPanic;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * How fugu reports what goes wrong: one line naming the bad flag or value (exit 2), a
 * {@code panic:} report for a violated kernel invariant (exit 3), never a Java stack trace unless
 * {@code FUGU_DEBUG} is set.
 */
final class Errors
{
    static final int USAGE = CommandLine.ExitCode.USAGE;
    static final int PANIC = 3;

    private Errors()
    {
    }

    static final class UsageErrorHandler
            implements IParameterExceptionHandler
    {
        @Override
        public int handleParseException(ParameterException e, String[] args)
        {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(oneLine(name + ": " + e.getMessage()) + " (see '" + name + " --help')");
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    static final class ExecutionErrorHandler
            implements IExecutionExceptionHandler
    {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult)
        {
            PrintWriter err = cmd.getErr();
            if (e instanceof ConfigException config) {
                err.println("fugu: " + oneLine(config.getMessage()));
                return USAGE;
            }
            if (e instanceof UsageException usage) {
                err.println(usage.location() + oneLine(usage.getMessage()));
                return USAGE;
            }
            if (e instanceof KernelPanic panic) {
                err.println("panic: " + oneLine(panic.getMessage()));
                return PANIC;
            }
            err.println("fugu: internal error: " + oneLine(String.valueOf(e)) + " (set FUGU_DEBUG=1 for a stack trace)");
            if (System.getenv("FUGU_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    static String oneLine(String message)
    {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
