package dev.fugu.cli;

import dev.fugu.kernel.boot.MachineConfig;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line that replays a run: the user's own arguments, with {@code --seed} made explicit.
 */
final class Replay
{
    private Replay()
    {
    }

    static String commandLine(CommandSpec spec, MachineConfig config)
    {
        List<String> words = new ArrayList<>();
        words.add("fugu");
        words.add(spec.name());
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        boolean seedGiven = false;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            seedGiven |= arg.equals("--seed") || arg.startsWith("--seed=");
            words.add(quote(arg));
        }
        if (!seedGiven) {
            words.add("--seed");
            words.add(Long.toString(config.seed()));
        }
        return String.join(" ", words);
    }

    private static String quote(String word)
    {
        return word.matches("[A-Za-z0-9_.,:=/+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
