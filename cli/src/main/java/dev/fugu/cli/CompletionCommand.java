package dev.fugu.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code fugu completion}: the bash/zsh completion script for every command and option, made by
 * picocli's AutoComplete from the command model, so it never falls behind the options.
 */
@Command(name = "completion",
        aliases = "generate-completion",
        mixinStandardHelpOptions = true,
        versionProvider = FuguVersion.class,
        description = {
                "Print the bash/zsh completion script for fugu.",
                "Run 'source <(fugu completion)' in bash, or save it and source it from ~/.bashrc.",
                "zsh first needs: autoload -U +X compinit && compinit",
                "                 autoload -U +X bashcompinit && bashcompinit",
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  source <(fugu completion)",
                "  fugu completion > ~/.fugu_completion",
                "  echo '. ~/.fugu_completion' >> ~/.bashrc",
        })
public final class CompletionCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        CommandLine root = spec.root().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash(root.getCommandName(), root));
        out.flush();
        return CommandLine.ExitCode.OK;
    }
}
