package dev.fugu.kernel.syscall;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitPaths;
import dev.fugu.kernel.proc.KProcess;
import dev.fugu.kernel.proc.KThread;
import dev.fugu.kernel.proc.KernelPath;
import dev.fugu.kernel.proc.Priorities;
import dev.fugu.kernel.sched.Cpu;
import dev.fugu.kernel.sched.SwitchCause;
import dev.fugu.kernel.sim.Costs;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.workload.ExpectKind;
import dev.fugu.kernel.workload.Opcode;
import dev.fugu.kernel.workload.Signals;
import dev.fugu.kernel.workload.Target;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadCursor;
import dev.fugu.kernel.stats.Teardown;
import dev.fugu.kernel.uvm.ExecResult;
import dev.fugu.kernel.uvm.FaultResult;
import dev.fugu.kernel.uvm.Uarea;
import dev.fugu.kernel.uvm.Uvm;
import dev.fugu.kernel.uvm.Vmspace;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * User mode and the system calls a workload makes: the interpreter step for a thread in user
 * mode, and fork1(), __tfork, execve, wait4/dowait6, kill, sigaction(SA_NOCLDWAIT), kevent
 * EVFILT_PROC and nanosleep as kernel paths (sys/kern/kern_fork.c, kern_exec.c, kern_exit.c,
 * kern_sig.c, kern_event.c, kern_time.c).
 */
public final class Syscalls
{
    private final Kernel k;
    private final Costs costs;
    private final CpuClocks clocks;
    private final Uvm uvm;
    private final Workload workload;

    public Syscalls(Kernel kernel)
    {
        this.k = requireNonNull(kernel, "kernel is null");
        this.costs = kernel.costs();
        this.clocks = kernel.clocks();
        this.uvm = kernel.uvm();
        this.workload = kernel.runConfig().workload();
    }

    private ExitPaths exits()
    {
        return k.exits();
    }

    /**
     * Runs one step of a thread in user mode: the rest of a statement cut by the quantum, or the
     * next statement of its program.
     */
    public void userStep(Cpu cpu, KThread t)
    {
        if (signalPending(t)) {
            return;
        }
        if (cpu.wantResched && !cpu.runq.isEmpty()) {
            k.preempt(cpu, t, SwitchCause.PREEMPT);
            return;
        }
        if (t.pendingUserCycles > 0) {
            compute(cpu, t);
            return;
        }
        if (t.pendingPages > 0) {
            memory(cpu, t);
            return;
        }
        WorkloadCursor cursor = t.cursor;
        Opcode op = cursor.next();
        switch (op) {
            case COMPUTE -> {
                t.pendingUserCycles = k.costs().jitter().apply(cursor.amount());
                compute(cpu, t);
            }
            case TOUCH, READ, WRITE -> {
                t.pendingPages = cursor.amount();
                t.pendingOp = op.ordinal();
                memory(cpu, t);
            }
            case SLEEP -> t.path = new SleepPath(t, cursor.amount());
            case FORK -> t.path = new ForkPath(t, 1, cursor.targetProgram());
            case SPAWN -> t.path = new ForkPath(t, cursor.count(), cursor.targetProgram());
            case EXEC -> t.path = new ExecPath(t, cursor.targetProgram());
            case THREAD -> t.path = new ThreadPath(t, cursor.targetProgram());
            case EXIT -> t.path = exits().exit1(t, cursor.exitCode(), 0, false);
            case TEXIT -> t.path = exits().exit1(t, 0, 0, true);
            case WAIT -> t.path = new WaitPath(t, cursor.nohang(), false);
            case WAITALL -> t.path = new WaitPath(t, false, true);
            case KILL -> kill(cpu, t, cursor.target(), cursor.signal());
            case NOCLDWAIT -> {
                // sigaction(SIGCHLD, {.sa_flags = SA_NOCLDWAIT}) sets SAS_NOCLDWAIT.
                costs.charge(cpu.id(), costs.syscall);
                t.process().nocldwait = true;
            }
            case WATCH -> t.path = new WatchPath(t, cursor.target());
            case KEVENT -> t.path = new KeventPath(t, cursor.count());
            case PS -> k.psSnapshot();
            case EXPECT -> expect(t, cursor.expectKind(), cursor.expectValue());
            case END -> t.path = exits().exit1(t, 0, 0, t.startedByThread);
            default -> throw new IllegalStateException("cursor returned " + op);
        }
    }

