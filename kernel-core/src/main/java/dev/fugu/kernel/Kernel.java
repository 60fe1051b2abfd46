package dev.fugu.kernel;

import com.google.inject.Inject;
import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.boot.Sizes;
import dev.fugu.kernel.check.Checker;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.event.Kqueues;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitPaths;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.proc.KProcess;
import dev.fugu.kernel.proc.KThread;
import dev.fugu.kernel.proc.KernelPath;
import dev.fugu.kernel.proc.Priorities;
import dev.fugu.kernel.proc.ProcState;
import dev.fugu.kernel.proc.ProcTable;
import dev.fugu.kernel.sched.Cpu;
import dev.fugu.kernel.sched.Scheduler;
import dev.fugu.kernel.sched.SwitchCause;
import dev.fugu.kernel.sim.Costs;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.sim.Jitter;
import dev.fugu.kernel.sim.MiCosts;
import dev.fugu.kernel.sim.SimRandom;
import dev.fugu.kernel.sim.Trace;
import dev.fugu.kernel.stats.PsRow;
import dev.fugu.kernel.stats.RunStats;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.sync.KernelLock;
import dev.fugu.kernel.sync.SleepQueues;
import dev.fugu.kernel.sync.WaitChannel;
import dev.fugu.kernel.syscall.Syscalls;
import dev.fugu.kernel.uvm.ExecImage;
import dev.fugu.kernel.uvm.FaultResult;
import dev.fugu.kernel.uvm.Uarea;
import dev.fugu.kernel.uvm.Uvm;
import dev.fugu.kernel.uvm.Vmspace;
import dev.fugu.kernel.workload.Workload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import static java.util.Objects.requireNonNull;

/**
 * The machine-independent kernel of one simulated machine and the discrete-event engine that runs
 * it. Boots like main() in sys/kern/init_main.c, then runs every CPU step by step, always the one
 * whose clock is earliest (ties by CPU id), until init has no children left.
 *
 * <p>Everything runs on one host thread; the only randomness comes from the run's seed.
 */
public final class Kernel
{
    private final Machine machine;
    private final MachineDependent md;
    private final RunConfig run;
    private final CpuClocks clocks;
    private final Costs costs;
    private final Jitter jitter;
    private final Cpu[] cpus;
    private final Scheduler sched;
    private final KernelLock klock;
    private final SleepQueues sleepq = new SleepQueues();
    private final WaitChannel nowake = new WaitChannel();
    private final ProcTable procs;
    private final Checker checker;
    private final Trace trace;
    private final RunStats stats = new RunStats(this::horizon);
    private final Uvm uvm;
    private final Syscalls syscalls;
    private final ExitPaths exits;
    private final Kqueues kqueues;
    private final SimRandom random;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<List<PsRow>> psSnapshots = new ArrayList<>();
    private final ArrayDeque<Long> psAt;
    private long timerSeq;
    private int nextTid = 100_000;
    private KProcess proc0;
    private KProcess init;
    private KThread reaper;
    private boolean booted;
    private boolean initFinished;
    private String stopReason;
    private long hostNanos;

