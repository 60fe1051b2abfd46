package dev.fugu.kernel.exit;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.check.Checker;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.proc.KProcess;
import dev.fugu.kernel.proc.KThread;
import dev.fugu.kernel.proc.KernelPath;
import dev.fugu.kernel.proc.Priorities;
import dev.fugu.kernel.proc.ProcState;
import dev.fugu.kernel.sched.Cpu;
import dev.fugu.kernel.sched.SwitchCause;
import dev.fugu.kernel.sim.Costs;
import dev.fugu.kernel.stats.Teardown;
import dev.fugu.kernel.sync.WaitChannel;
import dev.fugu.kernel.uvm.Uvm;

import java.util.ArrayDeque;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The exit paths of the three exit models: exit1() (sys/kern/kern_exit.c), what the idle thread
 * does with dead threads (sched_idle() and exit2()), the reaper thread (reaper()), and
 * process_zap()'s part of reaping. DESIGN 2.2 gives the step order of each model.
 */
public final class ExitPaths
{
    public static final int ZAP_DONE = 0;
    public static final int ZAP_WAIT = 1;

    private final Kernel k;
    private final ExitModel model;
    private final ExitSwitch exitSwitch;
    private final Costs costs;
    private final MachineDependent md;
    private final Checker checker;
    private final Uvm uvm;
    private final boolean earlyStackFree;
    /** The global deadproc list the reaper serves (reaper: LIFO, purge: FIFO). */
    private final ArrayDeque<KThread> deadproc = new ArrayDeque<>();
    private final WaitChannel deadprocChannel = new WaitChannel();

    public ExitPaths(Kernel kernel)
    {
        this.k = requireNonNull(kernel, "kernel is null");
        this.model = kernel.runConfig().exitModel();
        this.exitSwitch = kernel.runConfig().exitSwitch();
        this.costs = kernel.costs();
        this.md = kernel.md();
        this.checker = kernel.checker();
        this.uvm = kernel.uvm();
        this.earlyStackFree = kernel.machine().config().injects().contains("early-stack-free");
    }

    /**
     * Models exit1(p, xexit, xsig, flags): {@code threadOnly} is EXIT_THREAD (__threxit, or a
     * thread told to exit by single_thread_set); otherwise EXIT_NORMAL (_exit, or sigexit when
     * {@code xsig} is set).
     */
    public KernelPath exit1(KThread t, int xexit, int xsig, boolean threadOnly)
    {
        return new Exit1(t, xexit, xsig, threadOnly);
    }

