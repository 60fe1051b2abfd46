package dev.fugu.kernel.sched;

import dev.fugu.kernel.check.Checker;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.proc.KThread;
import dev.fugu.kernel.proc.ProcState;
import dev.fugu.kernel.sim.Costs;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.sim.Trace;

import static java.util.Objects.requireNonNull;

/**
 * The per-CPU scheduler: models setrunqueue(), sched_choosecpu(), sched_chooseproc() and
 * sched_steal_proc() in sys/kern/kern_sched.c, and mi_switch() in sys/kern/sched_bsd.c.
 */
public final class Scheduler
{
    private final Cpu[] cpus;
    private final MachineDependent md;
    private final CpuClocks clocks;
    private final Costs costs;
    private final Checker checker;
    private final Trace trace;
    private KThread reaper;

    public Scheduler(Cpu[] cpus, MachineDependent md, CpuClocks clocks, Costs costs, Checker checker, Trace trace)
    {
        this.cpus = requireNonNull(cpus, "cpus is null");
        this.md = requireNonNull(md, "md is null");
        this.clocks = requireNonNull(clocks, "clocks is null");
        this.costs = requireNonNull(costs, "costs is null");
        this.checker = requireNonNull(checker, "checker is null");
        this.trace = requireNonNull(trace, "trace is null");
    }

    private java.util.function.ObjLongConsumer<Cpu> interrupts;

    /** Where need_resched's IPI goes: cuts a user run short on the target CPU. */
    public void setInterrupts(java.util.function.ObjLongConsumer<Cpu> interrupts)
    {
        this.interrupts = interrupts;
    }

    /** Switches into or out of this thread count as {@link SwitchCause#REAPER}. */
    public void setReaper(KThread reaper)
    {
        this.reaper = reaper;
    }

    public Cpu cpu(int id)
    {
        return cpus[id];
    }

    public int ncpu()
    {
        return cpus.length;
    }

    /**
     * Models setrunqueue(ci, p, prio): queues {@code thread} on {@code target}, waking the CPU
     * if it is halted in its idle loop or asking for a reschedule if the thread is better than
     * what runs there. The work is charged to {@code fromCpu}.
     */
    public void setrunqueue(Cpu target, KThread thread, int prio, int fromCpu)
    {
        thread.stat = ProcState.SRUN;
        thread.cpu = target.id();
        thread.runpri = prio;
        target.runq.insert(thread);
        costs.charge(fromCpu, costs.enqueue);
        if (target.halted) {
            target.halted = false;
            clocks.idleUntil(target.id(), clocks.now(fromCpu));
            target.nextRoundRobin = Math.max(target.nextRoundRobin, clocks.now(target.id()));
        }
        else if (target.curthread != null && prio < target.curthread.runpri) {
            target.wantResched = true;
            if (interrupts != null) {
                interrupts.accept(target, clocks.now(fromCpu));
            }
        }
    }

    /** Models setrunnable() after a wakeup: back on a run queue at its sleep priority. */
    public void setrunnable(KThread thread, int fromCpu)
    {
        setrunqueue(choosecpu(thread), thread, thread.runpri, fromCpu);
    }

    /**
     * Models sched_choosecpu(): the thread's last CPU if it is idle, else another idle CPU, else
     * the least loaded one (ties: the last CPU, then the lowest id).
     */
    public Cpu choosecpu(KThread thread)
    {
        Cpu last = cpus[thread.cpu];
        if (isIdle(last)) {
            return last;
        }
        for (Cpu cpu : cpus) {
            if (isIdle(cpu)) {
                return cpu;
            }
        }
        Cpu best = last;
        int bestLoad = load(last);
        for (Cpu cpu : cpus) {
            int load = load(cpu);
            if (load < bestLoad) {
                best = cpu;
                bestLoad = load;
            }
        }
        return best;
    }

    private static boolean isIdle(Cpu cpu)
    {
        return cpu.curthread == cpu.idle && cpu.runq.isEmpty() && !cpu.spinning;
    }

    private static int load(Cpu cpu)
    {
        return cpu.runq.size() + (cpu.curthread == cpu.idle ? 0 : 1);
    }

    /**
     * Models sched_chooseproc(): the best queued thread here, else one stolen from the busiest
     * other CPU (sched_steal_proc), else this CPU's idle thread.
     */
    public KThread chooseproc(Cpu cpu)
    {
        KThread next = cpu.runq.poll();
        if (next != null) {
            return next;
        }
        next = steal(cpu);
        return next != null ? next : cpu.idle;
    }

    /** True if this CPU has queued work or could steal some. */
    public boolean hasWork(Cpu cpu)
    {
        if (!cpu.runq.isEmpty()) {
            return true;
        }
        for (Cpu other : cpus) {
            if (other != cpu && !other.runq.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private KThread steal(Cpu self)
    {
        Cpu victim = null;
        for (Cpu other : cpus) {
            if (other != self && !other.runq.isEmpty() && (victim == null || other.runq.size() > victim.runq.size())) {
                victim = other;
            }
        }
        if (victim == null) {
            return null;
        }
        costs.charge(self.id(), costs.steal);
        return victim.runq.poll();
    }

    /**
     * Models mi_switch(): the current thread has already been given its new state (queued, asleep
     * or dead); picks the next thread and switches to it.
     */
    public void miSwitch(Cpu cpu, SwitchCause cause)
    {
        switchTo(cpu, chooseproc(cpu), cause);
    }

    /**
     * Models sched_toidle(): a dead thread's CPU switches straight to its idle thread, without
     * saving the dead context (cpu_switchto(NULL, idle)).
     */
    public void toIdle(Cpu cpu, SwitchCause cause)
    {
        switchTo(cpu, cpu.idle, cause);
    }

    /** cpu_switchto() with the MI bookkeeping around it. */
    public void switchTo(Cpu cpu, KThread next, SwitchCause cause)
    {
        KThread old = cpu.curthread;
        if (next == old) {
            old.stat = ProcState.SONPROC;
            return;
        }
        SwitchCause counted = (old == reaper || next == reaper) && reaper != null ? SwitchCause.REAPER : cause;
        cpu.switches[counted.ordinal()]++;
        costs.charge(cpu.id(), costs.switchMi);
        long start = clocks.now(cpu.id());
        boolean dead = old.stat == ProcState.SDEAD;
        md.cpuSwitchto(cpu.id(), dead ? null : old.pcb, next.pcb);
        old.onCpu = false;
        next.onCpu = true;
        next.stat = ProcState.SONPROC;
        next.cpu = cpu.id();
        next.runpri = next.path == null ? next.usrpri : next.runpri;
        cpu.curthread = next;
        cpu.wantResched = false;
        trace.switched(cpu.id(), start, clocks.now(cpu.id()), old, next, counted);
        checker.afterSwitch(cpu.id(), next, next.isSystem() ? null : md.currentPmap(cpu.id()));
    }

    public long switches(SwitchCause cause)
    {
        long n = 0;
        for (Cpu cpu : cpus) {
            n += cpu.switches[cause.ordinal()];
        }
        return n;
    }
}