    /** A thread woken at a simulated time (tsleep timeout). */
    private record Timer(long time, long seq, KThread thread, WaitChannel wchan, long sleepGen) implements Comparable<Timer>
    {
        @Override
        public int compareTo(Timer o)
        {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    @Inject
    public Kernel(Machine machine, RunConfig run)
    {
        this.machine = requireNonNull(machine, "machine is null");
        this.run = requireNonNull(run, "run is null");
        this.md = machine.md();
        MachineConfig config = machine.config();
        this.clocks = machine.stats().clocks();
        this.jitter = machine.jitter();
        this.costs = new Costs(MiCosts.table().withOverrides(miOverrides(config)), md.clockMhz(), clocks, jitter);
        this.cpus = new Cpu[config.ncpu()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new Cpu(i);
        }
        this.checker = new Checker();
        this.trace = new Trace(config.ncpu(), run.trace());
        machine.stats().setTrace(trace);
        this.sched = new Scheduler(cpus, md, clocks, costs, checker, trace);
        this.klock = new KernelLock(clocks, costs, cpu -> cpus[cpu].spinning = false);
        this.random = new SimRandom(config.seed());
        this.procs = new ProcTable(run.maxproc(), random.split());
        this.uvm = machine.uvm();
        this.kqueues = new Kqueues(this);
        this.syscalls = new Syscalls(this);
        this.sched.setInterrupts(syscalls::interrupt);
        this.exits = new ExitPaths(this);
        this.psAt = new ArrayDeque<>(run.psAt().stream().sorted().toList());
        clocks.setHorizon(this::horizon);
    }

    /**
     * The earliest time any CPU can still act: the clocks of the CPUs that are not halted, and the
     * pending timers (a timeout wakes its halted CPU at the timer's time). A halted CPU is woken
     * by setrunqueue at its waker's clock, or by a timer, so its own stale clock does not count.
     */
    private long horizon()
    {
        long earliest = Long.MAX_VALUE;
        for (Cpu cpu : cpus) {
            if (!cpu.halted) {
                earliest = Math.min(earliest, clocks.now(cpu.id()));
            }
        }
        Timer timer = timers.peek();
        if (timer != null) {
            earliest = Math.min(earliest, timer.time());
        }
        return earliest == Long.MAX_VALUE ? clocks.earliest() : earliest;
    }

    private static java.util.Map<String, Long> miOverrides(MachineConfig config)
    {
        java.util.Map<String, Long> mi = new java.util.TreeMap<>();
        config.costOverrides().forEach((key, value) -> {
            if (MiCosts.table().contains(key)) {
                mi.put(key, value);
            }
        });
        return mi;
    }

    /**
     * Models main() in sys/kern/init_main.c: the MD bootstrap and its dmesg, proc0 on
     * pmap_kernel(), an idle thread per CPU, the reaper (unless exits are direct), init (pid 1),
     * and the workload's {@code main} as init's child.
     *
     * @return the boot log, one dmesg line per element
     */
    public List<String> boot()
    {
        if (booted) {
            throw new IllegalStateException("already booted");
        }
        booted = true;
        MachineConfig config = machine.config();
        List<String> log = new ArrayList<>();
        log.add("fugu " + Version.text() + " (GENERIC.MP): simulated OpenBSD process lifecycle on " + md.arch());
        log.addAll(md.boot());
        Pmap kernelPmap = md.pmapKernel();

        proc0 = procs.createFixed(0, "swapper");
        proc0.flags |= KProcess.PS_SYSTEM;
        KThread swapper = newThread(proc0, "swapper", KThread.P_SYSTEM, md.cpuFork(0, null, kernelPmap, true));
        swapper.uarea = uarea(0);
        for (Cpu cpu : cpus) {
            KThread idle = newThread(proc0, "idle" + cpu.id(), KThread.P_SYSTEM, md.cpuFork(cpu.id(), swapper.pcb, kernelPmap, true));
            idle.uarea = uarea(cpu.id());
            idle.cpu = cpu.id();
            idle.runpri = Priorities.MAXPRI;
            cpu.idle = idle;
            cpu.curthread = swapper;
            swapper.stat = ProcState.SONPROC;
            md.cpuSwitchto(cpu.id(), null, idle.pcb);
            idle.stat = ProcState.SONPROC;
            idle.onCpu = true;
            cpu.curthread = idle;
            // The seed varies each CPU's clock-interrupt phase.
            cpu.nextRoundRobin = 1 + random.nextLong(costs.quantum);
        }
        if (run.exitModel() != ExitModel.DIRECT) {
            KProcess reaperProc = procs.allocate("reaper");
            reaperProc.flags |= KProcess.PS_SYSTEM;
            reaperProc.parent = proc0;
            reaper = newThread(reaperProc, "reaper", KThread.P_SYSTEM, md.cpuFork(0, swapper.pcb, kernelPmap, true));
            reaper.uarea = uarea(0);
            reaperProc.mainproc = reaper;
            reaper.path = exits.reaperLoop(reaper);
            reaper.runpri = Priorities.PVM;
            sched.setReaper(reaper);
            sched.setrunqueue(cpus[0], reaper, Priorities.PVM, 0);
        }

        init = procs.createFixed(1, "init");
        init.parent = proc0;
        Vmspace initVm = image(0, "init");
        init.vmspace = initVm;
        KThread initThread = newThread(init, "init", 0, md.cpuFork(0, swapper.pcb, initVm.pmap(), false));
        initThread.uarea = uarea(0);
        init.mainproc = initThread;
        initThread.path = syscalls.initLoop(initThread);
        sched.setrunqueue(cpus[0], initThread, Priorities.PUSER, 0);

        Workload workload = run.workload();
        KProcess main = procs.allocate("main");
        if (main == null) {
            throw new dev.fugu.kernel.boot.ConfigException("--maxproc", "--maxproc " + run.maxproc()
                    + " is too small: the kernel's own processes and the workload's main need " + (procs.count() + 1));
        }
        main.parent = init;
        init.children.addFirst(main);
        Vmspace mainVm = image(0, "main");
        main.vmspace = mainVm;
        KThread mainThread = newThread(main, "main", 0, md.cpuFork(0, initThread.pcb, mainVm.pmap(), false));
        mainThread.uarea = uarea(0);
        main.mainproc = mainThread;
        mainThread.cursor = workload.cursor(workload.main(), random.split());
        stats.forked++;
        stats.maxLive = Math.max(stats.maxLive, procs.count());
        sched.setrunqueue(sched.choosecpu(mainThread), mainThread, Priorities.PUSER, 0);

        log.add("init: pid 1; " + config.ncpu() + " idle threads" + (reaper != null ? ", reaper" : "")
                + "; exit model " + run.exitModel().key()
                + (run.exitModel() == ExitModel.DIRECT ? " (" + run.exitSwitch().key() + ")" : "")
                + "; workload " + workload.name() + "; " + Sizes.format(config.memBytes()));
        return log;
    }

    /** Runs the machine until init has no children left (or the simulated time limit). */
    public RunSummary run()
    {
        if (!booted) {
            throw new IllegalStateException("not booted");
        }
        long start = System.nanoTime();
        try {
            loop();
        }
        finally {
            hostNanos = System.nanoTime() - start;
        }
        if (stopReason == null) {
            shutdownChecks();
        }
        long[] end = new long[cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            end[i] = clocks.now(i);
        }
        trace.finish(end);
        return RunSummary.of(this);
    }

    private void loop()
    {
        // The body is its own method: the JIT compiles a method after a few hundred calls, but a
        // loop only after tens of thousands of iterations (on-stack replacement), so a run's first
        // few thousand lifecycles would go through an interpreted loop.
        while (engineStep()) {
            // every iteration is one step of the machine
        }
    }

    /** Runs the next step of the machine (a CPU's step or a timer); false when the run is over. */
    private boolean engineStep()
    {
        Cpu next = null;
        long nextTime = Long.MAX_VALUE;
        for (Cpu cpu : cpus) {
            long time = cpu.userRunUntil != 0 ? cpu.userRunUntil : clocks.now(cpu.id());
            if (!cpu.halted && !cpu.spinning && time < nextTime) {
                next = cpu;
                nextTime = time;
            }
        }
        Timer timer = timers.peek();
        while (timer != null && isStale(timer)) {
            // Its sleep ended otherwise (a wakeup or a signal): the timeout was cancelled.
            timers.poll();
            timer = timers.peek();
        }
        if (timer != null && timer.time() <= nextTime) {
            if (timer.time() > run.maxSimCycles()) {
                stopAtLimit();
                return false;
            }
            timers.poll();
            jitter.beginStep();
            fireTimer(timer);
            return true;
        }
        if (next == null) {
            if (initFinished) {
                // init has no children and the kernel threads have finished what exits left.
                return false;
            }
            stopReason = "deadlock: every thread is asleep and no timer is pending (" + sleepq.sleeping() + " sleeping)";
            return false;
        }
        if (nextTime > run.maxSimCycles()) {
            stopAtLimit();
            return false;
        }
        while (!psAt.isEmpty() && psAt.peekFirst() <= nextTime) {
            psAt.pollFirst();
            psSnapshots.add(ps());
        }
        jitter.beginStep();
        if (next.userRunUntil != 0) {
            syscalls.endUserRun(next);
        }
        else {
            step(next);
        }
        return true;
    }

    private boolean isStale(Timer timer)
    {
        KThread thread = timer.thread();
        return thread.stat != ProcState.SSLEEP || thread.wchan != timer.wchan() || thread.sleepGen != timer.sleepGen();
    }

    /** The run reached --max-sim-seconds: every CPU is brought to the limit, as idle if it had nothing to do. */
    private void stopAtLimit()
    {
        stopReason = "stopped at --max-sim-seconds: simulated time passed " + run.maxSimCycles() + " cycles";
        for (Cpu cpu : cpus) {
            clocks.idleUntil(cpu.id(), run.maxSimCycles());
        }
    }

    private void fireTimer(Timer timer)
    {
        KThread thread = timer.thread();
        if (thread.stat == ProcState.SSLEEP && sleepq.remove(timer.wchan(), thread)) {
            // The timeout interrupt lands on the CPU the thread slept on.
            int cpu = thread.cpu;
            clocks.idleUntil(cpu, timer.time());
            sched.setrunnable(thread, cpu);
        }
    }

    /** Runs one step on {@code cpu}. */
    private void step(Cpu cpu)
    {
        KThread thread = cpu.curthread;
        int id = cpu.id();
        if (thread.klockSaved > 0) {
            if (!klock.enterCount(id, thread.klockSaved)) {
                cpu.spinning = true;
                return;
            }
            thread.klockSaved = 0;
        }
        if (thread == cpu.idle) {
            exits.idle(cpu);
            return;
        }
        long sys0 = clocks.sys(id);
        long user0 = clocks.user(id);
        long spin0 = clocks.spin(id);
        if (thread.path != null) {
            KernelPath.Step result = thread.path.step();
            if (result == KernelPath.Step.DONE) {
                thread.path = null;
                returnToUser(cpu, thread);
            }
        }
        else {
            syscalls.userStep(cpu, thread);
        }
        thread.sysCycles += clocks.sys(id) - sys0;
        thread.userCycles += clocks.user(id) - user0;
        thread.spinCycles += clocks.spin(id) - spin0;
    }

    /** The return to user mode after a system call: pending signals, then a deferred reschedule. */
    public void returnToUser(Cpu cpu, KThread thread)
    {
        thread.runpri = thread.usrpri;
        if (cpu.curthread != thread) {
            return;
        }
        if (syscalls.signalPending(thread)) {
            return;
        }
        if (cpu.wantResched && !cpu.runq.isEmpty()) {
            preempt(cpu, thread, SwitchCause.PREEMPT);
        }
    }

    /** Models preempt()/yield(): back on this CPU's run queue, then mi_switch. */
    public void preempt(Cpu cpu, KThread thread, SwitchCause cause)
    {
        sched.setrunqueue(cpu, thread, thread.usrpri, cpu.id());
        sched.miSwitch(cpu, cause);
    }

    /**
     * Models sleep_setup()/sleep_finish() on {@code wchan}: the thread gives up the CPU (and the
     * kernel lock, retaken when it runs again) until a wakeup on the channel.
     */
    public void sleep(KThread thread, WaitChannel wchan, int prio, String wmesg)
    {
        Cpu cpu = cpus[thread.cpu];
        checker.beforeSleep(cpu.id(), thread, wmesg, machine.physmem().fpageq().isHeldBy(cpu.id()));
        costs.charge(cpu.id(), costs.sleep);
        thread.sleepGen++;
        thread.wmesg = wmesg;
        thread.runpri = prio;
        thread.stat = ProcState.SSLEEP;
        sleepq.add(wchan, thread);
        thread.klockSaved = klock.releaseAll(cpu.id());
        sched.miSwitch(cpu, SwitchCause.SLEEP);
    }

    /** tsleep with a timeout: also woken when {@code cycles} have passed. */
    public void sleepFor(KThread thread, WaitChannel wchan, long cycles, int prio, String wmesg)
    {
        // The sleep below starts generation sleepGen + 1; a timer of an older sleep is stale.
        timers.add(new Timer(clocks.now(thread.cpu) + cycles, timerSeq++, thread, wchan, thread.sleepGen + 1));
        sleep(thread, wchan, prio, wmesg);
    }

    /**
     * The channel nobody wakes ({@code nowake} in sys/kern/kern_synch.c): nanosleep(2) sleeps on
     * it until its timeout or a signal.
     */
    public WaitChannel nowake()
    {
        return nowake;
    }

    /** Models wakeup(): every thread asleep on {@code wchan} becomes runnable. */
    public void wakeup(WaitChannel wchan, int fromCpu)
    {
        KThread next = sleepq.takeAll(wchan);
        while (next != null) {
            KThread thread = next;
            next = SleepQueues.unlinkNext(thread);
            costs.charge(fromCpu, costs.wakeup);
            sched.setrunnable(thread, fromCpu);
        }
    }

    /** Wakes one sleeping thread early (a signal interrupting an interruptible sleep). */
    public void unsleep(KThread thread, int fromCpu)
    {
        if (thread.stat == ProcState.SSLEEP && sleepq.remove(thread.wchan, thread)) {
            sched.setrunnable(thread, fromCpu);
        }
    }

    /** The u-area of a thread made at boot; there is always memory for those. */
    private Uarea uarea(int cpu)
    {
        return uvm.uareaAlloc(cpu).orElseThrow(() -> new IllegalStateException("no memory for a boot-time kernel stack"));
    }

    /** A boot-time process image, faulted in as exec would. */
    private Vmspace image(int cpu, String program)
    {
        Vmspace vm = uvm.uvmspaceCreate(cpu, imageOf(program));
        if (uvm.populate(cpu, vm) != FaultResult.OK) {
            throw new IllegalStateException("no memory for " + program + " at boot");
        }
        return vm;
    }

    /**
     * The size of a program's image. Workload programs declare none, so every image has the
     * text and stack of a small dynamically linked tool.
     */
    public static ExecImage imageOf(String program)
    {
        return DEFAULT_IMAGE;
    }

    private static final ExecImage DEFAULT_IMAGE = new ExecImage(8, 4);

    public KThread newThread(KProcess process, String name, int flags, dev.fugu.kernel.md.Pcb pcb)
    {
        KThread thread = new KThread(nextTid++, process, name, flags);
        thread.pcb = pcb;
        process.threads.add(thread);
        process.threadcnt++;
        return thread;
    }

    /** A ps listing now, built like libkvm after the seed: from the first thread of ps_threads. */
    public List<PsRow> ps()
    {
        List<PsRow> rows = new ArrayList<>();
        long mhz = md.clockMhz();
        for (KProcess process : procs.all()) {
            if (process.pid() == 0) {
                continue;
            }
            KThread first = process.threads.isEmpty() ? null : process.threads.get(0);
            String stat;
            if (first == null) {
                stat = process.isZombie() ? "Z" : "E";
            }
            else {
                stat = switch (first.stat) {
                    case SONPROC -> "O";
                    case SRUN, SIDL -> "R";
                    case SSLEEP -> "S";
                    case SSTOP -> "T";
                    case SDEAD -> "E";
                };
            }
            long cycles = process.ruUser + process.ruSys;
            for (KThread thread : process.threads) {
                cycles += thread.userCycles + thread.sysCycles;
            }
            long rss = process.vmspace == null ? 0 : process.vmspace.residentPages() * md.layout().pageSize() / 1024;
            rows.add(new PsRow(process.pid(), process.parent == null ? 0 : process.parent.pid(), stat,
                    process.threads.size(), rss, cycles / mhz, process.command));
        }
        return rows;
    }

    /** The end of a run: no zombie left, and every pid and frame accounted for. */
    private void shutdownChecks()
    {
        if (procs.zombieCount() > 0) {
            throw new KernelPanic("zombie-unreaped", 0, procs.zombieCount() + " zombie(s) never reaped: " + procs.zombies());
        }
        for (KProcess process : procs.all()) {
            if (process != init && process != proc0 && (reaper == null || process != reaper.process())) {
                throw new KernelPanic("pid-leak", 0, "pid " + process.pid() + " (" + process.command + ") still allocated at the end");
            }
        }
        checker.count(procs.count());
        List<dev.fugu.kernel.uvm.FrameOwner> live = new ArrayList<>();
        for (KProcess process : procs.all()) {
            if (process.vmspace != null) {
                live.add(process.vmspace);
            }
            for (KThread thread : process.threads) {
                if (thread.uarea != null) {
                    live.add(thread.uarea);
                }
            }
        }
        var audit = uvm.audit(live);
        leakedFrames = audit.leakedFrames();
        checker.count(audit.framesTotal());
        if (!audit.clean()) {
            throw new KernelPanic("frame-leak", 0, audit.leakedFrames() + " frame(s) leaked, " + audit.badClaims()
                    + " claimed by no owner; e.g. pfns " + audit.leakedSample());
        }
    }

    private long leakedFrames;

    /** The thread on {@code cpu} now, for panic reports. */
    public String threadOn(int cpu)
    {
        KThread thread = cpus[cpu].curthread;
        return thread == null ? "none" : thread + (thread.path != null ? " in " + thread.path.name() : "");
    }

    public long leakedFrames()
    {
        return leakedFrames;
    }

    /**
     * Called by init when its wait4 finds no child: no user process is left, so once the kernel
     * threads (the reaper, the idle threads) have finished the exits in flight, the run is over.
     */
    public void initDone()
    {
        initFinished = true;
    }

    public void psSnapshot()
    {
        psSnapshots.add(ps());
    }

    // Accessors for the kernel's subsystems.

    public Machine machine()
    {
        return machine;
    }

    public MachineDependent md()
    {
        return md;
    }

    public RunConfig runConfig()
    {
        return run;
    }

    public CpuClocks clocks()
    {
        return clocks;
    }

    public long now(int cpu)
    {
        return clocks.now(cpu);
    }

    public Costs costs()
    {
        return costs;
    }

    public Cpu cpu(int id)
    {
        return cpus[id];
    }

    public Cpu[] cpus()
    {
        return cpus;
    }

    public Scheduler sched()
    {
        return sched;
    }

    public KernelLock klock()
    {
        return klock;
    }

    public ProcTable procs()
    {
        return procs;
    }

    public Checker checker()
    {
        return checker;
    }

    public Trace trace()
    {
        return trace;
    }

    public RunStats stats()
    {
        return stats;
    }

    public Uvm uvm()
    {
        return uvm;
    }

    public Syscalls syscalls()
    {
        return syscalls;
    }

    public ExitPaths exits()
    {
        return exits;
    }

    public Kqueues kqueues()
    {
        return kqueues;
    }

    public SimRandom random()
    {
        return random;
    }

    public KProcess init()
    {
        return init;
    }

    public KProcess proc0()
    {
        return proc0;
    }

    public KThread reaper()
    {
        return reaper;
    }

    public String stopReason()
    {
        return stopReason;
    }

    public long hostNanos()
    {
        return hostNanos;
    }

    public List<List<PsRow>> psSnapshots()
    {
        return psSnapshots;
    }
}