    /**
     * The AST check on return to user mode: a terminating signal or single_thread_set(SINGLE_EXIT)
     * turns into exit1() (sigexit / the thread's own exit).
     */
    public boolean signalPending(KThread t)
    {
        if (t.path != null || t.has(KThread.P_WEXIT)) {
            return false;
        }
        KProcess process = t.process();
        if (t.has(KThread.P_SUSPSINGLE)) {
            t.path = exits().exit1(t, 0, 0, true);
            return true;
        }
        if (process.pendingSig != 0) {
            t.path = exits().exit1(t, 0, process.pendingSig, false);
            return true;
        }
        return false;
    }

    /**
     * Starts a user-mode run up to the next roundrobin tick or the end of the computation; the
     * engine ends it (or an interrupt cuts it) later.
     */
    private void compute(Cpu cpu, KThread t)
    {
        int id = cpu.id();
        long now = clocks.now(id);
        long tick = nextTick(cpu, now);
        long run = Math.min(t.pendingUserCycles, tick - now);
        t.pendingUserCycles -= run;
        cpu.userRunStart = now;
        cpu.userRunUntil = now + run;
        cpu.userRunHitsTick = now + run == tick;
    }

    /** The engine reached the end of {@code cpu}'s user run. */
    public void endUserRun(Cpu cpu)
    {
        KThread t = cpu.curthread;
        long ran = cpu.userRunUntil - cpu.userRunStart;
        cpu.userRunUntil = 0;
        clocks.chargeUser(cpu.id(), ran);
        t.userCycles += ran;
        if (cpu.userRunHitsTick) {
            roundrobin(cpu, t);
        }
    }

    /**
     * An interrupt (a signal's IPI, need_resched) reaches {@code cpu} at {@code time}: a user run
     * in progress stops there; the rest of its computation stays pending.
     */
    public void interrupt(Cpu cpu, long time)
    {
        if (cpu.userRunUntil == 0 || time >= cpu.userRunUntil) {
            return;
        }
        KThread t = cpu.curthread;
        long ran = Math.max(0, time - cpu.userRunStart);
        clocks.chargeUser(cpu.id(), ran);
        t.userCycles += ran;
        t.pendingUserCycles += cpu.userRunUntil - cpu.userRunStart - ran;
        cpu.userRunUntil = 0;
    }

    private long nextTick(Cpu cpu, long now)
    {
        if (cpu.nextRoundRobin <= now) {
            long behind = now - cpu.nextRoundRobin;
            cpu.nextRoundRobin += (behind / costs.quantum + 1) * costs.quantum;
        }
        return cpu.nextRoundRobin;
    }

    /** roundrobin(): at the quantum boundary a thread yields to queued work on its CPU. */
    private void roundrobin(Cpu cpu, KThread t)
    {
        cpu.nextRoundRobin += costs.quantum;
        if (!cpu.runq.isEmpty()) {
            k.preempt(cpu, t, SwitchCause.PREEMPT);
        }
    }

    /** touch/read/write: every page through the MMU, faulting as needed, in one step. */
    private void memory(Cpu cpu, KThread t)
    {
        int id = cpu.id();
        Opcode op = Opcode.of(t.pendingOp);
        Vmspace vm = t.process().vmspace;
        long pages = t.pendingPages;
        t.pendingPages = 0;
        long start = clocks.now(id);
        long tick = nextTick(cpu, start);
        FaultResult result = switch (op) {
            case TOUCH -> uvm.touch(id, vm, pages);
            case READ -> uvm.read(id, vm, pages);
            default -> uvm.write(id, vm, pages);
        };
        // The faults held our amap lock until now: a child tearing down anons it shares with us waits.
        t.process().amapBusyUntil = clocks.now(id);
        switch (result) {
            case OOM -> {
                // uvm_fault() failed for want of memory: the process is killed, as UVM does.
                k.stats().oomKills++;
                psignal(id, t.process(), Signals.SIGKILL);
                signalPending(t);
                return;
            }
            case SEGV -> {
                psignal(id, t.process(), SIGSEGV);
                signalPending(t);
                return;
            }
            default -> {
                // NO_SPACE: the heap would run into the stack; brk fails, the program goes on.
            }
        }
        if (clocks.now(id) >= tick) {
            roundrobin(cpu, t);
        }
    }

    private static final int SIGSEGV = 11;