    private final class Exit1
            implements KernelPath
    {
        private static final int ENTRY = 0;
        private static final int LOCK = 1;
        private static final int BEGIN = 2;
        private static final int SINGLE = 3;
        private static final int REMOVE = 4;
        private static final int THRDEATH = 5;
        private static final int PROCESS = 6;
        private static final int BORROWED_WAIT = 7;
        private static final int TEARDOWN = 8;
        private static final int RELOCK = 9;
        private static final int DEAD = 10;
        private static final int CPU_EXIT = 11;
        private static final int SWITCH = 12;

        private final KThread t;
        private final KProcess pr;
        private final int xexit;
        private final int xsig;
        private boolean threadOnly;
        private boolean designated;
        private int pc = ENTRY;
        private int savedLock;
        private long entered;

        Exit1(KThread t, int xexit, int xsig, boolean threadOnly)
        {
            this.t = t;
            this.pr = t.process();
            this.xexit = xexit;
            this.xsig = xsig;
            this.threadOnly = threadOnly;
        }

        @Override
        public String name()
        {
            return "exit1";
        }

        @Override
        public Step step()
        {
            int cpu = t.cpu;
            switch (pc) {
                case ENTRY -> {
                    entered = k.now(cpu);
                    costs.charge(cpu, costs.syscall);
                    t.exitSysStart = t.sysCycles;
                    pc = LOCK;
                    return Step.NEXT;
                }
                case LOCK -> {
                    if (!lock(cpu)) {
                        return Step.BLOCKED;
                    }
                    pc = BEGIN;
                    return Step.NEXT;
                }
                case BEGIN -> {
                    begin(cpu);
                    return Step.NEXT;
                }
                case SINGLE -> {
                    // single_thread_set(SINGLE_EXIT) waits until the other threads have left ps_threads.
                    if (pr.threadcnt > 1) {
                        k.sleep(t, pr.threadsChannel, Priorities.PWAIT, "suspend");
                        return Step.BLOCKED;
                    }
                    pc = REMOVE;
                    return Step.NEXT;
                }
                case REMOVE -> {
                    remove(cpu);
                    return Step.NEXT;
                }
                case THRDEATH -> {
                    // "main thread gotta wait because it has the pid" (pre-seed models).
                    if (pr.threadcnt + pr.exitcnt > 1) {
                        k.sleep(t, pr.threadsChannel, Priorities.PWAIT, "thrdeath");
                        return Step.BLOCKED;
                    }
                    pc = PROCESS;
                    return Step.NEXT;
                }
                case PROCESS -> {
                    processWork(cpu);
                    return Step.NEXT;
                }
                case BORROWED_WAIT -> {
                    // The last thread frees its siblings' stacks: they must be off their CPUs. It
                    // sleeps here on pmap_kernel(), so its next switch-in has the kernel's %cr3.
                    for (KThread sibling : pr.deadSiblings) {
                        if (sibling.onCpu) {
                            k.sleep(t, pr.threadsChannel, Priorities.PWAIT, "thrdeath");
                            return Step.BLOCKED;
                        }
                    }
                    pc = TEARDOWN;
                    return Step.NEXT;
                }
                case TEARDOWN -> {
                    if (!amapLock(t, pr)) {
                        return Step.BLOCKED;
                    }
                    teardown(cpu);
                    return Step.NEXT;
                }
                case RELOCK -> {
                    if (!k.klock().enterCount(cpu, Math.max(1, savedLock))) {
                        k.cpu(cpu).spinning = true;
                        return Step.BLOCKED;
                    }
                    pc = DEAD;
                    return Step.NEXT;
                }
                case DEAD -> {
                    return dead(cpu);
                }
                case CPU_EXIT -> {
                    long start = k.now(cpu);
                    md.cpuExit(cpu, t.pcb);
                    // Deactivate the exiting address space before the vmspace is freed.
                    md.pmapDeactivate(cpu, t.pcb);
                    k.trace().phase(cpu, "cpu_exit", start, k.now(cpu), t, "");
                    pc = SWITCH;
                    return Step.NEXT;
                }
                case SWITCH -> {
                    switchAway(cpu);
                    return Step.BLOCKED;
                }
                default -> throw new IllegalStateException("exit1 pc " + pc);
            }
        }

        private boolean lock(int cpu)
        {
            if (k.klock().enter(cpu)) {
                return true;
            }
            k.cpu(cpu).spinning = true;
            return false;
        }

        private void begin(int cpu)
        {
            t.flags |= KThread.P_WEXIT;
            if (pr.threadcnt <= 1) {
                threadOnly = false;
            }
            if (!threadOnly) {
                if (pr.threadcnt > 1) {
                    if (pr.single == null) {
                        singleThreadSet(cpu);
                    }
                    else {
                        // Another thread is already taking the process down: this one just goes.
                        threadOnly = true;
                    }
                }
                if (!threadOnly && !pr.has(KProcess.PS_EXITING)) {
                    pr.flags |= KProcess.PS_EXITING;
                    pr.xexit = xexit;
                    pr.xsig = xsig;
                    pr.exitStart = k.now(cpu);
                }
            }
            pc = model == ExitModel.DIRECT && pr.single == t && pr.threadcnt > 1 ? SINGLE : REMOVE;
        }

        /** Models single_thread_set(p, SINGLE_EXIT): every other thread is told to exit. */
        private void singleThreadSet(int cpu)
        {
            costs.charge(cpu, costs.singleThread);
            pr.single = t;
            pr.flags |= KProcess.PS_SINGLEEXIT;
            if (!pr.has(KProcess.PS_EXITING)) {
                pr.flags |= KProcess.PS_EXITING;
                pr.xexit = xexit;
                pr.xsig = xsig;
                pr.exitStart = k.now(cpu);
            }
            for (KThread other : pr.threads) {
                if (other != t) {
                    other.flags |= KThread.P_SUSPSINGLE;
                    if (k.syscalls().isInterruptibleSleep(other)) {
                        k.unsleep(other, cpu);
                    }
                    else if (other.onCpu) {
                        k.syscalls().interrupt(k.cpu(other.cpu), k.now(cpu));
                    }
                }
            }
        }

        /** Off ps_threads; decides whether this thread does the per-process work. */
        private void remove(int cpu)
        {
            pr.threads.remove(t);
            pr.threadcnt--;
            pr.exitcnt++;
            if (t.has(KThread.P_THREAD)) {
                k.stats().threadsExited++;
            }
            if (model == ExitModel.DIRECT) {
                designated = pr.threadcnt == 0;
                pc = designated ? PROCESS : DEAD;
            }
            else {
                designated = t == pr.mainproc;
                pc = designated ? THRDEATH : DEAD;
            }
            // The thread waiting in single_thread_set or thrdeath re-checks its count.
            k.wakeup(pr.threadsChannel, cpu);
        }

        /** The per-process part of exit1() before the no-sleep point. */
        private void processWork(int cpu)
        {
            costs.charge(cpu, costs.exit1);
            if (pr.parent != null && pr.parent.nocldwait) {
                pr.flags |= KProcess.PS_NOZOMBIE;
            }
            switch (model) {
                case REAPER -> pc = DEAD;
                case PURGE -> {
                    savedLock = k.klock().releaseAll(cpu);
                    long start = k.now(cpu);
                    Teardown ledger = Teardown.of(uvm.uvmPurge(cpu, pr.vmspace));
                    recordTeardown(cpu, start, ledger, "uvm_purge");
                    pc = RELOCK;
                }
                case DIRECT -> {
                    // Borrow proc0's vmspace and pmap_kernel() for the rest of the exit.
                    savedLock = k.klock().releaseAll(cpu);
                    // As exec does: leave the user pmap first, so its teardown needs no shootdown here.
                    md.pmapDeactivate(cpu, t.pcb);
                    md.pmapActivate(cpu, t.pcb, md.pmapKernel(), true);
                    pc = BORROWED_WAIT;
                }
            }
        }

        /** Direct: uvm_exit() without the kernel lock, in parallel, and the siblings' stacks. */
        private void teardown(int cpu)
        {
            long start = k.now(cpu);
            Teardown ledger = Teardown.of(uvm.uvmExit(cpu, pr.vmspace));
            pr.vmspace = null;
            for (KThread sibling : pr.deadSiblings) {
                ledger = ledger.plus(freeStack(cpu, sibling));
            }
            pr.deadSiblings.clear();
            recordTeardown(cpu, start, ledger, "uvm_exit");
            pc = RELOCK;
        }

        /** p_stat = SDEAD: "NOTE: WE ARE NO LONGER ALLOWED TO SLEEP!" */
        private Step dead(int cpu)
        {
            t.stat = ProcState.SDEAD;
            if (!designated) {
                if (model == ExitModel.DIRECT) {
                    pr.deadSiblings.add(t);
                }
                else {
                    // A non-main thread counts itself out and wakes the main thread.
                    pr.exitcnt--;
                    if (pr.threadcnt + pr.exitcnt == 1) {
                        k.wakeup(pr.threadsChannel, cpu);
                    }
                }
                pc = CPU_EXIT;
                return Step.NEXT;
            }
            k.stats().exited++;
            if (!pr.has(KProcess.PS_NOZOMBIE)) {
                k.procs().toZombieList(pr);
            }
            reparentChildren(cpu);
            if (pr.has(KProcess.PS_NOZOMBIE)) {
                // Reparented to init, so the parent's wait4 can return ECHILD.
                KProcess oldParent = pr.parent;
                reparent(pr, k.init());
                k.wakeup(oldParent.waitChannel, cpu);
            }
            if (model == ExitModel.DIRECT) {
                // NOTE_EXIT under kqueue's process-list lock (a mutex since the seed).
                if (!k.kqueues().processExit(t, pr)) {
                    return Step.BLOCKED;
                }
                pr.lastThread = t;
                becomeZombie(cpu, pr);
            }
            pc = CPU_EXIT;
            return Step.NEXT;
        }

        private void reparentChildren(int cpu)
        {
            if (pr.children.isEmpty()) {
                return;
            }
            KProcess init = k.init();
            for (KProcess child : pr.children.toList()) {
                costs.charge(cpu, costs.reparent);
                reparent(child, init);
            }
            k.wakeup(init.waitChannel, cpu);
        }

        private void switchAway(int cpu)
        {
            Cpu c = k.cpu(cpu);
            // tuagg: the thread's times, exit work included, go to the process (wait4's rusage).
            pr.ruUser += t.userCycles;
            pr.ruSys += t.sysCycles;
            if (designated) {
                long exitSys = t.sysCycles - t.exitSysStart;
                pr.exitSysCycles += exitSys;
                k.stats().exitSysCycles += exitSys;
                if (model == ExitModel.DIRECT && earlyStackFree) {
                    // The September 2025 bug: the stack is freed while this thread still runs on it.
                    freeStack(cpu, t);
                }
            }
            k.trace().phase(cpu, "exit1", entered, k.now(cpu), t, designated ? " (process)" : " (thread)");
            // sched_exit(): onto this CPU's deadproc list; the kernel lock goes with the switch.
            c.deadproc.addLast(t);
            k.klock().releaseAll(cpu);
            if (model == ExitModel.DIRECT && exitSwitch == ExitSwitch.MI_SWITCH) {
                k.sched().miSwitch(c, SwitchCause.EXIT);
            }
            else {
                k.sched().toIdle(c, SwitchCause.EXIT);
            }
            afterDeadSwitch(t);
        }
    }

