package dev.fugu.kernel.uvm;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UVM on a real machine of one architecture: fork/exec/teardown chains through the plug-in's
 * pmap and MMU. Each arch module extends this with {@link #archName()}.
 *
 * <p>The test plays the MI kernel: it switches each process's pmap in before its accesses and
 * borrows pmap_kernel() before the exiting process's vmspace is freed, as exit1() does.
 */
public abstract class UvmContract
{
    protected static final long MEM = 64L << 20;
    private static final ExecImage IMAGE = new ExecImage(3, 2);

    protected Machine machine;
    protected MachineDependent md;
    protected Uvm uvm;
    private Pcb[] idle;
    private Pcb[] current;
    private long baselineFree;

    /** The plug-in under test, as {@code --arch} names it. */
    protected abstract String archName();

    /** Builds the machine; the arch modules keep the default. */
    protected Machine buildMachine(int ncpu, long memBytes)
    {
        return TestMachines.build(archName(), ncpu, memBytes);
    }

    /**
     * Builds the machine with its allocator freeing as {@code mode} says: the machine of
     * {@link #buildMachine(int, long)}, rebuilt with the same plug-in and config.
     */
    protected Machine buildMachine(int ncpu, long memBytes, PmrFreeMode mode)
    {
        Machine single = buildMachine(ncpu, memBytes);
        return mode == single.physmem().freeMode() ? single : Machine.build(single.plugin(), single.config(), mode);
    }

    @BeforeEach
    public final void bootMachine()
    {
        boot(buildMachine(2, MEM));
    }

    private void boot(Machine built)
    {
        machine = built;
        md = machine.md();
        md.boot();
        uvm = new Uvm(md, machine.physmem(), machine.stats(), machine.stats().clocks());
        idle = new Pcb[md.ncpu()];
        current = new Pcb[md.ncpu()];
        for (int cpu = 0; cpu < md.ncpu(); cpu++) {
            idle[cpu] = md.cpuFork(cpu, null, md.pmapKernel(), true);
            md.cpuSwitchto(cpu, null, idle[cpu]);
            current[cpu] = idle[cpu];
        }
        baselineFree = machine.physmem().freeFrames();
    }

    @Test
    public void copyOnWriteGivesEachSideItsOwnPage()
    {
        Proc parent = spawn(0);
        assertThat(uvm.touch(0, parent.vm, 4)).isEqualTo(FaultResult.OK);
        long va0 = heapVa(parent, 0);
        long va1 = heapVa(parent, 1);
        long pa0 = md.walk(parent.vm.pmap(), va0);
        long pa1 = md.walk(parent.vm.pmap(), va1);
        assertThat(pa0).isNotNegative();

        Proc child = fork(0, parent);
        run(0, child);
        assertThat(uvm.access(0, child.vm, va0, Access.READ)).isEqualTo(FaultResult.OK);
        assertThat(md.walk(child.vm.pmap(), va0)).as("child reads the shared page").isEqualTo(pa0);

        long copies = uvm.cowCopies();
        assertThat(uvm.access(0, child.vm, va0, Access.WRITE)).isEqualTo(FaultResult.OK);
        assertThat(uvm.cowCopies()).isEqualTo(copies + 1);
        long childPa0 = md.walk(child.vm.pmap(), va0);
        assertThat(childPa0).isNotNegative().isNotEqualTo(pa0);
        assertThat(md.walk(parent.vm.pmap(), va0)).isEqualTo(pa0);

        // The parent's page now has one reference: its write only re-enables write access.
        run(0, parent);
        assertThat(uvm.access(0, parent.vm, va0, Access.WRITE)).isEqualTo(FaultResult.OK);
        assertThat(uvm.cowCopies()).isEqualTo(copies + 1);
        assertThat(md.walk(parent.vm.pmap(), va0)).isEqualTo(pa0);

        // Page 1: the parent writes first and gets the copy; the child keeps the original.
        assertThat(uvm.access(0, parent.vm, va1, Access.WRITE)).isEqualTo(FaultResult.OK);
        assertThat(md.walk(parent.vm.pmap(), va1)).isNotEqualTo(pa1);
        run(0, child);
        assertThat(uvm.access(0, child.vm, va1, Access.WRITE)).isEqualTo(FaultResult.OK);
        assertThat(md.walk(child.vm.pmap(), va1)).isEqualTo(pa1);
        assertThat(uvm.cowCopies()).isEqualTo(copies + 2);

        exit(0, parent);
        exit(0, child);
        assertNothingLeft();
    }

    @Test
    public void sharedPagesAreFreedOnceWhenTheLastReferenceGoes()
    {
        Proc parent = spawn(0);
        uvm.touch(0, parent.vm, 8);
        Proc child = fork(0, parent);
        long pages = IMAGE.textPages() + IMAGE.stackPages() + 8;
        assertThat(parent.vm.residentPages()).isEqualTo(pages);
        assertThat(child.vm.residentPages()).isEqualTo(pages);

        TeardownLedger first = exit(0, parent);
        assertThat(first.pagesFreed()).as("every page is still the child's").isZero();
        assertThat(first.anonsFreed()).isZero();
        TeardownLedger last = exit(0, child);
        assertThat(last.pagesFreed()).isEqualTo(pages);
        assertThat(last.anonsFreed()).isEqualTo(pages);
        assertNothingLeft();
    }

    @Test
    public void forkExecTeardownChainsLeaveNoFrameBehind()
    {
        Random random = new Random(4);
        List<Proc> live = new ArrayList<>();
        live.add(spawn(0));
        for (int step = 0; step < 200; step++) {
            int cpu = random.nextInt(md.ncpu());
            Proc proc = live.get(random.nextInt(live.size()));
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (live.size() < 12) {
                        live.add(fork(cpu, proc));
                    }
                }
                case 1 -> {
                    run(cpu, proc);
                    ExecResult result = uvm.uvmspaceExec(cpu, proc.pcb, true, proc.vm, new ExecImage(1 + random.nextInt(4), 1 + random.nextInt(3)));
                    assertThat(result.populate()).isEqualTo(FaultResult.OK);
                    assertThat(result.oldTeardown().kind()).isEqualTo(TeardownKind.EXEC);
                    proc.vm = result.vmspace();
                }
                case 2 -> {
                    run(cpu, proc);
                    assertThat(uvm.touch(cpu, proc.vm, random.nextInt(20))).isEqualTo(FaultResult.OK);
                }
                case 3 -> {
                    run(cpu, proc);
                    assertThat(uvm.write(cpu, proc.vm, random.nextInt(30))).isEqualTo(FaultResult.OK);
                }
                case 4 -> {
                    run(cpu, proc);
                    assertThat(uvm.read(cpu, proc.vm, random.nextInt(30))).isEqualTo(FaultResult.OK);
                }
                default -> {
                    if (live.size() > 1) {
                        live.remove(proc);
                        if (random.nextBoolean()) {
                            purge(cpu, proc);
                        }
                        exit(cpu, proc);
                    }
                }
            }
            if (step % 50 == 0) {
                List<FrameOwner> owners = new ArrayList<>();
                for (Proc p : live) {
                    owners.add(p.vm);
                }
                assertThat(uvm.audit(owners).clean()).as("audit at step %s: %s", step, uvm.audit(owners)).isTrue();
            }
        }
        for (Proc proc : live) {
            exit(0, proc);
        }
        assertNothingLeft();
    }

    @Test
    public void purgeThenExitFreesExactlyWhatOneExitFrees()
    {
        Proc a = spawnForked(0);
        Proc b = spawnForked(0);
        TeardownLedger purge = purge(0, a);
        TeardownLedger rest = exit(0, a);
        TeardownLedger whole = exit(0, b);
        TeardownLedger sum = purge.plus(rest);
        assertThat(whole.pagesFreed()).isPositive();
        assertThat(sum.pagesFreed()).isEqualTo(whole.pagesFreed());
        assertThat(sum.anonsFreed()).isEqualTo(whole.anonsFreed());
        assertThat(sum.ptesCleared()).isEqualTo(whole.ptesCleared());
        assertThat(sum.ptpFreed()).isEqualTo(whole.ptpFreed());
        assertThat(sum.framesFreed()).isEqualTo(whole.framesFreed());
        assertThat(rest.pagesFreed()).as("purge already freed the pages").isZero();
        assertNothingLeft();
    }

    @Test
    public void outOfMemoryIsReportedAndEverythingHeldCanBeFreed()
    {
        Proc proc = spawn(0);
        FaultResult result = FaultResult.OK;
        for (int i = 0; i < 1000 && result == FaultResult.OK; i++) {
            result = uvm.touch(0, proc.vm, 256);
        }
        assertThat(result).isEqualTo(FaultResult.OOM);
        assertThat(uvm.oomFaults()).isPositive();
        assertThat(machine.physmem().freeFrames()).isLessThan(8);
        TeardownLedger ledger = exit(0, proc);
        assertThat(ledger.pagesFreed()).isGreaterThan(MEM / md.layout().pageSize() / 2);
        assertNothingLeft();
    }

    @Test
    public void readAndWriteCycleOverExistingPagesWithoutError()
    {
        Proc proc = spawn(0);
        long faults = uvm.faults();
        assertThat(uvm.read(0, proc.vm, 50)).isEqualTo(FaultResult.OK);
        assertThat(uvm.write(0, proc.vm, 50)).isEqualTo(FaultResult.OK);
        assertThat(uvm.faults()).as("exec faulted text and stack in").isEqualTo(faults);
        assertThat(proc.vm.residentPages()).isEqualTo(IMAGE.textPages() + IMAGE.stackPages());
        exit(0, proc);
        assertNothingLeft();
    }

    @Test
    public void execFreesTheOldVmspaceApart()
    {
        Proc proc = spawn(0);
        uvm.touch(0, proc.vm, 5);
        Vmspace old = proc.vm;
        ExecResult result = uvm.uvmspaceExec(0, proc.pcb, true, old, new ExecImage(2, 1));
        proc.vm = result.vmspace();
        assertThat(old.isFreed()).isTrue();
        assertThat(result.oldTeardown().kind()).isEqualTo(TeardownKind.EXEC);
        assertThat(result.oldTeardown().pagesFreed()).isEqualTo(IMAGE.textPages() + IMAGE.stackPages() + 5);
        assertThat(result.oldTeardown().ptpFreed()).isPositive();
        assertThat(proc.vm.residentPages()).isEqualTo(3);
        assertThat(uvm.write(0, proc.vm, 3)).isEqualTo(FaultResult.OK);
        exit(0, proc);
        assertNothingLeft();
    }

    @Test
    public void uareaFramesComeAndGo()
    {
        Uarea uarea = uvm.uareaAlloc(1).orElseThrow();
        assertThat(uarea.pages()).isEqualTo(md.layout().uareaPages());
        assertThat(machine.physmem().count(FrameUse.KERNEL_STACK)).isEqualTo(uarea.pages());
        assertThat(uvm.audit(List.of(uarea)).clean()).isTrue();
        TeardownLedger ledger = uvm.uareaFree(1, uarea);
        assertThat(ledger.stackPagesFreed()).isEqualTo(md.layout().uareaPages());
        assertThat(ledger.fpageqAcquires()).isPositive();
        assertNothingLeft();
    }

    @Test
    public void freedPagesStayInTheCpusCacheOnlyAboveTheDmaConstraint()
    {
        long constrained = machine.plugin().defaults().constrainedBytes();
        long mem = Math.min(machine.plugin().limits().maxMemBytes(), 6L << 30);
        boot(buildMachine(2, mem));
        Proc proc = spawn(0);
        assertThat(uvm.touch(0, proc.vm, 16)).isEqualTo(FaultResult.OK);
        long cached = machine.physmem().cachedFrames();
        TeardownLedger ledger = exit(0, proc);
        long freed = ledger.pagesFreed() + ledger.ptpFreed();
        assertThat(freed).isGreaterThan(16);
        if (constrained >= mem) {
            // Every page goes back by uvm_pmr_freepages(pg, 1): one mutex hold each.
            assertThat(ledger.fpageqAcquires()).isGreaterThanOrEqualTo(freed);
            assertThat(machine.physmem().cachedFrames()).isEqualTo(cached);
        }
        else {
            // Allocated from the top of memory, above the constraint: kept by cpu0, a full
            // magazine at a time going back in one hold.
            assertThat(ledger.fpageqAcquires()).isLessThan(freed / 4);
            assertThat(machine.physmem().cachedFrames()).isGreaterThan(cached);
        }
        assertNothingLeft();
    }

    @Test
    public void batchFreeingSpendsFewerCyclesThanSingleFreeing()
    {
        TeardownLedger single = scatteredTeardown(PmrFreeMode.SINGLE);
        TeardownLedger batch = scatteredTeardown(PmrFreeMode.BATCH);
        assertThat(batch.pagesFreed()).isEqualTo(single.pagesFreed()).isPositive();
        assertThat(batch.ptesCleared()).isEqualTo(single.ptesCleared());
        assertThat(batch.ptpFreed()).isEqualTo(single.ptpFreed());
        assertThat(batch.fpageqAcquires()).isLessThan(single.fpageqAcquires());
        assertThat(batch.cycles()).isLessThan(single.cycles());
    }

    /** Two processes touching memory in turns, so that each one's pages are scattered; then one exits. */
    private TeardownLedger scatteredTeardown(PmrFreeMode mode)
    {
        boot(buildMachine(2, MEM, mode));
        assertThat(machine.physmem().freeMode()).isEqualTo(mode);
        Proc a = spawn(0);
        Proc b = spawn(0);
        for (int i = 0; i < 48; i++) {
            run(0, a);
            uvm.touch(0, a.vm, 3);
            run(0, b);
            uvm.touch(0, b.vm, 2);
        }
        TeardownLedger ledger = exit(0, a);
        exit(0, b);
        assertNothingLeft();
        return ledger;
    }

    /** A process made by exec, then forked once, both sides touching memory. */
    private Proc spawnForked(int cpu)
    {
        Proc proc = spawn(cpu);
        uvm.touch(cpu, proc.vm, 6);
        Proc child = fork(cpu, proc);
        run(cpu, child);
        uvm.write(cpu, child.vm, 4);
        uvm.touch(cpu, child.vm, 3);
        exit(cpu, child);
        run(cpu, proc);
        uvm.write(cpu, proc.vm, 2);
        return proc;
    }

    protected final Proc spawn(int cpu)
    {
        Vmspace vm = uvm.uvmspaceCreate(cpu, IMAGE);
        Proc proc = new Proc(md.cpuFork(cpu, idle[cpu], vm.pmap(), false), vm);
        run(cpu, proc);
        assertThat(uvm.populate(cpu, vm)).isEqualTo(FaultResult.OK);
        return proc;
    }

    protected final Proc fork(int cpu, Proc parent)
    {
        Vmspace vm = uvm.uvmspaceFork(cpu, parent.vm);
        return new Proc(md.cpuFork(cpu, parent.pcb, vm.pmap(), false), vm);
    }

    protected final void run(int cpu, Proc proc)
    {
        for (int other = 0; other < current.length; other++) {
            if (other != cpu && current[other] == proc.pcb) {
                md.cpuSwitchto(other, proc.pcb, idle[other]);
                current[other] = idle[other];
            }
        }
        if (current[cpu] != proc.pcb) {
            md.cpuSwitchto(cpu, current[cpu], proc.pcb);
            current[cpu] = proc.pcb;
        }
    }

    protected final TeardownLedger purge(int cpu, Proc proc)
    {
        run(cpu, proc);
        return uvm.uvmPurge(cpu, proc.vm);
    }

    /** exit1() as the direct model does it: borrow pmap_kernel, uvm_exit, cpu_exit, switch away. */
    protected final TeardownLedger exit(int cpu, Proc proc)
    {
        run(cpu, proc);
        md.pmapActivate(cpu, proc.pcb, md.pmapKernel(), true);
        TeardownLedger ledger = uvm.uvmExit(cpu, proc.vm);
        assertThat(ledger.kind()).isEqualTo(TeardownKind.EXIT);
        assertThat(ledger.cpu()).isEqualTo(cpu);
        assertThat(ledger.cycles()).isPositive();
        md.cpuExit(cpu, proc.pcb);
        md.cpuSwitchto(cpu, null, idle[cpu]);
        current[cpu] = idle[cpu];
        return ledger;
    }

    protected final void assertNothingLeft()
    {
        FrameAudit audit = uvm.audit(List.of());
        assertThat(audit.clean()).as("%s", audit).isTrue();
        assertThat(machine.physmem().count(FrameUse.USER)).isZero();
        assertThat(machine.physmem().freeFrames()).isEqualTo(baselineFree);
        assertThat(machine.physmem().checkConsistency()).isEmpty();
    }

    private long heapVa(Proc proc, int page)
    {
        for (MapEntry entry : proc.vm.entries()) {
            if (entry.region() == Region.HEAP) {
                return entry.start() + (long) page * md.layout().pageSize();
            }
        }
        throw new AssertionError("no heap");
    }

    /** A process as the test sees it: its thread's PCB and its vmspace. */
    protected static final class Proc
    {
        final Pcb pcb;
        Vmspace vm;

        Proc(Pcb pcb, Vmspace vm)
        {
            this.pcb = pcb;
            this.vm = vm;
        }
    }
}