    private void expect(KThread t, ExpectKind kind, long value)
    {
        boolean ok = switch (kind) {
            case EXITED -> t.lastWait == KThread.WAIT_EXITED && t.lastWaitValue == value;
            case SIGNALED -> t.lastWait == KThread.WAIT_SIGNALED && t.lastWaitValue == value;
            case ECHILD -> t.lastWait == KThread.WAIT_ECHILD;
            case NONE -> t.lastWait == KThread.WAIT_NONE;
            case EVENTS -> t.lastEvents == value;
            case EAGAIN -> t.lastFork == KThread.FORK_EAGAIN;
        };
        if (ok) {
            k.stats().expectsPassed++;
            return;
        }
        k.stats().expectsFailed++;
        if (k.stats().expectFailures.size() < 20) {
            String got = switch (kind) {
                case EVENTS -> t.lastEvents < 0 ? "no kevent" : t.lastEvents + " events";
                case EAGAIN -> t.lastFork == KThread.FORK_OK ? "fork succeeded" : "no fork";
                default -> describeWait(t);
            };
            var position = t.cursor.statement().position();
            k.stats().expectFailures.add(workload.file() + ":" + position.line() + ":" + position.column() + ": "
                    + t.cursor.statement().toSource() + " failed in pid " + t.process().pid() + ": got " + got);
        }
    }

    private static String describeWait(KThread t)
    {
        return switch (t.lastWait) {
            case KThread.WAIT_EXITED -> "exited " + t.lastWaitValue;
            case KThread.WAIT_SIGNALED -> "signaled " + Signals.name(t.lastWaitValue);
            case KThread.WAIT_ECHILD -> "echild";
            case KThread.WAIT_NONE -> "none";
            default -> "no wait";
        };
    }

    /** kill(2) of the workload's {@code last} or {@code all} children. */
    private void kill(Cpu cpu, KThread t, Target target, int signal)
    {
        costs.charge(cpu.id(), costs.syscall);
        KProcess me = t.process();
        for (KProcess victim : targets(me, target)) {
            if (!isAlive(victim)) {
                k.stats().esrch++;
                continue;
            }
            psignal(cpu.id(), victim, signal);
        }
    }

    /** The processes {@code last} or {@code all} name, as references (never pid lookups: pids are reused). */
    private List<KProcess> targets(KProcess me, Target target)
    {
        if (target == Target.LAST) {
            return me.last == null ? List.of() : List.of(me.last);
        }
        List<KProcess> live = new ArrayList<>();
        for (KProcess child : me.children) {
            if (isAlive(child)) {
                live.add(child);
            }
        }
        return live;
    }

    /** Not exiting, not a zombie, not reaped. */
    private boolean isAlive(KProcess process)
    {
        return !process.has(KProcess.PS_EXITING) && !process.isZombie() && k.procs().lookup(process.pid()) == process;
    }

    /**
     * Models ptsignal() for a signal whose default action terminates: posted to the process; each
     * thread acts on it at its next return to user mode; interruptible sleeps are cut short.
     */
    public void psignal(int fromCpu, KProcess process, int signal)
    {
        costs.charge(fromCpu, costs.signal);
        k.stats().signalsPosted++;
        if (process.pendingSig == 0) {
            process.pendingSig = signal;
        }
        for (KThread thread : process.threads) {
            if (isInterruptible(thread)) {
                k.unsleep(thread, fromCpu);
            }
            else if (thread.onCpu) {
                // signotify(): an IPI makes the thread notice at once.
                interrupt(k.cpu(thread.cpu), clocks.now(fromCpu));
            }
        }
    }

    private static boolean isInterruptible(KThread thread)
    {
        return thread.wchan != null && thread.path instanceof Interruptible;
    }

    /** True if {@code thread} sleeps where a signal may wake it (PCATCH): wait, kevent, nanosleep. */
    public boolean isInterruptibleSleep(KThread thread)
    {
        return isInterruptible(thread);
    }

    /** A path whose sleep a signal may cut short (PCATCH). */
    interface Interruptible
    {
    }

    /** Takes the kernel lock for a path; false (CPU parked spinning) if another CPU has it. */
    boolean lock(KThread t)
    {
        if (k.klock().enter(t.cpu)) {
            return true;
        }
        k.cpu(t.cpu).spinning = true;
        return false;
    }

