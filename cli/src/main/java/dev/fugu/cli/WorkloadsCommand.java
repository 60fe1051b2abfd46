package dev.fugu.cli;

import dev.fugu.kernel.workload.BuiltinWorkload;
import dev.fugu.kernel.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code fugu workloads}: the built-in workloads, or one of them in full.
 */
@Command(name = "workloads",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = "List the built-in workloads, or print one with --show (they are written in the workload language).",
        footerHeading = "%nExamples:%n",
        footer = {
                "  fugu workloads",
                "  fugu workloads --show configure",
                "  fugu workloads --show make-kernel > my-build.fw   # a starting point for your own",
        })
public final class WorkloadsCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--show", paramLabel = "NAME", description = "Print the built-in NAME's source.")
    String show;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        if (show != null) {
            String source = Workloads.builtinSource(show)
                    .orElseThrow(() -> new UsageException("--show: no built-in workload '" + show + "' (built-ins: "
                            + String.join(", ", Workloads.BUILTINS) + ")"));
            out.print(source);
            out.flush();
            return 0;
        }
        for (BuiltinWorkload workload : Workloads.builtins()) {
            String parameters = workload.parameters().isEmpty() ? "" : "  [" + workload.parameters().entrySet().stream()
                    .map(Map.Entry::getKey).map(key -> "--" + key).collect(Collectors.joining(", ")) + "]";
            out.printf(Locale.ROOT, "%-13s %s%s%n", workload.name(), workload.description(), parameters);
        }
        out.flush();
        return 0;
    }
}
