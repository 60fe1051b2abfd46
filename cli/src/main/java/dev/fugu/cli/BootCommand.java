package dev.fugu.cli;

import com.google.inject.Inject;
import com.google.inject.Injector;
import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.ArchRegistry;
import dev.fugu.kernel.boot.MachineModule;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.workload.Workload;
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
                "  fugu boot --workload make-kernel --ncpu 8 --exit-model reaper",
                "  fugu boot --workload my-storm.fw --json --trace out.trace.json",
                "",
                "Exit status: 0 ok; 1 an expect failed or --max-sim-seconds hit; 2 bad usage or workload; 3 kernel panic.",
        })
public final class BootCommand
        implements Callable<Integer>
{
    private final Injector injector;

    @Spec
    CommandSpec spec;

    @Mixin
    MachineOptions machine;

    @Mixin
    RunOptions runOptions;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a Chrome/Perfetto trace of the run (trace-event JSON).")
    java.nio.file.Path traceFile;

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
        ArchPlugin plugin = injector.getInstance(ArchRegistry.class).validate(config);
        Workload workload = runOptions.loadWorkload(config.ncpu());
        RunConfig run = runOptions.toRunConfig(workload, plugin.defaults().clockMhz(), traceFile != null);
        Kernel kernel = injector.createChildInjector(new MachineModule(config, run)).getInstance(Kernel.class);
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
            for (var snapshot : summary.ps()) {
                PsText.print(snapshot, err);
            }
            if (traceFile != null) {
                TraceWriter.write(traceFile, kernel.trace(), summary);
            }
            if (json) {
                out.println(SummaryJson.toJson(summary));
            }
            else {
                SummaryText.print(summary, out);
            }
            out.flush();
            if (summary.stopReason() != null) {
                err.println("fugu: " + summary.stopReason());
                err.flush();
                return 1;
            }
            if (summary.expectsFailed() > 0) {
                summary.expectFailures().forEach(err::println);
                err.println("fugu: " + summary.expectsFailed() + " expect(s) failed");
                err.flush();
                return 1;
            }
            return CommandLine.ExitCode.OK;
        }
        catch (KernelPanic panic) {
            err.println("panic: " + panic.invariant() + ": " + Errors.oneLine(panic.detail()));
            err.println("cpu " + panic.cpu() + ", thread " + kernel.threadOn(panic.cpu()) + ", simulated time "
                    + kernel.now(panic.cpu()) + " cycles (" + String.format(java.util.Locale.ROOT, "%.3f", kernel.now(panic.cpu()) / (double) kernel.md().clockMhz()) + " us)");
            err.println("replay: " + Replay.commandLine(spec, config));
            err.flush();
            return Errors.PANIC;
        }
    }
}
