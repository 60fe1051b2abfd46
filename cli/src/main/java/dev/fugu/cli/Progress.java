package dev.fugu.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Progress of a command that runs many machines. A bar on stderr only for a person at a
 * terminal: never with {@code --quiet}, when stdin/stdout/stderr is not a console (pipes, tests)
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
        return new Bar(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .clearDisplayOnFinish()
                .build());
    }

    static boolean enabled(boolean quiet, boolean console, Map<String, String> env)
    {
        return !quiet && console && !env.containsKey("CI");
    }

    final class Bar
            implements Progress
    {
        private final ProgressBar bar;

        Bar(ProgressBar bar)
        {
            this.bar = requireNonNull(bar, "bar is null");
        }

        @Override
        public void step(String what)
        {
            bar.step();
            bar.setExtraMessage(what);
        }

        @Override
        public void close()
        {
            bar.close();
        }
    }
}
