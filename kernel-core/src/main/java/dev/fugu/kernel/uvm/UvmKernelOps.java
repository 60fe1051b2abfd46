package dev.fugu.kernel.uvm;

import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.stats.Teardown;
import dev.fugu.kernel.sync.SpinMutex;
import dev.fugu.kernel.syscall.UvmOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@link UvmOps} on {@link Uvm}: what the MI kernel calls. Keeps the set of live vmspaces and
 * u-areas, so that {@link #leakedFrames()} can audit physical memory against them.
 */
public final class UvmKernelOps
        implements UvmOps
{
    /** A small program: 4 pages of text, 2 of stack. */
    public static final ExecImage DEFAULT_IMAGE = new ExecImage(4, 2);

    private final Uvm uvm;
    private final ExecImage image;
    private final Map<Vmspace, Vmspace> liveVmspaces = new IdentityHashMap<>();
    private final Map<long[], Uarea> liveUareas = new IdentityHashMap<>();

    public UvmKernelOps(Uvm uvm, ExecImage image)
    {
        this.uvm = requireNonNull(uvm, "uvm is null");
        this.image = requireNonNull(image, "image is null");
    }

    public Uvm uvm()
    {
        return uvm;
    }

    /** Models the vmspace side of exec (uvmspace_alloc + the image's vmcmds); null when out of memory, with the half-built vmspace freed. */
    @Override
    public Object create(int cpu, String program)
    {
        Vmspace vm = uvm.uvmspaceCreate(cpu, image);
        if (uvm.populate(cpu, vm) != FaultResult.OK) {
            uvm.uvmspaceFree(cpu, vm, TeardownKind.EXEC);
            return null;
        }
        liveVmspaces.put(vm, vm);
        return vm;
    }

    @Override
    public Object fork(int cpu, Object parent)
    {
        Vmspace child = uvm.uvmspaceFork(cpu, vmspace(parent));
        liveVmspaces.put(child, child);
        return child;
    }

    @Override
    public Pmap pmap(Object vmspace)
    {
        return vmspace(vmspace).pmap();
    }

    @Override
    public boolean touch(int cpu, Object vmspace)
    {
        // NO_SPACE (the heap met the stack) is brk's ENOMEM, not a kill: the page is not added.
        return uvm.touch(cpu, vmspace(vmspace), 1) != FaultResult.OOM;
    }

    @Override
    public boolean access(int cpu, Object vmspace, long index, boolean write)
    {
        return uvm.accessPage(cpu, vmspace(vmspace), index, write) != FaultResult.OOM;
    }

    @Override
    public long residentPages(Object vmspace)
    {
        return vmspace(vmspace).residentPages();
    }

    @Override
    public Teardown purge(int cpu, Object vmspace)
    {
        return teardown(uvm.uvmPurge(cpu, vmspace(vmspace)));
    }

    @Override
    public Teardown free(int cpu, Object vmspace)
    {
        Vmspace vm = vmspace(vmspace);
        Teardown teardown = teardown(uvm.uvmExit(cpu, vm));
        if (vm.isFreed()) {
            liveVmspaces.remove(vm);
        }
        return teardown;
    }

    @Override
    public long[] uareaAlloc(int cpu)
    {
        Uarea uarea = uvm.uareaAlloc(cpu).orElse(null);
        if (uarea == null) {
            return null;
        }
        liveUareas.put(uarea.frames(), uarea);
        return uarea.frames();
    }

    @Override
    public Teardown uareaFree(int cpu, long[] frames)
    {
        Uarea uarea = liveUareas.remove(frames);
        // An unknown or already freed u-area: freeing its frames again reports the double free.
        return teardown(uvm.uareaFree(cpu, uarea != null ? uarea : new Uarea(frames)));
    }

    @Override
    public long leakedFrames()
    {
        return audit().leakedFrames();
    }

    /** The full audit against the live vmspaces and u-areas (and the kernel pmap). */
    public FrameAudit audit()
    {
        List<FrameOwner> owners = new ArrayList<>(liveVmspaces.keySet());
        owners.addAll(liveUareas.values());
        return uvm.audit(owners);
    }

    @Override
    public long[] fpageqCounters()
    {
        SpinMutex fpageq = uvm.physmem().fpageq();
        return new long[] {fpageq.acquires(), fpageq.contended(), fpageq.spinCycles()};
    }

    private static Teardown teardown(TeardownLedger ledger)
    {
        return new Teardown(ledger.pagesFreed(), ledger.ptesCleared(), ledger.ptpFreed(), ledger.stackPagesFreed(), ledger.cycles());
    }

    private static Vmspace vmspace(Object vmspace)
    {
        return (Vmspace) requireNonNull(vmspace, "vmspace is null");
    }
}
