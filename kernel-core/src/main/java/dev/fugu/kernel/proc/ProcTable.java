package dev.fugu.kernel.proc;

import dev.fugu.kernel.sim.SimRandom;

import java.util.List;

/**
 * The kernel's process table: pid allocation (allocpid/freepid in sys/kern/kern_fork.c and
 * kern_exit.c), the allprocess and zombprocess lists, and the maxproc limit.
 *
 * <p>OpenBSD picks pids at random in [2, PID_MAX] and does not reuse one of the last
 * {@value #NUM_OLDPIDS} freed pids; the random choice comes from the run's seed.
 */
public final class ProcTable
{
    public static final int PID_MAX = 99_999;
    public static final int NUM_OLDPIDS = 128;

    private final KProcess[] byPid = new KProcess[PID_MAX + 1];
    private final int[] oldpids = new int[NUM_OLDPIDS];
    // allocpid()'s test as one bit per pid: held by a process, or in oldpids. 12.5 KB stays in
    // cache where byPid (400 KB) would miss on every random probe. A pid can be in oldpids only
    // once (it is not reused while there), except 0, which the ring starts with and no process
    // ever gets from allocpid().
    private final long[] taken = new long[(PID_MAX >> 6) + 1];
    private int oldpidIndex;
    private final SimRandom random;
    private final int maxproc;
    /** allprocess: live processes; zombprocess: exited ones not yet reaped. */
    private final ProcList allprocess = new ProcList();
    private final ProcList zombprocess = new ProcList();
    private int nprocesses;
    private long serials;

    public ProcTable(int maxproc, SimRandom random)
    {
        if (maxproc < 1) {
            throw new IllegalArgumentException("maxproc must be positive");
        }
        this.maxproc = maxproc;
        this.random = random;
        take(0);
    }

    /** Creates a process with a fixed pid (proc0, init). */
    public KProcess createFixed(int pid, String command)
    {
        KProcess process = new KProcess(pid, serials++, command);
        byPid[pid] = process;
        take(pid);
        allprocess.add(process);
        nprocesses++;
        return process;
    }

    /**
     * Models the accounting and pid part of fork1(): EAGAIN past maxproc (counted with every
     * process that still holds a pid or a process structure, zombies included).
     *
     * @return the new process, or null for EAGAIN
     */
    public KProcess allocate(String command)
    {
        if (nprocesses >= maxproc) {
            return null;
        }
        int pid = allocpid();
        KProcess process = new KProcess(pid, serials++, command);
        byPid[pid] = process;
        take(pid);
        allprocess.add(process);
        nprocesses++;
        return process;
    }

    /** Models allocpid(): a random free pid that was not freed recently. */
    private int allocpid()
    {
        while (true) {
            int pid = 2 + random.nextInt(PID_MAX - 1);
            if ((taken[pid >> 6] & (1L << pid)) == 0) {
                return pid;
            }
        }
    }

    private void take(int pid)
    {
        taken[pid >> 6] |= 1L << pid;
    }

    /** exit1(): off allprocess, onto zombprocess unless it will never be a zombie. */
    public void toZombieList(KProcess process)
    {
        allprocess.remove(process);
        zombprocess.add(process);
    }

    /** Models freepid() and the end of process_zap(): the pid may be reused, the process is gone. */
    public void free(KProcess process)
    {
        if (byPid[process.pid()] != process) {
            throw new IllegalStateException("pid " + process.pid() + " is not " + process);
        }
        byPid[process.pid()] = null;
        // The pid stays taken while in oldpids; the one it pushes out is free again (allocpid()
        // never handed it out while it was there), but for the 0s the ring starts with.
        int evicted = oldpids[oldpidIndex];
        if (evicted != 0) {
            taken[evicted >> 6] &= ~(1L << evicted);
        }
        oldpids[oldpidIndex] = process.pid();
        oldpidIndex = (oldpidIndex + 1) % NUM_OLDPIDS;
        allprocess.remove(process);
        zombprocess.remove(process);
        nprocesses--;
    }

    public KProcess lookup(int pid)
    {
        return pid < 0 || pid > PID_MAX ? null : byPid[pid];
    }

    public int count()
    {
        return nprocesses;
    }

    public int maxproc()
    {
        return maxproc;
    }

    /** The zombies (zombprocess), in the order they exited. */
    public List<KProcess> zombies()
    {
        return List.copyOf(zombprocess.toList());
    }

    public int zombieCount()
    {
        return zombprocess.size();
    }

    /**
     * Every process holding a pid, live first then zombies, in creation order (live) and exit
     * order (zombies).
     */
    public List<KProcess> all()
    {
        List<KProcess> all = allprocess.toList();
        all.addAll(zombprocess.toList());
        return all;
    }
}
