package dev.fugu.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Progress of a command that runs many machines. A bar on stderr, once the runs take longer
 * than about two seconds, and only for a person at a terminal: never with {@code --quiet}, when stdin/stdout/stderr is not a console (pipes, tests)
 * or in CI (env {@code CI} set), so logs and captured output stay clean.
 */
interface Progress
        extends AutoCloseable
{
    Progress NONE = new Progress()
    {
        @Override
        public void step(String what)
        {
        }

        @Override
        public void close()
        {
        }
    };

    /** One more machine done; {@code what} names the next one. */
    void step(String what);

    @Override
    void close();

    static Progress create(String task, long total, boolean quiet)
    {
        if (!enabled(quiet, System.console() != null, System.getenv())) {
            return NONE;
        }
        return new Bar(task, total);
    }

    static boolean enabled(boolean quiet, boolean console, Map<String, String> env)
    {
        return !quiet && console && !env.containsKey("CI");
    }

    /**
     * Appears only once the runs have taken {@link #SHOW_AFTER_NANOS} of host time, so quick
     * commands print nothing. Host time is read here, outside any simulation.
     */
    final class Bar
            implements Progress
    {
        static final long SHOW_AFTER_NANOS = 2_000_000_000L;

        private final String task;
        private final long total;
        private final long start = System.nanoTime();
        private long done;
        private ProgressBar bar;

        Bar(String task, long total)
        {
            this.task = requireNonNull(task, "task is null");
            this.total = total;
        }

        @Override
        public void step(String what)
        {
            done++;
            if (bar == null && System.nanoTime() - start >= SHOW_AFTER_NANOS) {
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(200)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .clearDisplayOnFinish()
                        .startsFrom(0, Duration.ofNanos(System.nanoTime() - start))
                        .build();
            }
            if (bar != null) {
                bar.stepTo(done);
                bar.setExtraMessage(what);
            }
        }

        @Override
        public void close()
        {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
