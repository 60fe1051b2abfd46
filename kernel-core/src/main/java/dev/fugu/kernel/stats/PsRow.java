package dev.fugu.kernel.stats;

/**
 * One line of {@code ps}: PID PPID STAT THR RSS TIME COMMAND.
 *
 * @param stat O on a CPU, R runnable, S sleeping, T stopped, E exiting, Z zombie
 * @param threads threads in ps_threads (0 for a zombie)
 * @param rssKb resident user memory in KB
 * @param timeUs user and system time in simulated microseconds
 */
public record PsRow(int pid, int ppid, String stat, int threads, long rssKb, long timeUs, String command)
{
}
