package dev.fugu.kernel.uvm;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pcb;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestUvm
{
    private static final ExecImage IMAGE = new ExecImage(2, 2);

    @Test
    void touchFaultsInOnePagePerFault()
    {
        FakeMachine m = FakeMachine.create(1024);
        Vmspace vm = spawn(m, 0);
        long faults = m.uvm.faults();
        long accesses = m.md.accesses;
        assertThat(m.uvm.touch(0, vm, 16)).isEqualTo(FaultResult.OK);
        assertThat(m.uvm.faults() - faults).isEqualTo(16);
        assertThat(m.uvm.zeroFills()).isEqualTo(IMAGE.textPages() + IMAGE.stackPages() + 16);
        assertThat(m.md.accesses - accesses).as("each access faults once, then succeeds").isEqualTo(32);
        assertThat(vm.residentPages()).isEqualTo(20);
        assertThat(m.physmem.count(FrameUse.USER)).isEqualTo(20);
        assertThat(vm.pmap().residentCount()).isEqualTo(20);
        MapEntry heap = vm.entries().get(1);
        assertThat(heap.region()).isEqualTo(Region.HEAP);
        assertThat(heap.start()).isEqualTo(vm.entries().get(0).end());
        assertThat(heap.end() - heap.start()).isEqualTo(16 * 4096L);
    }

    @Test
    void forkSharesAnonsAndWriteProtectsTheParent()
    {
        FakeMachine m = FakeMachine.create(1024);
        Vmspace parent = spawn(m, 0);
        m.uvm.touch(0, parent, 3);
        Vmspace child = m.uvm.uvmspaceFork(0, parent);
        MapEntry parentHeap = parent.entries().get(1);
        MapEntry childHeap = child.entries().get(1);
        assertThat(childHeap.anonReferences(0)).isEqualTo(2);
        assertThat(parentHeap.anonReferences(2)).isEqualTo(2);
        assertThat(childHeap.amapReferences()).isEqualTo(1);
        assertThat(child.pmap().residentCount()).as("the child faults its pages in").isZero();
        // The parent's next write faults on protection and, the page being shared, copies it.
        assertThat(m.md.access(0, parentHeap.start(), Access.WRITE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(m.md.access(0, parentHeap.start(), Access.READ | Access.USER)).isNotNegative();
        assertThat(m.uvm.write(0, parent, 100)).isEqualTo(FaultResult.OK);
        assertThat(m.uvm.cowCopies()).isEqualTo(IMAGE.stackPages() + 3);
        assertThat(parentHeap.anonReferences(0)).isEqualTo(1);
        assertThat(childHeap.anonReferences(0)).isEqualTo(1);
        assertThat(parent.pmap().extract(parentHeap.start())).isNotEqualTo(-1);
    }

    @Test
    void readOfAPageStillSharedMapsItReadOnly()
    {
        FakeMachine m = FakeMachine.create(1024);
        Vmspace parent = spawn(m, 0);
        m.uvm.touch(0, parent, 1);
        Vmspace child = m.uvm.uvmspaceFork(0, parent);
        Pcb pcb = m.md.cpuFork(1, null, child.pmap(), false);
        m.md.cpuSwitchto(1, null, pcb);
        long va = child.entries().get(1).start();
        assertThat(m.uvm.access(1, child, va, Access.READ)).isEqualTo(FaultResult.OK);
        assertThat(m.md.access(1, va, Access.WRITE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(child.pmap().extract(va)).isEqualTo(parent.pmap().extract(va));
    }

    @Test
    void accessesOutsideTheMapOrAgainstProtectionAreSegv()
    {
        FakeMachine m = FakeMachine.create(256);
        Vmspace vm = spawn(m, 0);
        long text = vm.entries().get(0).start();
        assertThat(m.uvm.access(0, vm, text, Access.WRITE)).isEqualTo(FaultResult.SEGV);
        assertThat(m.uvm.access(0, vm, 0x1000_0000_0000L, Access.READ)).isEqualTo(FaultResult.SEGV);
        assertThat(m.uvm.access(0, vm, text, Access.EXECUTE)).isEqualTo(FaultResult.OK);
    }

    @Test
    void theHeapStopsAtTheStack()
    {
        FakeMachine m = FakeMachine.create(256);
        Vmspace vm = spawn(m, 0);
        long room = (FakeMd.LAYOUT.stackTop() - 2 * 4096 - vm.entries().get(0).end()) / 4096;
        assertThat(m.uvm.touch(0, vm, room + 1)).isEqualTo(FaultResult.NO_SPACE);
        assertThat(m.uvm.touch(0, vm, Long.MAX_VALUE)).isEqualTo(FaultResult.NO_SPACE);
        assertThat(vm.residentPages()).isEqualTo(4);
        // Within the room but beyond memory: out of memory, with a heap no longer than its pages.
        assertThat(m.uvm.touch(0, vm, Integer.MAX_VALUE)).isEqualTo(FaultResult.OOM);
        MapEntry heap = vm.entries().get(1);
        assertThat(heap.slots(12)).isEqualTo(heap.residentPages() + 1);
    }

    @Test
    void writeCyclesOverWritablePagesOnlyAndReadOverAll()
    {
        FakeMachine m = FakeMachine.create(256);
        Vmspace vm = spawn(m, 0);
        long accesses = m.md.accesses;
        assertThat(m.uvm.read(0, vm, 9)).isEqualTo(FaultResult.OK);
        assertThat(m.md.accesses - accesses).isEqualTo(9);
        assertThat(m.uvm.write(0, vm, 7)).isEqualTo(FaultResult.OK);
        assertThat(m.uvm.faults()).as("populate's faults only").isEqualTo(4);
        Vmspace empty = m.uvm.uvmspaceAlloc(0);
        assertThat(m.uvm.read(0, empty, 10)).isEqualTo(FaultResult.OK);
    }

    @Test
    void outOfMemoryInAFaultLeavesAStateTeardownFrees()
    {
        FakeMachine m = FakeMachine.create(64);
        long free0 = m.physmem.freeFrames();
        Vmspace vm = spawn(m, 0);
        Vmspace other = m.uvm.uvmspaceCreate(0, IMAGE);
        assertThat(m.uvm.touch(0, vm, 200)).isEqualTo(FaultResult.OOM);
        assertThat(m.physmem.freeFrames()).isZero();
        assertThat(m.uvm.populate(0, other)).isEqualTo(FaultResult.OOM);
        assertThat(m.uvm.uareaAlloc(0)).isEmpty();
        m.md.pmapActivate(0, m.md.cpuFork(0, null, vm.pmap(), false), m.md.pmapKernel(), true);
        TeardownLedger ledger = m.uvm.uvmExit(0, vm);
        assertThat(ledger.pagesFreed()).isPositive();
        assertThat(m.uvm.uvmExit(0, other).framesFreed()).isPositive();
        assertThat(m.physmem.freeFrames()).isEqualTo(free0);
        assertThat(m.uvm.audit(List.of()).clean()).isTrue();
        assertThat(m.physmem.checkConsistency()).isEmpty();
    }

    @Test
    void aFailedPmapEnterIsOutOfMemoryToo()
    {
        FakeMachine m = FakeMachine.create(64);
        // 512 text pages end on a 2 MB boundary: the first heap page needs a new page-table page.
        Vmspace vm = m.uvm.uvmspaceCreate(0, new ExecImage(512, 1));
        Pcb pcb = m.md.cpuFork(0, null, vm.pmap(), false);
        m.md.cpuSwitchto(0, null, pcb);
        // Leave exactly one frame: the page gets it, its page-table page cannot.
        long[] hog = new long[(int) m.physmem.freeFrames() - 1];
        assertThat(m.physmem.allocateMany(0, FrameUse.KERNEL, hog, hog.length)).isTrue();
        assertThat(m.uvm.touch(0, vm, 1)).isEqualTo(FaultResult.OOM);
        assertThat(m.physmem.freeFrames()).as("the page went back when pmap_enter failed").isEqualTo(1);
        assertThat(m.uvm.oomFaults()).isEqualTo(1);
        assertThat(vm.residentPages()).isZero();
    }

    @Test
    void vmspaceReferencesDelayTheTeardown()
    {
        FakeMachine m = FakeMachine.create(256);
        Vmspace vm = spawn(m, 0);
        m.uvm.uvmspaceAddref(vm);
        switchAway(m, 0, vm);
        TeardownLedger first = m.uvm.uvmExit(0, vm);
        assertThat(first.pagesFreed()).isZero();
        assertThat(vm.isFreed()).isFalse();
        TeardownLedger last = m.uvm.uvmExit(0, vm);
        assertThat(last.pagesFreed()).isEqualTo(4);
        assertThat(last.ptpFreed()).isEqualTo(3);
        assertThat(last.ptesCleared()).isEqualTo(4);
        assertThat(last.entriesWalked()).isEqualTo(2);
        assertThat(vm.isFreed()).isTrue();
        assertThatThrownBy(() -> m.uvm.uvmExit(0, vm))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("vmspace-free"));
    }

    @Test
    void ledgerCountsTheWorkAndTheLock()
    {
        FakeMachine m = FakeMachine.create(2, 4096, PmrFreeMode.SINGLE, false);
        Vmspace vm = spawn(m, 0);
        m.uvm.touch(0, vm, 16);
        switchAway(m, 0, vm);
        long now = m.clocks.now(0);
        TeardownLedger ledger = m.uvm.uvmExit(0, vm);
        assertThat(ledger.cycles()).isEqualTo(m.clocks.now(0) - now);
        assertThat(ledger.pagesFreed()).isEqualTo(20);
        assertThat(ledger.anonsFreed()).isEqualTo(20);
        assertThat(ledger.fpageqAcquires()).as("one per page and per page-table page").isEqualTo(20 + ledger.ptpFreed());
        assertThat(ledger.stackPagesFreed()).isZero();
    }

    @Test
    void batchFreeingATeardownSpendsFewerCyclesThanSingleFreeing()
    {
        TeardownLedger single = teardown(PmrFreeMode.SINGLE);
        TeardownLedger batch = teardown(PmrFreeMode.BATCH);
        assertThat(batch.pagesFreed()).isEqualTo(single.pagesFreed());
        assertThat(batch.ptesCleared()).isEqualTo(single.ptesCleared());
        assertThat(batch.fpageqAcquires()).isLessThan(single.fpageqAcquires());
        assertThat(batch.cycles()).isLessThan(single.cycles());
    }

    private static TeardownLedger teardown(PmrFreeMode mode)
    {
        FakeMachine m = FakeMachine.create(2, 8192, mode, false);
        Vmspace a = spawn(m, 0);
        Vmspace b = m.uvm.uvmspaceCreate(0, IMAGE);
        m.uvm.populate(0, b);
        // Two processes faulting alternately: scattered pages, as after a while of running.
        for (int i = 0; i < 64; i++) {
            m.uvm.uvmFault(0, a, FakeMd.LAYOUT.textStart(), Access.READ);
            touchDirect(m, a, 4);
            touchDirect(m, b, 3);
        }
        switchAway(m, 0, a);
        return m.uvm.uvmExit(0, a);
    }

    @Test
    void execCountsTheOldVmspaceApart()
    {
        FakeMachine m = FakeMachine.create(512);
        Vmspace old = spawn(m, 0);
        m.uvm.touch(0, old, 3);
        Pcb pcb = m.md.cpuFork(0, null, old.pmap(), false);
        m.md.cpuSwitchto(0, null, pcb);
        ExecResult result = m.uvm.uvmspaceExec(0, pcb, true, old, new ExecImage(1, 1));
        assertThat(m.md.loadedPmap(0)).isSameAs(result.vmspace().pmap());
        assertThat(result.oldTeardown().kind()).isEqualTo(TeardownKind.EXEC);
        assertThat(result.oldTeardown().pagesFreed()).isEqualTo(7);
        assertThat(result.populate()).isEqualTo(FaultResult.OK);
        assertThat(m.physmem.count(FrameUse.USER)).isEqualTo(2);
        assertThat(m.uvm.audit(List.of(result.vmspace())).clean()).isTrue();
    }

    @Test
    void uareasAreZeroedStacksFreedOnce()
    {
        FakeMachine m = FakeMachine.create(2, 256, PmrFreeMode.BATCH, false);
        Uarea uarea = m.uvm.uareaAlloc(0).orElseThrow();
        assertThat(uarea.pages()).isEqualTo(2);
        assertThat(m.physmem.useOf(uarea.pfn(0))).isEqualTo(FrameUse.KERNEL_STACK);
        assertThat(m.uvm.audit(List.of()).leakedFrames()).isEqualTo(2);
        TeardownLedger ledger = m.uvm.uareaFree(0, uarea);
        assertThat(ledger.stackPagesFreed()).isEqualTo(2);
        assertThat(ledger.kind()).isEqualTo(TeardownKind.UAREA);
        assertThatThrownBy(() -> m.uvm.uareaFree(0, uarea))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("double-free"));
    }

    @Test
    void purgeLeavesTheVmspaceAndPmapForExit()
    {
        FakeMachine m = FakeMachine.create(2, 1024, PmrFreeMode.SINGLE, true);
        Vmspace vm = spawn(m, 0);
        m.uvm.touch(0, vm, 5);
        TeardownLedger purge = m.uvm.uvmPurge(0, vm);
        assertThat(purge.kind()).isEqualTo(TeardownKind.PURGE);
        assertThat(purge.pagesFreed()).isEqualTo(9);
        assertThat(purge.ptesCleared()).as("pmap_purge cleared them").isEqualTo(9);
        assertThat(vm.isPurged()).isTrue();
        assertThat(vm.entries()).isEmpty();
        assertThat(vm.pmap().isDestroyed()).isFalse();
        assertThat(m.uvm.audit(List.of(vm)).clean()).isTrue();
        switchAway(m, 0, vm);
        TeardownLedger exit = m.uvm.uvmExit(0, vm);
        assertThat(exit.pagesFreed()).isZero();
        assertThat(exit.ptpFreed()).isEqualTo(1);
        assertThat(m.physmem.count(FrameUse.PAGE_TABLE)).isEqualTo(1);
    }

    private static Vmspace spawn(FakeMachine m, int cpu)
    {
        Vmspace vm = m.uvm.uvmspaceCreate(cpu, IMAGE);
        Pcb pcb = m.md.cpuFork(cpu, null, vm.pmap(), false);
        m.md.cpuSwitchto(cpu, null, pcb);
        assertThat(m.uvm.populate(cpu, vm)).isEqualTo(FaultResult.OK);
        return vm;
    }

    private static void switchAway(FakeMachine m, int cpu, Vmspace vm)
    {
        m.md.cpuSwitchto(cpu, null, m.md.cpuFork(cpu, null, m.md.pmapKernel(), true));
    }

    // Grows the heap by faulting straight into uvm_fault, without switching pmaps in.
    private static void touchDirect(FakeMachine m, Vmspace vm, int pages)
    {
        MapEntry heap = null;
        for (MapEntry entry : vm.entries()) {
            if (entry.region() == Region.HEAP) {
                heap = entry;
            }
        }
        long start;
        if (heap == null) {
            Pcb pcb = m.md.cpuFork(0, null, vm.pmap(), false);
            m.md.cpuSwitchto(0, null, pcb);
            m.uvm.touch(0, vm, pages);
            return;
        }
        start = heap.end();
        Pcb pcb = m.md.cpuFork(0, null, vm.pmap(), false);
        m.md.cpuSwitchto(0, null, pcb);
        assertThat(m.uvm.touch(0, vm, pages)).isEqualTo(FaultResult.OK);
        assertThat(heap.end()).isEqualTo(start + pages * 4096L);
    }
}
