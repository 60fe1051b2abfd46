package dev.fugu.kernel.sim;

import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.CostTable;

import java.util.List;

/**
 * Default costs of the machine-independent kernel's steps, in cycles. Every number is an estimate
 * of the path's length on a modern out-of-order core (a few hundred instructions with their cache
 * misses); they are meant to be compared across exit models and architectures, not as absolute
 * truths, and every one is overridable with {@code --cost}.
 */
public final class MiCosts
{
    private MiCosts()
    {
    }

    public static CostTable table()
    {
        String est = "estimate: instruction count of the C path at ~1 IPC with cold misses";
        return CostTable.of(List.of(
                new CostEntry("kern.syscall", 250, "system call trap entry and return to user", "estimate: syscall+sysret round trip ~100 ns at 2.4 GHz"),
                new CostEntry("kern.fork1", 6000, "fork1(): struct process/proc, credentials, file table, sigacts copy", est),
                new CostEntry("kern.thread_fork", 2500, "__tfork(): a new struct proc in the same process", est),
                new CostEntry("kern.exec", 25000, "execve(): image activation, argument copy, new vmspace set-up", est),
                new CostEntry("kern.exit1", 3000, "exit1() MI work: fdfree, timers, signal state, lists", est),
                new CostEntry("kern.exit2", 200, "exit2(): move a dead thread to the deadproc list", est),
                new CostEntry("kern.reaper", 400, "reaper loop iteration per dead thread, outside teardown", est),
                new CostEntry("kern.wait_scan", 60, "dowait6(): examine one child", est),
                new CostEntry("kern.wait_reap", 1200, "proc_finish_wait() and process_zap(): free a zombie", est),
                new CostEntry("kern.switch", 300, "mi_switch() MI part: accounting, sched_chooseproc", est),
                new CostEntry("kern.enqueue", 80, "setrunqueue()", est),
                new CostEntry("kern.steal", 200, "sched_steal_proc(): look at other CPUs' queues", est),
                new CostEntry("kern.sleep", 150, "sleep_setup()/sleep_finish()", est),
                new CostEntry("kern.wakeup", 120, "wakeup() per thread woken", est),
                new CostEntry("kern.klock", 40, "uncontended kernel_lock acquire/release", "estimate: one atomic on a shared line"),
                new CostEntry("kern.mutex", 25, "uncontended mutex enter/leave", "estimate: one atomic"),
                new CostEntry("kern.rwlock", 40, "uncontended rwlock enter/leave", "estimate: one atomic plus checks"),
                new CostEntry("kern.signal", 400, "ptsignal()/prsignal(): post a signal", est),
                new CostEntry("kern.knote", 300, "knote_processexit()/knote_processfork() per process", est),
                new CostEntry("kern.single_thread", 800, "single_thread_set(): signal the other threads", est),
                new CostEntry("kern.reparent", 150, "process_reparent() per child", est),
                new CostEntry("kern.rr_us", 100_000, "roundrobin() interval in microseconds (not cycles): the quantum",
                        "sys/kern/sched_bsd.c: rrticks_init = hz / 10, 100 ms")));
    }
}
