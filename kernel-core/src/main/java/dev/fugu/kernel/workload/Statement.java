package dev.fugu.kernel.workload;

import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One statement of a workload program, as parsed (the AST). The interpreter does not walk these:
 * it runs the compiled form through {@link WorkloadCursor}; the records are for printing, tests
 * and for naming the statement (with its position) in messages.
 */
public sealed interface Statement
        permits Statement.Compute, Statement.Touch, Statement.Read, Statement.Write, Statement.Sleep,
        Statement.Fork, Statement.Spawn, Statement.Exec, Statement.NewThread, Statement.Exit, Statement.Texit,
        Statement.Wait, Statement.WaitAll, Statement.Kill, Statement.NoCldWait, Statement.Watch,
        Statement.Kevent, Statement.Ps, Statement.Repeat, Statement.Expect
{
    /** Where the statement's keyword is. */
    Position position();

    /** The statement in canonical source form (a repeat on several lines, indented by 2). */
    String toSource();

    /** A reference to a program by name, with the position of the name. */
    record ProgramRef(String name, Position position)
    {
        public ProgramRef
        {
            requireNonNull(name, "name is null");
            requireNonNull(position, "position is null");
        }
    }

    /** {@code compute CYCLES}: user-mode cycles, no memory access. */
    record Compute(Amount cycles, Position position)
            implements Statement
    {
        public Compute
        {
            requireNonNull(cycles, "cycles is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "compute " + cycles;
        }
    }

    /** {@code touch PAGES}: fault in new anonymous pages. */
    record Touch(Amount pages, Position position)
            implements Statement
    {
        public Touch
        {
            requireNonNull(pages, "pages is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "touch " + pages;
        }
    }

    /** {@code read PAGES}: read existing pages of the current vmspace. */
    record Read(Amount pages, Position position)
            implements Statement
    {
        public Read
        {
            requireNonNull(pages, "pages is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "read " + pages;
        }
    }

    /** {@code write PAGES}: write existing pages (copy-on-write faults after fork). */
    record Write(Amount pages, Position position)
            implements Statement
    {
        public Write
        {
            requireNonNull(pages, "pages is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "write " + pages;
        }
    }

    /** {@code sleep CYCLES}. */
    record Sleep(Amount cycles, Position position)
            implements Statement
    {
        public Sleep
        {
            requireNonNull(cycles, "cycles is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "sleep " + cycles;
        }
    }

    /** {@code fork PROG}: a child process running PROG from its start. */
    record Fork(ProgramRef program, Position position)
            implements Statement
    {
        public Fork
        {
            requireNonNull(program, "program is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "fork " + program.name();
        }
    }

    /** {@code spawn N PROG}: N forks of PROG. */
    record Spawn(long count, ProgramRef program, Position position)
            implements Statement
    {
        public Spawn
        {
            requireNonNull(program, "program is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "spawn " + count + " " + program.name();
        }
    }

    /** {@code exec PROG}: replace the image (new vmspace) with PROG. */
    record Exec(ProgramRef program, Position position)
            implements Statement
    {
        public Exec
        {
            requireNonNull(program, "program is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "exec " + program.name();
        }
    }

    /** {@code thread PROG}: another thread of this process running PROG. */
    record NewThread(ProgramRef program, Position position)
            implements Statement
    {
        public NewThread
        {
            requireNonNull(program, "program is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "thread " + program.name();
        }
    }

    /** {@code exit CODE}: _exit(CODE), the whole process. */
    record Exit(int code, Position position)
            implements Statement
    {
        public Exit
        {
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "exit " + code;
        }
    }

    /** {@code texit}: __threxit, this thread only. */
    record Texit(Position position)
            implements Statement
    {
        public Texit
        {
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "texit";
        }
    }

    /** {@code wait} / {@code wait nohang}: wait4(-1), optionally WNOHANG. */
    record Wait(boolean nohang, Position position)
            implements Statement
    {
        public Wait
        {
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return nohang ? "wait nohang" : "wait";
        }
    }

    /** {@code waitall}: wait4(-1) until ECHILD. */
    record WaitAll(Position position)
            implements Statement
    {
        public WaitAll
        {
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "waitall";
        }
    }

    /** {@code kill last|all [SIGNAL]}. */
    record Kill(Target target, int signal, Position position)
            implements Statement
    {
        public Kill
        {
            requireNonNull(target, "target is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "kill " + target.keyword() + " " + Signals.name(signal);
        }
    }

    /** {@code nocldwait}: sigaction(SIGCHLD) with SA_NOCLDWAIT. */
    record NoCldWait(Position position)
            implements Statement
    {
        public NoCldWait
        {
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "nocldwait";
        }
    }

    /** {@code watch last|all}: EVFILT_PROC NOTE_EXIT on children. */
    record Watch(Target target, Position position)
            implements Statement
    {
        public Watch
        {
            requireNonNull(target, "target is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "watch " + target.keyword();
        }
    }

    /** {@code kevent N}: block until N events arrived. */
    record Kevent(long count, Position position)
            implements Statement
    {
        public Kevent
        {
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "kevent " + count;
        }
    }

    /** {@code ps}: a process listing snapshot. */
    record Ps(Position position)
            implements Statement
    {
        public Ps
        {
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return "ps";
        }
    }

    /** {@code repeat N { ... }}. */
    record Repeat(long count, List<Statement> body, Position position)
            implements Statement
    {
        public Repeat
        {
            body = List.copyOf(requireNonNull(body, "body is null"));
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            if (body.isEmpty()) {
                return "repeat " + count + " {\n}";
            }
            String inner = body.stream()
                    .map(Statement::toSource)
                    .map(text -> "  " + text.replace("\n", "\n  "))
                    .collect(Collectors.joining("\n"));
            return "repeat " + count + " {\n" + inner + "\n}";
        }
    }

    /** {@code expect KIND [VALUE]}; value is 0 for kinds without an operand. */
    record Expect(ExpectKind kind, long value, Position position)
            implements Statement
    {
        public Expect
        {
            requireNonNull(kind, "kind is null");
            requireNonNull(position, "position is null");
        }

        @Override
        public String toSource()
        {
            return switch (kind) {
                case EXITED, EVENTS -> "expect " + kind.keyword() + " " + value;
                case SIGNALED -> "expect signaled " + Signals.name((int) value);
                default -> "expect " + kind.keyword();
            };
        }
    }
}
