package dev.fugu.kernel.workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A parsed, checked and compiled workload: programs without unknown references or cycles, with
 * an entry program {@code main}. Immutable; one value serves every simulated thread.
 */
public final class Workload
{
    public static final String MAIN = "main";

    private final String name;
    private final String file;
    private final String source;
    private final Optional<String> description;
    private final Map<String, String> parameters;
    private final List<Program> programs;
    private final Map<String, Integer> indexByName;
    private final int main;
    private final int maxLoopDepth;

    Workload(String name, String file, String source, Optional<String> description, Map<String, String> parameters, List<Program> programs)
    {
        this.name = requireNonNull(name, "name is null");
        this.file = requireNonNull(file, "file is null");
        this.source = requireNonNull(source, "source is null");
        this.description = requireNonNull(description, "description is null");
        this.parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
        this.programs = List.copyOf(requireNonNull(programs, "programs is null"));
        Map<String, Integer> index = new HashMap<>();
        int depth = 0;
        for (Program program : this.programs) {
            index.put(program.name(), program.index());
            depth = Math.max(depth, program.loopDepth());
        }
        this.indexByName = Map.copyOf(index);
        Integer mainIndex = indexByName.get(MAIN);
        if (mainIndex == null) {
            throw new IllegalArgumentException("workload has no program " + MAIN);
        }
        this.main = mainIndex;
        this.maxLoopDepth = depth;
    }

    /** The built-in's name, or the file name without {@code .fw}. */
    public String name()
    {
        return name;
    }

    /** The file as errors name it. */
    public String file()
    {
        return file;
    }

    /** The source text as given, before parameter substitution. */
    public String source()
    {
        return source;
    }

    /** The leading {@code # description:} comment, if any. */
    public Optional<String> description()
    {
        return description;
    }

    /** Parameter values used (declared defaults overridden by the caller's values). */
    public Map<String, String> parameters()
    {
        return parameters;
    }

    /** All programs in file order; compiled references are indices into this list. */
    public List<Program> programs()
    {
        return programs;
    }

    public Program program(int index)
    {
        return programs.get(index);
    }

    public OptionalInt programIndex(String programName)
    {
        Integer index = indexByName.get(programName);
        return index == null ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /** Index of {@code proc main}, which runs as a child of init. */
    public int main()
    {
        return main;
    }

    /** The deepest repeat nesting of any program: counter slots a cursor needs. */
    public int maxLoopDepth()
    {
        return maxLoopDepth;
    }

    /**
     * A cursor for a thread starting {@code program} (for {@code main}, a forked child, an exec
     * or a new thread). Ranges are drawn from {@code random}; fixed amounts never draw.
     */
    public WorkloadCursor cursor(int program, RandomGenerator random)
    {
        return new WorkloadCursor(this, program, random);
    }

    /** All programs in canonical source form. */
    public String toSource()
    {
        return programs.stream().map(Program::toSource).collect(Collectors.joining());
    }

    @Override
    public String toString()
    {
        return "Workload{" + name + ", " + programs.size() + " programs}";
    }
}
