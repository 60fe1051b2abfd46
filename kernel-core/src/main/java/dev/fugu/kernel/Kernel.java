package dev.fugu.kernel;

import com.google.inject.Inject;
import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.Sizes;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.stats.RunSummary;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The machine-independent kernel of one simulated machine: boots it (main() in
 * sys/kern/init_main.c) and runs it.
 *
 * <p>This is the walking skeleton's kernel: it brings up proc0, an idle thread per CPU and init,
 * and runs until init has nothing left to do. The engine, processes, scheduler and exit models
 * come with the MI kernel issue.
 */
public final class Kernel
{
    private final Machine machine;
    private final MachineDependent md;
    private final List<Pcb> idle = new ArrayList<>();
    private Pcb proc0;
    private Pcb init;
    private Pmap initPmap;
    private boolean booted;

    @Inject
    public Kernel(Machine machine)
    {
        this.machine = requireNonNull(machine, "machine is null");
        this.md = machine.md();
    }

    /**
     * Models main() in sys/kern/init_main.c: the MD bootstrap and its dmesg, proc0 on
     * pmap_kernel(), the idle threads (sched_init_cpu), then init (pid 1) forked from proc0.
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
        Pmap kernel = md.pmapKernel();
        proc0 = md.cpuFork(0, null, kernel, true);
        for (int cpu = 0; cpu < config.ncpu(); cpu++) {
            Pcb idleThread = md.cpuFork(cpu, proc0, kernel, true);
            idle.add(idleThread);
            md.cpuSwitchto(cpu, null, idleThread);
        }
        initPmap = md.pmapCreate(0);
        init = md.cpuFork(0, proc0, initPmap, false);
        log.add("init: pid 1 on cpu0, " + config.ncpu() + " idle threads, " + Sizes.format(config.memBytes()) + " of memory");
        return log;
    }

    /**
     * Runs until init has nothing left to do: with no workload, init has no children, so its first
     * wait4 would sleep for ever and the machine goes idle.
     */
    public RunSummary run()
    {
        if (!booted) {
            throw new IllegalStateException("not booted");
        }
        md.cpuSwitchto(0, idle.get(0), init);
        md.cpuSwitchto(0, init, idle.get(0));
        return RunSummary.of(machine);
    }

    public MachineDependent md()
    {
        return md;
    }
}
