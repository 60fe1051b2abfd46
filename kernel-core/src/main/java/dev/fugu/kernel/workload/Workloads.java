package dev.fugu.kernel.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The built-in workloads (resources {@code dev/fugu/kernel/workload/builtin/NAME.fw}) and the
 * {@code --workload NAME|FILE} resolution: a built-in's name, else a path.
 * <p>
 * Parameters fill {@code ${NAME}} placeholders. The caller passes what the command line sets:
 * {@code jobs} (make-kernel; pass ncpu when {@code --jobs} is absent) and {@code scale} (storm).
 * A parameter a workload does not use is ignored.
 */
public final class Workloads
{
    public static final String JOBS = "jobs";
    public static final String SCALE = "scale";

    /** In the order {@code fugu workloads} lists them. */
    public static final List<String> BUILTINS = List.of(
            "configure", "make-kernel", "threads", "orphans", "kqueue-watch", "bigmem", "faults", "storm");

    private static final String RESOURCE_DIRECTORY = "builtin/";

    private Workloads()
    {
    }

    public static boolean isBuiltin(String name)
    {
        return BUILTINS.contains(name);
    }

    /** Every built-in with its description and parameters. */
    public static List<BuiltinWorkload> builtins()
    {
        return BUILTINS.stream()
                .map(name -> {
                    String source = builtinSource(name).orElseThrow();
                    return new BuiltinWorkload(
                            name,
                            WorkloadParser.description(source).orElse(""),
                            WorkloadParser.declaredParameters(source));
                })
                .toList();
    }

    /** The text of a built-in (for {@code fugu workloads --show NAME}). */
    public static Optional<String> builtinSource(String name)
    {
        requireNonNull(name, "name is null");
        if (!isBuiltin(name)) {
            return Optional.empty();
        }
        try (InputStream in = Workloads.class.getResourceAsStream(RESOURCE_DIRECTORY + name + ".fw")) {
            if (in == null) {
                throw new IllegalStateException("built-in workload resource missing: " + name);
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a built-in; errors name the file {@code NAME.fw}. */
    public static Workload loadBuiltin(String name, Map<String, String> parameters)
            throws WorkloadException
    {
        String source = builtinSource(name)
                .orElseThrow(() -> new IllegalArgumentException("no built-in workload " + name + "; built-ins: " + String.join(", ", BUILTINS)));
        return WorkloadParser.parse(name, name + ".fw", source, parameters);
    }

    /** Parses a workload file; errors name it as given. */
    public static Workload loadFile(Path path, Map<String, String> parameters)
            throws WorkloadException, IOException
    {
        requireNonNull(path, "path is null");
        String source = Files.readString(path, StandardCharsets.UTF_8);
        String fileName = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        String name = fileName.endsWith(".fw") ? fileName.substring(0, fileName.length() - 3) : fileName;
        return WorkloadParser.parse(name, path.toString(), source, parameters);
    }

    /**
     * Resolves {@code --workload}: the built-in of that name, else the file at that path.
     *
     * @throws NoSuchFileException when it is neither (its message says so, naming the built-ins)
     */
    public static Workload resolve(String nameOrPath, Map<String, String> parameters)
            throws WorkloadException, IOException
    {
        requireNonNull(nameOrPath, "nameOrPath is null");
        if (isBuiltin(nameOrPath)) {
            return loadBuiltin(nameOrPath, parameters);
        }
        Path path = Path.of(nameOrPath);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(nameOrPath, null, "no such built-in workload (" + String.join(", ", BUILTINS) + ") or file");
        }
        return loadFile(path, parameters);
    }
}
