package dev.fugu.arch.i386;

import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.Pmap;

import static java.util.Objects.requireNonNull;

/**
 * An i386 thread's struct pcb (sys/arch/i386/include/pcb.h): the pmap it runs on and the %cr3
 * value cpu_switchto loads for it ({@code pcb_pmap}, {@code pcb_cr3}). No PCID bits: i386 has none.
 */
final class I386Pcb
        implements Pcb
{
    private final boolean system;
    private I386Pmap pmap;
    private long cr3;
    private boolean exited;

    I386Pcb(I386Pmap pmap, boolean system)
    {
        this.system = system;
        setPmap(pmap);
    }

    /** As pmap_activate() sets pcb_pmap and pcb_cr3 = pm_pdirpa. */
    void setPmap(I386Pmap pmap)
    {
        this.pmap = requireNonNull(pmap, "pmap is null");
        this.cr3 = pmap.rootPa();
    }

    I386Pmap i386Pmap()
    {
        return pmap;
    }

    long cr3()
    {
        return cr3;
    }

    void markExited()
    {
        exited = true;
    }

    @Override
    public Pmap pmap()
    {
        return pmap;
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

    @Override
    public String toString()
    {
        return "I386Pcb[pmap=" + pmap.id() + ", cr3=0x" + Long.toHexString(cr3) + (system ? ", system" : "") + (exited ? ", exited" : "") + "]";
    }
}
