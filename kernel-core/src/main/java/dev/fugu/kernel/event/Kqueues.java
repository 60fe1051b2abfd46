package dev.fugu.kernel.event;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.proc.KProcess;
import dev.fugu.kernel.proc.KThread;
import dev.fugu.kernel.proc.Priorities;
import dev.fugu.kernel.sim.Costs;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.sync.WaitChannel;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * EVFILT_PROC in sys/kern/kern_event.c: knotes on processes and {@code kqueue_ps_list_lock},
 * the lock that guards every process's klist.
 *
 * <p>Before the seed that lock is an rwlock, which may sleep; the seed makes it a mutex so that
 * knote_processexit() has no sleep point once exit1() has set SDEAD. The {@code kqueue-rwlock}
 * inject turns it back into an rwlock under every model. The lock is held within one step, so it
 * is modelled by the time it is next free: a thread that finds it held spins (mutex) or sleeps
 * until then (rwlock).
 */
public final class Kqueues
{
    private final Kernel k;
    private final Costs costs;
    private final CpuClocks clocks;
    private final boolean rwlock;
    private final boolean assertwaitok;
    private final dev.fugu.kernel.sync.HoldTimeline busy;
    private long acquires;
    private long contended;
    private final WaitChannel channel = new WaitChannel();

    public Kqueues(Kernel kernel)
    {
        this.k = requireNonNull(kernel, "kernel is null");
        this.costs = kernel.costs();
        this.clocks = kernel.clocks();
        var injects = kernel.machine().config().injects();
        this.rwlock = kernel.runConfig().exitModel() != ExitModel.DIRECT || injects.contains("kqueue-rwlock");
        this.assertwaitok = !injects.contains("no-assertwaitok");
        this.busy = new dev.fugu.kernel.sync.HoldTimeline(clocks);
    }

    /**
     * Takes kqueue_ps_list_lock for {@code thread}, charging the acquire and, for a mutex, any
     * spin. An rwlock that is held makes the thread sleep until it is free.
     *
     * @return false if the thread went to sleep (the caller's path must retry)
     */
    private boolean enter(KThread thread, String where, long holdCycles)
    {
        int cpu = thread.cpu;
        long now = clocks.now(cpu);
        long freeAt = busy.freeFrom(now);
        acquires++;
        if (rwlock) {
            // The seed's kern_rwlock.c: assertwaitok() on every rw_enter that may sleep.
            if (assertwaitok) {
                k.checker().assertwaitok(cpu, thread, "rw_enter(kqpsl) in " + where, false);
            }
            costs.charge(cpu, costs.rwlock);
            if (freeAt > now) {
                contended++;
                k.sleepFor(thread, channel, freeAt - now, Priorities.PLOCK, "kqpsl");
                return false;
            }
        }
        else {
            if (freeAt > now) {
                contended++;
                clocks.chargeSpin(cpu, freeAt - now);
            }
            costs.charge(cpu, costs.mutex);
        }
        long start = clocks.now(cpu);
        costs.charge(cpu, holdCycles);
        busy.add(start, clocks.now(cpu));
        return true;
    }

    /** filt_procattach() for each of {@code targets}: ESRCH for one already exiting. */
    public boolean attach(KThread watcher, List<KProcess> targets)
    {
        // One kevent change per target, all under the list lock.
        if (!enter(watcher, "filt_procattach", costs.knote * Math.max(1, targets.size()))) {
            return false;
        }
        KProcess me = watcher.process();
        for (KProcess target : targets) {
            if (target.has(KProcess.PS_EXITING) || target.isZombie() || k.procs().lookup(target.pid()) != target) {
                k.stats().esrch++;
            }
            else if (!target.watchers.contains(me)) {
                target.watchers.add(me);
            }
        }
        return true;
    }

    /** knote_processfork(): every fork takes the list lock to post NOTE_FORK. */
    public void processFork(int cpu, KProcess parent)
    {
        // A forking thread is never SDEAD; if the rwlock is held it spins past (fork1 holds no sleepable state here).
        long now = clocks.now(cpu);
        long freeAt = busy.freeFrom(now);
        acquires++;
        if (freeAt > now) {
            contended++;
            clocks.chargeSpin(cpu, freeAt - now);
        }
        long start = clocks.now(cpu);
        costs.charge(cpu, rwlock ? costs.rwlock : costs.mutex);
        if (!parent.watchers.isEmpty()) {
            costs.charge(cpu, costs.knote);
        }
        busy.add(start, clocks.now(cpu));
    }

    /**
     * knote_processexit(): NOTE_EXIT, with the exit status, to every process watching {@code pr}.
     *
     * @return false if {@code thread} had to sleep for the lock (its path retries)
     */
    public boolean processExit(KThread thread, KProcess pr)
    {
        if (!enter(thread, "knote_processexit", costs.knote)) {
            return false;
        }
        int cpu = thread.cpu;
        for (KProcess watcher : pr.watchers) {
            if (k.procs().lookup(watcher.pid()) == watcher && !watcher.has(KProcess.PS_EXITING)) {
                watcher.keventsPending++;
                k.stats().noteExits++;
                k.wakeup(watcher.keventChannel, cpu);
            }
        }
        pr.watchers.clear();
        return true;
    }

    public long acquires()
    {
        return acquires;
    }

    public long contended()
    {
        return contended;
    }
}
