package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.Pmap;

import static java.util.Objects.requireNonNull;

/**
 * struct pcb and p_md of an arm64 thread (sys/arch/arm64/include/pcb.h): the switchframe
 * pointer, FPU ownership and, for the simulator, the pmap the thread runs on
 * ({@code p->p_vmspace->vm_map.pmap}, which pmap_setttb() loads).
 */
final class Arm64Pcb
        implements Pcb
{
    private final long id;
    private final boolean system;
    private Arm64Pmap pmap;
    private boolean exited;

    Arm64Pcb(long id, Arm64Pmap pmap, boolean system)
    {
        this.id = id;
        this.pmap = requireNonNull(pmap, "pmap is null");
        this.system = system;
    }

    long id()
    {
        return id;
    }

    @Override
    public Arm64Pmap pmap()
    {
        return pmap;
    }

    void setPmap(Arm64Pmap pmap)
    {
        this.pmap = requireNonNull(pmap, "pmap is null");
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
        return "pcb" + id + (system ? " (system)" : "") + " on pmap " + ((Pmap) pmap).id();
    }
}
