package dev.fugu.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * The top-level {@code fugu} command: prints usage when given no subcommand.
 */
@Command(name = "fugu",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = {
                "Boots a simulated multi-CPU machine running a model of the OpenBSD kernel's process lifecycle,",
                "with the machine-dependent half plugged in per architecture, and compares exit designs.",
        },
        subcommands = {
                BootCommand.class,
                ArchsCommand.class,
                WorkloadsCommand.class,
                CompareCommand.class,
                SweepCommand.class,
                TestCommand.class,
                FuzzCommand.class,
                BenchCommand.class,
                CompletionCommand.class,
                CommandLine.HelpCommand.class,
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu boot",
                "  fugu boot --arch arm64 --ncpu 8 --mem 2G",
                "  fugu boot --arch i386 --arch-opt nopae --json",
                "  fugu archs --costs",
                "  fugu workloads --show configure",
                "  fugu compare --arch all --ncpu 1,2,4,8 --plot compare.svg",
                "  fugu sweep --arch i386 --ncpu 1,2,4 --seeds 5 --csv sweep.csv",
                "  fugu test --arch all --ncpu 1,4",
                "  fugu fuzz --count 1000 --seed 7",
        })
public final class Fugu
        implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (boot, archs, ...)");
    }

    /** The command line with fugu's factory, exception handlers and exit-code mapping. */
    public static CommandLine commandLine()
    {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err)
    {
        CommandLine commandLine = new CommandLine(new Fugu(), new GuiceFactory());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(new Errors.UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new Errors.ExecutionErrorHandler());
        return commandLine;
    }
}
