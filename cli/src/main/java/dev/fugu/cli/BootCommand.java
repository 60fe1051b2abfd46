package dev.fugu.cli;

import com.google.inject.Inject;
import com.google.inject.Injector;
import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.MachineModule;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.stats.RunSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code fugu boot}: boots one simulated machine, prints its dmesg and runs it to the end.
 */
@Command(name = "boot",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = "Boot a simulated machine, print its dmesg, run it and print a summary.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu boot                                  # amd64, 4 CPUs, 1G",
                "  fugu boot --arch arm64 --ncpu 8 --mem 2G",
                "  fugu boot --arch i386 --arch-opt nopae --json",
                "  fugu boot --arch amd64 --arch-opt nopcid --seed 7",
                "",
                "Exit status: 0 ok; 2 bad usage; 3 kernel panic (a violated invariant).",
        })
public final class BootCommand
        implements Callable<Integer>
{
    private final Injector injector;

    @Spec
    CommandSpec spec;

    @Mixin
    MachineOptions machine;

    @Option(names = "--json", description = "Print the summary as one JSON object on stdout; the boot log goes to stderr.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the boot log.")
    boolean quiet;

    @Inject
    BootCommand(Injector injector)
    {
        this.injector = requireNonNull(injector, "injector is null");
    }

    @Override
    public Integer call()
    {
        MachineConfig config = machine.toConfig();
        Kernel kernel = injector.createChildInjector(new MachineModule(config)).getInstance(Kernel.class);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter log = json ? err : out;
        try {
            List<String> dmesg = kernel.boot();
            if (!quiet) {
                dmesg.forEach(log::println);
                log.flush();
            }
            RunSummary summary = kernel.run();
            if (json) {
                out.println(SummaryJson.toJson(summary));
            }
            else {
                SummaryText.print(summary, out);
            }
            out.flush();
            return CommandLine.ExitCode.OK;
        }
        catch (KernelPanic panic) {
            err.println("panic: " + panic.invariant() + ": " + Errors.oneLine(panic.detail()));
            err.println("cpu" + panic.cpu() + ", replay with: " + Replay.commandLine(spec, config));
            err.flush();
            return Errors.PANIC;
        }
    }
}
