package dev.fugu.kernel.check;

import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.proc.KThread;
import dev.fugu.kernel.proc.ProcState;

/**
 * The lock and lifecycle checker (WITNESS in spirit): runs on every run and panics on the first
 * violated invariant. Each check is cheap enough to stay on.
 */
public final class Checker
{
    private long checked;

    public long invariantsChecked()
    {
        return checked;
    }

    /**
     * After cpu_switchto: a CPU running a non-system thread must name that thread's pmap as its
     * current one (amd64 ci_proc_pmap; pmap_kernel() for a thread that borrowed proc0's vmspace).
     */
    public void afterSwitch(int cpu, KThread next, Pmap current)
    {
        checked++;
        if (next.isSystem()) {
            return;
        }
        Pmap expected = next.pcb.pmap();
        if (current != expected) {
            throw new KernelPanic("ci-proc-pmap", cpu, "running " + next + " whose pmap is " + describe(expected)
                    + " but the CPU's current pmap is " + describe(current));
        }
        if (expected.isDestroyed()) {
            throw new KernelPanic("destroyed-pmap", cpu, next + " switched in on destroyed pmap " + expected.id());
        }
    }

    /** sleep_setup(): the seed's check that an SDEAD thread never reaches a sleep point. */
    public void beforeSleep(int cpu, KThread thread, String wmesg, boolean spinLockHeld)
    {
        checked++;
        if (thread.stat == ProcState.SDEAD) {
            throw new KernelPanic("sleep-in-sdead", cpu, thread + " reached sleep point '" + wmesg + "' after exit1's no-sleep point (SDEAD)");
        }
        if (spinLockHeld) {
            throw new KernelPanic("sleep-with-spinlock", cpu, thread + " sleeps on '" + wmesg + "' holding a spin lock");
        }
    }

    /** assertwaitok() in sys/kern/subr_xxx.c, with the seed's SDEAD check. */
    public void assertwaitok(int cpu, KThread thread, String where, boolean spinLockHeld)
    {
        checked++;
        if (thread.stat == ProcState.SDEAD) {
            throw new KernelPanic("assertwaitok", cpu, thread + " is SDEAD in " + where + ", a path that may sleep");
        }
        if (spinLockHeld) {
            throw new KernelPanic("assertwaitok", cpu, "non-zero mutex count in " + where + " on " + thread);
        }
    }

    /** uvm_uarea_free(): a kernel stack must not be freed while its thread is on a CPU. */
    public void beforeStackFree(int cpu, KThread thread)
    {
        checked++;
        if (thread.onCpu) {
            throw new KernelPanic("stack-freed-on-cpu", cpu, "kernel stack of " + thread + " freed while it runs on cpu" + thread.cpu);
        }
    }

    /** Counts a check made elsewhere (frame and pid accounting at the end of a run). */
    public void count(long n)
    {
        checked += n;
    }

    private static String describe(Pmap pmap)
    {
        if (pmap == null) {
            return "none";
        }
        return pmap.isKernel() ? "pmap_kernel" : "pmap " + pmap.id();
    }
}