    /**
     * Tearing down anons still shared copy-on-write with the parent takes the parent's amap lock
     * (an rwlock: amap_lock() in sys/uvm/uvm_amap.h). If the parent's faults hold it, the thread
     * sleeps until it is free — for an exiting thread that has borrowed pmap_kernel(), a sleep after
     * which it is switched back in with the kernel's %cr3.
     *
     * @return false if the thread went to sleep (the caller retries)
     */
    private boolean amapLock(KThread thread, KProcess pr)
    {
        KProcess parent = pr.cowParent;
        if (parent == null || parent.vmspace != pr.cowParentVm || parent.vmspace == null) {
            return true;
        }
        int cpu = thread.cpu;
        costs.charge(cpu, costs.rwlock);
        checker.assertwaitok(cpu, thread, "rw_enter(amaplk) in uvm_exit", false);
        long now = k.now(cpu);
        if (parent.amapBusyUntil > now) {
            k.sleepFor(thread, parent.amapLockChannel(), parent.amapBusyUntil - now, Priorities.PVM, "amaplk");
            return false;
        }
        return true;
    }

    /** One exit-path teardown: counted in {@code teardown.*} and shown as a trace phase. */
    private void recordTeardown(int cpu, long start, Teardown ledger, String what)
    {
        long end = k.now(cpu);
        k.stats().teardown(cpu, start, end, ledger);
        k.trace().phase(cpu, what, start, end, ledger, "");
    }