    /**
     * A system call as a kernel path: the trap's entry is its first step, then the call's own
     * steps ({@link #call}), numbered from 1 in {@code pc}.
     */
    abstract class SyscallPath
            implements KernelPath
    {
        protected final KThread t;
        protected int pc;

        SyscallPath(KThread t)
        {
            this.t = t;
        }

        @Override
        public final Step step()
        {
            if (pc == 0) {
                costs.charge(t.cpu, costs.syscall);
                pc = 1;
                return Step.NEXT;
            }
            return call();
        }

        protected abstract Step call();
    }

    /**
     * Models fork1() in sys/kern/kern_fork.c for the workload's {@code fork}/{@code spawn}: one
     * child per step, under the kernel lock, EAGAIN past maxproc.
     */
    final class ForkPath
            extends SyscallPath
    {
        private final long count;
        private final int program;
        private long done;
        private boolean failed;

        ForkPath(KThread t, long count, int program)
        {
            super(t);
            this.count = count;
            this.program = program;
        }

        @Override
        protected Step call()
        {
            switch (pc) {
                case 1 -> {
                    if (!lock(t)) {
                        return Step.BLOCKED;
                    }
                    pc = 2;
                    return Step.NEXT;
                }
                case 2 -> {
                    if (fork1(t, program)) {
                        done++;
                    }
                    else {
                        failed = true;
                    }
                    if (failed || done == count) {
                        pc = 3;
                    }
                    return Step.NEXT;
                }
                default -> {
                    k.klock().leave(t.cpu);
                    t.lastFork = failed ? KThread.FORK_EAGAIN : KThread.FORK_OK;
                    return Step.DONE;
                }
            }
        }

        @Override
        public String name()
        {
            return "fork";
        }
    }

    /** One fork: a new process running {@code program} in a copy-on-write copy of the parent's vmspace. */
    private boolean fork1(KThread t, int program)
    {
        int cpu = t.cpu;
        KProcess parent = t.process();
        String command = workload.program(program).name();
        KProcess child = k.procs().allocate(command);
        if (child == null) {
            k.stats().forkEagain++;
            return false;
        }
        costs.charge(cpu, costs.fork1);
        Uarea uarea = uvm.uareaAlloc(cpu).orElse(null);
        if (uarea == null) {
            // ENOMEM: undo, as fork1() does when uvm_uarea_alloc fails.
            k.procs().free(child);
            k.stats().forkEagain++;
            return false;
        }
        Vmspace vm = uvm.uvmspaceFork(cpu, parent.vmspace);
        child.parent = parent;
        child.vmspace = vm;
        child.cowParent = parent;
        child.cowParentVm = parent.vmspace;
        parent.children.addFirst(child);
        parent.last = child;
        KThread ct = k.newThread(child, command, 0, k.md().cpuFork(cpu, t.pcb, vm.pmap(), false));
        ct.uarea = uarea;
        ct.cpu = cpu;
        child.mainproc = ct;
        ct.cursor = workload.cursor(program, k.random().split());
        k.stats().forked++;
        k.stats().maxLive = Math.max(k.stats().maxLive, k.procs().count());
        k.kqueues().processFork(cpu, parent);
        k.sched().setrunqueue(k.sched().choosecpu(ct), ct, Priorities.PUSER, cpu);
        return true;
    }

    /** Models sys___tfork(): another thread in this process, running {@code program}. */
    final class ThreadPath
            extends SyscallPath
    {
        private final int program;

        ThreadPath(KThread t, int program)
        {
            super(t);
            this.program = program;
        }

        @Override
        protected Step call()
        {
            if (pc == 1) {
                if (!lock(t)) {
                    return Step.BLOCKED;
                }
                pc = 2;
            }
            int cpu = t.cpu;
            KProcess process = t.process();
            Uarea uarea = uvm.uareaAlloc(cpu).orElse(null);
            if (uarea != null && !process.has(KProcess.PS_EXITING)) {
                costs.charge(cpu, costs.threadFork);
                KThread nt = k.newThread(process, workload.program(program).name(), KThread.P_THREAD,
                        k.md().cpuFork(cpu, t.pcb, t.pcb.pmap(), false));
                nt.uarea = uarea;
                nt.cpu = cpu;
                nt.startedByThread = true;
                nt.cursor = workload.cursor(program, k.random().split());
                k.stats().threadsCreated++;
                k.sched().setrunqueue(k.sched().choosecpu(nt), nt, Priorities.PUSER, cpu);
            }
            else if (uarea != null) {
                uvm.uareaFree(cpu, uarea);
            }
            k.klock().leave(cpu);
            return Step.DONE;
        }

        @Override
        public String name()
        {
            return "__tfork";
        }
    }

