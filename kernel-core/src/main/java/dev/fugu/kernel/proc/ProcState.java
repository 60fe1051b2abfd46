package dev.fugu.kernel.proc;

/**
 * A thread's p_stat, as sys/sys/proc.h defines it. SZOMB (5) is unused in OpenBSD since zombies
 * became a process flag, so it is absent here.
 */
public enum ProcState
{
    /** Being created by fork. */
    SIDL,
    /** Runnable, on a run queue. */
    SRUN,
    /** Sleeping on a wait channel. */
    SSLEEP,
    /** Stopped. */
    SSTOP,
    /** Almost gone: past exit1()'s no-sleep point. */
    SDEAD,
    /** Running on a CPU. */
    SONPROC,
}
