package dev.fugu.kernel.uvm;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.stats.Teardown;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestUvmKernelOps
{
    @Test
    void aLifecycleThroughTheKernelInterfaceLeavesNothing()
    {
        FakeMachine m = FakeMachine.create(2, 4096, PmrFreeMode.BATCH, false);
        UvmKernelOps ops = new UvmKernelOps(m.uvm, UvmKernelOps.DEFAULT_IMAGE);
        long[] parentStack = ops.uareaAlloc(0);
        Object parent = ops.create(0, "main");
        assertThat(ops.residentPages(parent)).isEqualTo(6);
        Pcb pcb = m.md.cpuFork(0, null, ops.pmap(parent), false);
        m.md.cpuSwitchto(0, null, pcb);
        for (int i = 0; i < 16; i++) {
            assertThat(ops.touch(0, parent)).isTrue();
        }
        assertThat(ops.residentPages(parent)).isEqualTo(22);

        long[] childStack = ops.uareaAlloc(0);
        Object child = ops.fork(0, parent);
        Pcb childPcb = m.md.cpuFork(0, pcb, ops.pmap(child), false);
        m.md.cpuSwitchto(0, pcb, childPcb);
        for (long i = 0; i < 40; i++) {
            assertThat(ops.access(0, child, i, i >= 20)).isTrue();
        }
        assertThat(m.uvm.cowCopies()).as("the child's 18 writable pages were written").isEqualTo(18);
        m.md.pmapActivate(0, childPcb, m.md.pmapKernel(), true);
        Teardown teardown = ops.free(0, child);
        assertThat(teardown.pagesFreed()).isEqualTo(18);
        assertThat(teardown.cycles()).isPositive();
        assertThat(ops.uareaFree(0, childStack).stackPagesFreed()).isEqualTo(2);
        assertThat(ops.leakedFrames()).isZero();

        m.md.cpuSwitchto(0, null, pcb);
        Teardown purge = ops.purge(0, parent);
        m.md.pmapActivate(0, pcb, m.md.pmapKernel(), true);
        Teardown rest = ops.free(0, parent);
        assertThat(purge.plus(rest).pagesFreed()).isEqualTo(22);
        ops.uareaFree(0, parentStack);
        assertThat(ops.audit().clean()).isTrue();
        assertThat(ops.fpageqCounters()[0]).isEqualTo(m.physmem.fpageq().acquires());
        assertThat(m.physmem.count(FrameUse.USER)).isZero();
        assertThatThrownBy(() -> ops.uareaFree(0, parentStack)).isInstanceOf(KernelPanic.class);
    }

    @Test
    void aLeakedUareaIsFound()
    {
        FakeMachine m = FakeMachine.create(256);
        UvmKernelOps ops = new UvmKernelOps(m.uvm, UvmKernelOps.DEFAULT_IMAGE);
        Object vm = ops.create(0, "init");
        assertThat(ops.leakedFrames()).isZero();
        // Forgetting the vmspace object without freeing it: the audit still sees it as live.
        assertThat(ops.residentPages(vm)).isEqualTo(6);
        long[] stack = m.uvm.uareaAlloc(0).orElseThrow().frames();
        assertThat(ops.leakedFrames()).isEqualTo(stack.length);
    }

    @Test
    void createReturnsNullWhenOutOfMemoryAndFreesTheHalfBuiltVmspace()
    {
        FakeMachine m = FakeMachine.create(8);
        UvmKernelOps ops = new UvmKernelOps(m.uvm, new ExecImage(16, 1));
        long free = m.physmem.freeFrames();
        assertThat(ops.create(0, "big")).isNull();
        assertThat(m.physmem.freeFrames()).isEqualTo(free);
        assertThat(ops.audit().clean()).isTrue();
    }
}