    /**
     * Models sys_execve(): the other threads end first (single_thread_set(SINGLE_UNWIND)), then a
     * new vmspace replaces the old one, whose teardown is counted under {@code exec.*}.
     */
    final class ExecPath
            extends SyscallPath
    {
        private final int program;

        ExecPath(KThread t, int program)
        {
            super(t);
            this.program = program;
        }

        @Override
        protected Step call()
        {
            int cpu = t.cpu;
            KProcess process = t.process();
            switch (pc) {
                case 1 -> {
                    if (!lock(t)) {
                        return Step.BLOCKED;
                    }
                    if (process.threadcnt > 1) {
                        costs.charge(cpu, costs.singleThread);
                        for (KThread other : process.threads) {
                            if (other != t) {
                                other.flags |= KThread.P_SUSPSINGLE;
                                if (isInterruptible(other)) {
                                    k.unsleep(other, cpu);
                                }
                            }
                        }
                    }
                    pc = 2;
                    return Step.NEXT;
                }
                case 2 -> {
                    if (process.threadcnt > 1) {
                        k.sleep(t, process.threadsChannel, Priorities.PWAIT, "execwait");
                        return Step.BLOCKED;
                    }
                    pc = 3;
                    return Step.NEXT;
                }
                case 3 -> {
                    String command = workload.program(program).name();
                    costs.charge(cpu, costs.exec);
                    ExecResult result = uvm.uvmspaceExec(cpu, t.pcb, true, process.vmspace, Kernel.imageOf(command));
                    process.vmspace = result.vmspace();
                    process.cowParent = null;
                    k.stats().execTeardown(Teardown.of(result.oldTeardown()));
                    if (result.populate() == FaultResult.OOM) {
                        k.klock().leave(cpu);
                        k.stats().oomKills++;
                        psignal(cpu, process, Signals.SIGKILL);
                        return Step.DONE;
                    }
                    t.cursor.exec(program);
                    process.command = command;
                    k.klock().leave(cpu);
                    return Step.DONE;
                }
                default -> throw new IllegalStateException("exec pc " + pc);
            }
        }

        @Override
        public String name()
        {
            return "execve";
        }
    }

    /**
     * Models sys_wait4() / dowait6() for pid -1: reap a zombie child, or ECHILD, or with WNOHANG
     * return at once, else sleep until a child changes. {@code all} repeats until ECHILD.
     */
    final class WaitPath
            extends SyscallPath
            implements Interruptible
    {
        private final boolean nohang;
        private final boolean all;

        WaitPath(KThread t, boolean nohang, boolean all)
        {
            super(t);
            this.nohang = nohang;
            this.all = all;
        }

        @Override
        protected Step call()
        {
            if (t.process().pendingSig != 0) {
                return Step.DONE;
            }
            int result = dowait(t, nohang);
            switch (result) {
                case DOWAIT_REAPED -> {
                    return all ? Step.NEXT : Step.DONE;
                }
                case DOWAIT_BLOCKED -> {
                    return Step.BLOCKED;
                }
                case DOWAIT_ECHILD -> {
                    if (!all || t.lastWait == KThread.NO_RESULT) {
                        t.lastWait = KThread.WAIT_ECHILD;
                    }
                    return Step.DONE;
                }
                default -> {
                    t.lastWait = KThread.WAIT_NONE;
                    return Step.DONE;
                }
            }
        }

        @Override
        public String name()
        {
            return "wait4";
        }
    }

    static final int DOWAIT_REAPED = 0;
    static final int DOWAIT_ECHILD = 1;
    static final int DOWAIT_NONE = 2;
    static final int DOWAIT_BLOCKED = 3;

    /** One pass of dowait6() over the caller's children. */
    int dowait(KThread t, boolean nohang)
    {
        int cpu = t.cpu;
        KProcess me = t.process();
        boolean initReapsNozombie = me == k.init() && k.runConfig().exitModel() == ExitModel.DIRECT;
        int found = 0;
        for (KProcess child : me.children) {
            costs.charge(cpu, costs.waitScan);
            if (child.has(KProcess.PS_NOZOMBIE) && !initReapsNozombie) {
                continue;
            }
            found++;
            if (child.reapable) {
                int zap = exits().processZap(t, child);
                if (zap == ExitPaths.ZAP_WAIT) {
                    return DOWAIT_BLOCKED;
                }
                finishWait(t, child);
                return DOWAIT_REAPED;
            }
        }
        if (found == 0) {
            return DOWAIT_ECHILD;
        }
        if (nohang) {
            return DOWAIT_NONE;
        }
        k.sleep(t, me.waitChannel, Priorities.PWAIT, "wait");
        return DOWAIT_BLOCKED;
    }

