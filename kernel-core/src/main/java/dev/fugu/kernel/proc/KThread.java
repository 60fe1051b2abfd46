package dev.fugu.kernel.proc;

import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.sync.WaitChannel;
import dev.fugu.kernel.workload.WorkloadCursor;

import static java.util.Objects.requireNonNull;

/**
 * A thread: models {@code struct proc} in sys/sys/proc.h. Fields are package-visible to the MI
 * kernel's packages through accessors; the engine mutates them without allocation.
 */
public final class KThread
{
    /** Not the process's first thread (P_THREAD). */
    public static final int P_THREAD = 0x0400_0000;
    /** Exiting (P_WEXIT). */
    public static final int P_WEXIT = 0x2000;
    /** Kernel thread (P_SYSTEM). */
    public static final int P_SYSTEM = 0x200;
    /** Told to exit by single_thread_set(SINGLE_EXIT). */
    public static final int P_SUSPSINGLE = 0x8_0000;

    private final int tid;
    private final KProcess process;
    private final String name;
    public int flags;
    public ProcState stat = ProcState.SIDL;
    /** The CPU this thread last ran on or is queued on (p_cpu). */
    public int cpu;
    /** Scheduling priority 0..127, lower is better (p_runpri). */
    public int runpri;
    /** Priority it returns to in user mode (p_usrpri). */
    public int usrpri = Priorities.PUSER;
    /** Wait channel while sleeping (p_wchan), set and cleared by {@link dev.fugu.kernel.sync.SleepQueues}. */
    public WaitChannel wchan;
    /** The channel whose wakeup says this thread is off its CPU for good (process_zap() waits on it; the thread itself in OpenBSD). */
    public final WaitChannel offCpuChannel = new WaitChannel();
    /**
     * Links on its channel's sleep queue (p_runq in a slpque[] TAILQ): the next sleeper on the
     * same channel (null for the last), and the previous one (the first's is the last; null when
     * not asleep). Kept by {@link dev.fugu.kernel.sync.SleepQueues} alone.
     */
    public KThread sleepNext;
    public KThread sleepPrev;
    /** Counts this thread's sleeps, so a timeout armed for an earlier sleep is recognised as stale. */
    public long sleepGen;
    public String wmesg;
    public Pcb pcb;
    /** Kernel stack frames (the u-area), or null once freed. */
    public dev.fugu.kernel.uvm.Uarea uarea;
    /** The kernel path this thread is in, or null in user mode. */
    public KernelPath path;
    /** What this thread runs in user mode; null for kernel threads. */
    public WorkloadCursor cursor;
    /** Time this thread spent in user mode, in the kernel and spinning (its share of tuagg). */
    public long userCycles;
    public long sysCycles;
    public long spinCycles;
    /** Remaining cycles of a user statement cut by preemption. */
    public long pendingUserCycles;
    /** Pages of the memory statement about to run, and which statement (an Opcode ordinal). */
    public long pendingPages;
    public int pendingOp;
    /** Running on a CPU now (its stack must not be freed). */
    public boolean onCpu;
    /** Kernel-lock recursions given up across a sleep, retaken when the thread runs again. */
    public int klockSaved;
    /** Started by the workload's {@code thread}: ending its program ends only this thread. */
    public boolean startedByThread;
    /** The u-area was freed (by the reaper, the idle thread, the last thread or wait4). */
    public boolean stackFreed;
    /** Results for {@code expect}: the last wait, kevent and fork. */
    public int lastWait = NO_RESULT;
    public int lastWaitValue;
    public long lastEvents = -1;
    public int lastFork = NO_RESULT;
    /** System cycles at exit1() entry: what exit costs the process is measured from here. */
    public long exitSysStart;

    public static final int NO_RESULT = 0;
    public static final int WAIT_EXITED = 1;
    public static final int WAIT_SIGNALED = 2;
    public static final int WAIT_ECHILD = 3;
    public static final int WAIT_NONE = 4;
    public static final int FORK_OK = 1;
    public static final int FORK_EAGAIN = 2;

    public KThread(int tid, KProcess process, String name, int flags)
    {
        this.tid = tid;
        this.process = requireNonNull(process, "process is null");
        this.name = requireNonNull(name, "name is null");
        this.flags = flags;
    }

    public int tid()
    {
        return tid;
    }

    public KProcess process()
    {
        return process;
    }

    public String name()
    {
        return name;
    }

    public boolean isSystem()
    {
        return (flags & P_SYSTEM) != 0;
    }

    public boolean has(int flag)
    {
        return (flags & flag) != 0;
    }

    @Override
    public String toString()
    {
        return name + "[" + process.pid() + "/" + tid + "]";
    }
}