    /** Marks {@code pr} a zombie (or hands a PS_NOZOMBIE process to init), SIGCHLD and wakeup. */
    private void becomeZombie(int cpu, KProcess pr)
    {
        if (!pr.has(KProcess.PS_NOZOMBIE)) {
            pr.flags |= KProcess.PS_ZOMBIE;
            pr.reapable = true;
            costs.charge(cpu, costs.signal);
            k.stats().signalsPosted++;
            k.wakeup(pr.parent.waitChannel, cpu);
        }
        else if (model == ExitModel.DIRECT) {
            // dowait6() after the seed: init reaps PS_NOZOMBIE processes.
            pr.reapable = true;
            k.wakeup(k.init().waitChannel, cpu);
        }
    }

    /** Models process_reparent(): {@code child} moves to {@code parent}'s children. */
    private static void reparent(KProcess child, KProcess parent)
    {
        if (child.parent != null) {
            child.parent.children.remove(child);
            if (child.parent.last == child) {
                child.parent.last = null;
            }
        }
        child.parent = parent;
        parent.children.addFirst(child);
    }

    /** After a dead thread's CPU switched away from it: its siblings' waiter may go on. */
    private void afterDeadSwitch(KThread dead)
    {
        if (model == ExitModel.DIRECT && dead.process().lastThread != dead) {
            k.wakeup(dead.process().threadsChannel, dead.cpu);
        }
    }

    /** Models uvm_uarea_free() (and proc_free()): the thread's kernel stack goes back. */
    private Teardown freeStack(int cpu, KThread thread)
    {
        checker.beforeStackFree(cpu, thread);
        if (thread.stackFreed) {
            return Teardown.NONE;
        }
        thread.stackFreed = true;
        Teardown ledger = Teardown.of(uvm.uareaFree(cpu, thread.uarea));
        thread.uarea = null;
        return ledger;
    }

