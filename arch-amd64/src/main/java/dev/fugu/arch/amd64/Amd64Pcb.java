package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.Pmap;

import static java.util.Objects.requireNonNull;

/**
 * A thread's struct pcb (sys/arch/amd64/include/pcb.h) as far as the MD layer needs it: pcb_pmap,
 * pcb_cr3 (the root with PCID bits, as pmap_activate() sets it) and whether it is a P_SYSTEM
 * thread.
 */
final class Amd64Pcb
        implements Pcb
{
    private final long id;
    private final boolean system;
    private Amd64Pmap pmap;
    private long cr3;
    private boolean exited;

    Amd64Pcb(long id, boolean system, Amd64Pmap pmap, long cr3)
    {
        this.id = id;
        this.system = system;
        this.pmap = requireNonNull(pmap, "pmap is null");
        this.cr3 = cr3;
    }

    @Override
    public Pmap pmap()
    {
        return pmap;
    }

    Amd64Pmap amd64Pmap()
    {
        return pmap;
    }

    /** pcb_pmap and pcb_cr3 together, as pmap_activate() sets them. */
    void setPmap(Amd64Pmap pmap, long cr3)
    {
        this.pmap = requireNonNull(pmap, "pmap is null");
        this.cr3 = cr3;
    }

    /** pcb_cr3: the value cpu_switchto() loads into %cr3. */
    long cr3()
    {
        return cr3;
    }

    @Override
    public boolean isSystem()
    {
        return system;
    }

    @Override
    public boolean isExited()
    {
        return exited;
    }

    void markExited()
    {
        exited = true;
    }

    @Override
    public String toString()
    {
        return "pcb" + id + (system ? "(system)" : "") + " on pmap " + pmap.id();
    }
}
