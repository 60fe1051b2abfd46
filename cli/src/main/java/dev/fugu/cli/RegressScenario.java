package dev.fugu.cli;

import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadException;
import dev.fugu.kernel.workload.WorkloadParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One regress scenario: a workload file with its {@code expect}s and header lines saying how to
 * run it and what must happen (see docs/regress.md).
 *
 * @param name the file name without {@code .fw}
 * @param description the {@code # description:} line
 * @param options per-scenario flags from {@code # options:} (machine and run options of {@code fugu boot})
 * @param minNcpu {@code # min-ncpu:}; smaller machines skip the scenario
 * @param expectedPanic {@code # expect-panic: INVARIANT [MODEL,...]}: the invariant that must be violated
 * @param panicModels the exit models under which the panic must happen; under the others the run must be clean
 * @param source the workload text
 */
record RegressScenario(
        String name,
        String description,
        List<String> options,
        int minNcpu,
        Optional<String> expectedPanic,
        Set<ExitModel> panicModels,
        String source)
{
    static final String RESOURCE_DIRECTORY = "regress/";

    private static final Pattern HEADER = Pattern.compile("\\s*#\\s*(description|options|min-ncpu|expect-panic):\\s*(.*?)\\s*");
    /** Options the test matrix sets; a scenario may not set them itself. */
    private static final Set<String> MATRIX_OPTIONS = Set.of("--arch", "--ncpu", "--exit-model", "--seed", "--workload", "-w");

    RegressScenario
    {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        options = List.copyOf(requireNonNull(options, "options is null"));
        requireNonNull(expectedPanic, "expectedPanic is null");
        panicModels = Set.copyOf(requireNonNull(panicModels, "panicModels is null"));
        requireNonNull(source, "source is null");
    }

    /** The file as workload errors name it. */
    String file()
    {
        return RESOURCE_DIRECTORY + name + ".fw";
    }

    /** Whether this scenario must panic under {@code model}. */
    boolean panicsUnder(ExitModel model)
    {
        return expectedPanic.isPresent() && panicModels.contains(model);
    }

    Workload workload()
            throws WorkloadException
    {
        return WorkloadParser.parse(name, file(), source);
    }

    /** Parses the header lines of {@code source}; a bad header is a {@link UsageException} with file:line:col. */
    static RegressScenario parse(String name, String source)
    {
        String file = RESOURCE_DIRECTORY + name + ".fw";
        String description = null;
        List<String> options = new ArrayList<>();
        int minNcpu = 1;
        Optional<String> panic = Optional.empty();
        Set<ExitModel> panicModels = EnumSet.noneOf(ExitModel.class);
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                break;
            }
            Matcher header = HEADER.matcher(line);
            if (!header.matches()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ":" + (header.start(2) + 1) + ": ";
            String value = header.group(2);
            switch (header.group(1)) {
                case "description" -> description = value;
                case "options" -> {
                    for (String word : value.split("\\s+")) {
                        String flag = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                        if (MATRIX_OPTIONS.contains(flag)) {
                            throw new UsageException(where, "'" + flag + "' is set by 'fugu test', not by a scenario");
                        }
                        if (!word.isEmpty()) {
                            options.add(word);
                        }
                    }
                }
                case "min-ncpu" -> {
                    try {
                        minNcpu = Integer.parseInt(value);
                    }
                    catch (NumberFormatException e) {
                        throw new UsageException(where, "min-ncpu '" + value + "' is not a number");
                    }
                }
                case "expect-panic" -> {
                    String[] words = value.split("\\s+");
                    if (words.length > 2 || words[0].isEmpty()) {
                        throw new UsageException(where, "expected 'expect-panic: INVARIANT [MODEL,...]'");
                    }
                    panic = Optional.of(words[0]);
                    if (words.length == 1) {
                        panicModels = EnumSet.allOf(ExitModel.class);
                    }
                    else {
                        for (String model : words[1].split(",")) {
                            try {
                                panicModels.add(ExitModel.parse(model.toLowerCase(Locale.ROOT)));
                            }
                            catch (IllegalArgumentException e) {
                                throw new UsageException(where, e.getMessage());
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException(header.group(1));
            }
        }
        if (description == null) {
            throw new UsageException(file + ":1:1: ", "no '# description:' line");
        }
        return new RegressScenario(name, description, options, minNcpu, panic, panicModels, source);
    }

    /** The scenarios shipped with fugu, in the order of {@code regress/index.txt}. */
    static List<RegressScenario> builtin()
    {
        List<RegressScenario> scenarios = new ArrayList<>();
        for (String line : resource("index.txt").split("\n")) {
            String name = line.trim();
            if (!name.isEmpty() && !name.startsWith("#")) {
                scenarios.add(parse(name, resource(name + ".fw")));
            }
        }
        return scenarios;
    }

    private static String resource(String name)
    {
        try (InputStream in = RegressScenario.class.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("regress resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