    /** Models proc_finish_wait(): status and rusage to the waiter, pid freed, process gone. */
    private void finishWait(KThread t, KProcess child)
    {
        int cpu = t.cpu;
        KProcess me = t.process();
        costs.charge(cpu, costs.waitReap);
        if (child.xsig != 0) {
            t.lastWait = KThread.WAIT_SIGNALED;
            t.lastWaitValue = child.xsig;
        }
        else {
            t.lastWait = KThread.WAIT_EXITED;
            t.lastWaitValue = child.xexit;
        }
        me.cruUser += child.ruUser + child.cruUser;
        me.cruSys += child.ruSys + child.cruSys;
        me.children.remove(child);
        if (me.last == child) {
            me.last = null;
        }
        k.procs().free(child);
        k.stats().reaped++;
        if (child.exitStart >= 0) {
            k.stats().exitLatency(Math.max(0, k.now(cpu) - child.exitStart));
        }
    }

    /** EVFILT_PROC NOTE_EXIT on {@code last} or every live child (filt_procattach). */
    final class WatchPath
            extends SyscallPath
    {
        private final Target target;

        WatchPath(KThread t, Target target)
        {
            super(t);
            this.target = target;
        }

        @Override
        protected Step call()
        {
            List<KProcess> victims = targets(t.process(), target);
            if (target == Target.LAST && t.process().last == null) {
                k.stats().esrch++;
            }
            if (!k.kqueues().attach(t, victims)) {
                return Step.BLOCKED;
            }
            return Step.DONE;
        }

        @Override
        public String name()
        {
            return "kevent(EV_ADD)";
        }
    }

    /** kevent(2) waiting for {@code wanted} NOTE_EXIT events. */
    final class KeventPath
            extends SyscallPath
            implements Interruptible
    {
        private final long wanted;

        KeventPath(KThread t, long wanted)
        {
            super(t);
            this.wanted = wanted;
        }

        @Override
        protected Step call()
        {
            KProcess me = t.process();
            if (me.pendingSig != 0) {
                return Step.DONE;
            }
            if (me.keventsPending >= wanted) {
                me.keventsPending -= (int) wanted;
                t.lastEvents = wanted;
                return Step.DONE;
            }
            k.sleep(t, me.keventChannel, Priorities.PSOCK, "kqread");
            return Step.BLOCKED;
        }

        @Override
        public String name()
        {
            return "kevent";
        }
    }

    /** nanosleep(2): sleep for a number of cycles, cut short by a signal. */
    final class SleepPath
            implements KernelPath, Interruptible
    {
        private final KThread t;
        private final long cycles;
        private int pc;

        SleepPath(KThread t, long cycles)
        {
            this.t = t;
            this.cycles = cycles;
        }

        @Override
        public Step step()
        {
            if (pc == 0) {
                costs.charge(t.cpu, costs.syscall);
                pc = 1;
                k.sleepFor(t, k.nowake(), cycles, Priorities.PWAIT, "nanoslp");
                return Step.BLOCKED;
            }
            return Step.DONE;
        }

        @Override
        public String name()
        {
            return "nanosleep";
        }
    }

    /**
     * init(8) after boot: wait4(-1) for ever, reaping orphans and the workload's main; its first
     * ECHILD means the machine has nothing left to do.
     */
    public KernelPath initLoop(KThread init)
    {
        return new KernelPath()
        {
            @Override
            public Step step()
            {
                int result = dowait(init, false);
                if (result == DOWAIT_ECHILD) {
                    k.initDone();
                    k.sleep(init, init.process().waitChannel, Priorities.PWAIT, "wait");
                    return Step.BLOCKED;
                }
                return result == DOWAIT_BLOCKED ? Step.BLOCKED : Step.NEXT;
            }

            @Override
            public String name()
            {
                return "init";
            }
        };
    }

    static void check(boolean condition, String invariant, int cpu, String detail)
    {
        if (!condition) {
            throw new KernelPanic(invariant, cpu, detail);
        }
    }
}
