package dev.fugu.kernel.workload;

import static java.util.Objects.requireNonNull;

/**
 * A workload file that cannot be run. The message is the one line the user sees,
 * {@code file:line:col: detail}, with the 1-based line and column of the offending token.
 */
public final class WorkloadException
        extends Exception
{
    private static final long serialVersionUID = 1;

    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    public WorkloadException(String file, int line, int column, String detail)
    {
        super(requireNonNull(file, "file is null") + ":" + line + ":" + column + ": " + requireNonNull(detail, "detail is null"));
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public WorkloadException(String file, Position position, String detail)
    {
        this(file, requireNonNull(position, "position is null").line(), position.column(), detail);
    }

    public String file()
    {
        return file;
    }

    public int line()
    {
        return line;
    }

    public int column()
    {
        return column;
    }

    /** The message without the {@code file:line:col: } prefix. */
    public String detail()
    {
        return detail;
    }
}
