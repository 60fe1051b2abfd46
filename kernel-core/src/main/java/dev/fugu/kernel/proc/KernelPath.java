package dev.fugu.kernel.proc;

/**
 * A kernel code path a thread is executing (a system call, exit1, the reaper's loop), run one step
 * at a time by the engine. Interrupts, IPIs and preemption take effect only between steps.
 */
public interface KernelPath
{
    /**
     * Runs the next step on the thread's CPU.
     *
     * @return {@link Step#NEXT} to keep going, {@link Step#DONE} when the path has returned to user
     *         mode, {@link Step#BLOCKED} when the thread slept or switched away (the path resumes
     *         where it left off when the thread runs again)
     */
    Step step();

    /** What to show in ps, traces and panics. */
    String name();

    enum Step
    {
        NEXT,
        DONE,
        BLOCKED,
    }
}