    /**
     * One step of a CPU's idle thread (sched_idle()): hand the threads that died here on to
     * whoever frees them (exit2() and the reaper, or under direct the stack free itself), then
     * run queued work or halt.
     */
    public void idle(Cpu cpu)
    {
        int id = cpu.id();
        while (!cpu.deadproc.isEmpty()) {
            KThread dead = cpu.deadproc.pollFirst();
            costs.charge(id, costs.exit2);
            if (model == ExitModel.DIRECT) {
                KProcess pr = dead.process();
                if (pr.lastThread == dead && !dead.stackFreed) {
                    long start = k.now(id);
                    Teardown ledger = freeStack(id, dead);
                    recordTeardown(id, start, ledger, "uarea_free (idle)");
                    k.wakeup(dead.offCpuChannel, id);
                }
            }
            else {
                // exit2(): onto the reaper's list (LIFO before the seed, FIFO after).
                if (model == ExitModel.REAPER) {
                    deadproc.addFirst(dead);
                }
                else {
                    deadproc.addLast(dead);
                }
                k.wakeup(deadprocChannel, id);
            }
        }
        if (k.sched().hasWork(cpu)) {
            k.sched().miSwitch(cpu, SwitchCause.IDLE);
        }
        else {
            cpu.halted = true;
        }
    }

    /**
     * Models process_zap()'s wait for the last thread under direct: its stack and struct proc may
     * be freed only once it is off its CPU; wait4 sleeps if it is not.
     */
    public int processZap(KThread waiter, KProcess child)
    {
        KThread last = child.lastThread;
        if (model != ExitModel.DIRECT || last == null || last.stackFreed) {
            return ZAP_DONE;
        }
        int cpu = waiter.cpu;
        if (last.onCpu) {
            k.sleep(waiter, last.offCpuChannel, Priorities.PWAIT, "zapwait");
            return ZAP_WAIT;
        }
        k.cpu(last.cpu).deadproc.remove(last);
        long start = k.now(cpu);
        Teardown ledger = freeStack(cpu, last);
        recordTeardown(cpu, start, ledger, "uarea_free (wait4)");
        return ZAP_DONE;
    }

    /** The reaper kernel thread: models reaper() in sys/kern/kern_exit.c. */
    public KernelPath reaperLoop(KThread reaper)
    {
        return new KernelPath()
        {
            private static final int TAKE = 0;
            private static final int EXIT = 1;
            private static final int LOCK = 2;
            private static final int ZOMBIE = 3;
            private int pc = TAKE;
            private KThread current;

            @Override
            public Step step()
            {
                int cpu = reaper.cpu;
                switch (pc) {
                    case TAKE -> {
                        current = deadproc.pollFirst();
                        if (current == null) {
                            k.sleep(reaper, deadprocChannel, Priorities.PVM, "reaper");
                            return Step.BLOCKED;
                        }
                        costs.charge(cpu, costs.reaper);
                        long start = k.now(cpu);
                        Teardown ledger = freeStack(cpu, current);
                        if (current != current.process().mainproc) {
                            recordTeardown(cpu, start, ledger, "uarea_free (reaper)");
                            return Step.NEXT;
                        }
                        recordTeardown(cpu, start, ledger, "uarea_free (reaper)");
                        pc = EXIT;
                        return Step.NEXT;
                    }
                    case EXIT -> {
                        KProcess pr = current.process();
                        if (!amapLock(reaper, pr)) {
                            return Step.BLOCKED;
                        }
                        long start = k.now(cpu);
                        Teardown ledger = Teardown.of(uvm.uvmExit(cpu, pr.vmspace));
                        pr.vmspace = null;
                        recordTeardown(cpu, start, ledger, "uvm_exit (reaper)");
                        pc = LOCK;
                        return Step.NEXT;
                    }
                    case LOCK -> {
                        if (!k.klock().enter(cpu)) {
                            k.cpu(cpu).spinning = true;
                            return Step.BLOCKED;
                        }
                        pc = ZOMBIE;
                        return Step.NEXT;
                    }
                    case ZOMBIE -> {
                        KProcess pr = current.process();
                        if (!k.kqueues().processExit(reaper, pr)) {
                            return Step.BLOCKED;
                        }
                        if (pr.has(KProcess.PS_NOZOMBIE)) {
                            // process_zap() by the reaper itself.
                            pr.parent.children.remove(pr);
                            k.procs().free(pr);
                            k.stats().zapped++;
                        }
                        else {
                            becomeZombie(cpu, pr);
                        }
                        k.klock().leave(cpu);
                        current = null;
                        pc = TAKE;
                        return Step.NEXT;
                    }
                    default -> throw new IllegalStateException("reaper pc " + pc);
                }
            }

            @Override
            public String name()
            {
                return "reaper";
            }
        };
    }
}
