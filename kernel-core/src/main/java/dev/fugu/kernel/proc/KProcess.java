package dev.fugu.kernel.proc;

import dev.fugu.kernel.sync.WaitChannel;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A process: models {@code struct process} in sys/sys/proc.h. A process keeps its pid from fork
 * until it is reaped (or zapped); its threads are {@link #threads} (ps_threads), its children
 * {@link #children} (ps_children, newest first as LIST_INSERT_HEAD keeps them).
 */
public final class KProcess
{
    public static final int PS_EXITING = 0x8;
    public static final int PS_WAITED = 0x400;
    public static final int PS_SINGLEEXIT = 0x1000;
    public static final int PS_NOZOMBIE = 0x4000;
    public static final int PS_SYSTEM = 0x1_0000;
    public static final int PS_EMBRYO = 0x2_0000;
    public static final int PS_ZOMBIE = 0x4_0000;
    public static final int PS_WAITEVENT = 0x1000_0000;

    private final int pid;
    private final long serial;
    // p_list: the ProcTable list this process is on (allprocess or zombprocess), and its links.
    ProcList list;
    KProcess listPrev;
    KProcess listNext;
    public String command;
    public KProcess parent;
    /** ps_children. */
    public final ChildList children = new ChildList();
    // ps_sibling: the children list this process is on (its parent's), and its links.
    ChildList siblingOf;
    KProcess siblingPrev;
    KProcess siblingNext;
    /** ps_threads, in creation order. */
    public final List<KThread> threads = new ArrayList<>(1);
    /** ps_mainproc: the original thread (reaper and purge models only; the seed removed it). */
    public KThread mainproc;
    public int flags;
    public int threadcnt;
    public int exitcnt;
    /** Thread running single_thread_set(SINGLE_EXIT), or null. */
    public KThread single;
    public int xexit;
    public int xsig;
    /** Set by sigaction(SIGCHLD, SA_NOCLDWAIT) (SAS_NOCLDWAIT in ps_sigacts). */
    public boolean nocldwait;
    /** The vmspace (UVM); null once torn down. */
    public dev.fugu.kernel.uvm.Vmspace vmspace;
    /** Own resource usage when exited (ps_ru), and reaped children's (ps_cru). */
    public long ruUser;
    public long ruSys;
    public long cruUser;
    public long cruSys;
    /** System time charged to this process for its own exit (the seed's extra %sys). */
    public long exitSysCycles;
    /**
     * Copy-on-write sharing with the parent since fork: the parent process and the vmspace it had
     * then. Tearing down anons still shared takes the parent's amap lock.
     */
    public KProcess cowParent;
    public Object cowParentVm;
    /** Simulated time until which this process's amap lock is held (by its own faults). */
    public long amapBusyUntil;
    // The channel of a child waiting for that lock; made when first slept on, as few processes see one.
    private WaitChannel amapLockChannel;
    /** wait4 may reap it: a zombie, or (direct) a PS_NOZOMBIE process handed to init. */
    public boolean reapable;
    /** A terminating signal posted to the process and not yet acted on (0: none). */
    public int pendingSig;
    /** Processes watching this one's exit with EVFILT_PROC NOTE_EXIT (its klist). */
    public final List<KProcess> watchers = new ArrayList<>(0);
    /** The last thread's struct proc, kept until wait4 or the idle thread frees its stack (direct). */
    public KThread lastThread;
    /** Threads whose stacks the last thread must free (direct: the siblings, once off their CPUs). */
    public final List<KThread> deadSiblings = new ArrayList<>(0);
    /** The most recent child created by fork/spawn (the workload's {@code last}). */
    public KProcess last;
    /** Processes whose exit this process watches with EVFILT_PROC (its kqueue's knotes). */
    public int keventsPending;
    /** Simulated time of _exit entry, for exit latency. */
    public long exitStart = -1;
    /** The wait channel a parent sleeps on in wait4 (the process itself in OpenBSD). */
    public final WaitChannel waitChannel = new WaitChannel();
    /** The channel the main thread sleeps on in "thrdeath" (&pr->ps_threads). */
    public final WaitChannel threadsChannel = new WaitChannel();
    public final WaitChannel keventChannel = new WaitChannel();

    public KProcess(int pid, long serial, String command)
    {
        this.pid = pid;
        this.serial = serial;
        this.command = requireNonNull(command, "command is null");
    }

    public int pid()
    {
        return pid;
    }

    /** A number never reused, unlike the pid: orders processes deterministically. */
    public long serial()
    {
        return serial;
    }

    /** The channel a thread sleeps on waiting for this process's amap lock (the rwlock itself in OpenBSD). */
    public WaitChannel amapLockChannel()
    {
        if (amapLockChannel == null) {
            amapLockChannel = new WaitChannel();
        }
        return amapLockChannel;
    }

    public boolean has(int flag)
    {
        return (flags & flag) != 0;
    }

    public boolean isZombie()
    {
        return has(PS_ZOMBIE);
    }

    @Override
    public String toString()
    {
        return command + "[" + pid + "]";
    }
}
