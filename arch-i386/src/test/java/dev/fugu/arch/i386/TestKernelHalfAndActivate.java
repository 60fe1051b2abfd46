package dev.fugu.arch.i386;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.Pmap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.fugu.arch.i386.I386Machines.md;
import static dev.fugu.arch.i386.I386Machines.runUser;
import static dev.fugu.arch.i386.I386Machines.userFrame;
import static org.assertj.core.api.Assertions.assertThat;

/** The kernel half every page directory shares, and pmap_activate() for exec and exit. */
class TestKernelHalfAndActivate
{
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;

    private static Machine machine(boolean nopae, int ncpu)
    {
        return I386Machines.boot(ncpu, nopae ? Map.of(I386Plugin.NOPAE, "") : Map.of());
    }

    @ParameterizedTest(name = "nopae={0}")
    @ValueSource(booleans = {false, true})
    void aNewKernelPageTableReachesEveryPageDirectory(boolean nopae)
    {
        Machine machine = machine(nopae, 1);
        I386Machine md = md(machine);
        I386Pmap kernel = (I386Pmap) md.pmapKernel();
        I386Pmap before = (I386Pmap) md.pmapCreate(0);
        long kva = 0xd100_0000L;
        long pfn = userFrame(machine);
        long kernelTables = kernel.pageTablePages();

        // pmap_growkernel(): a kernel PTP, its PDE copied into every pmap on the list.
        assertThat(kernel.enter(0, kva, pfn, RW)).isTrue();
        assertThat(kernel.pageTablePages()).isEqualTo(kernelTables + 1);
        I386Pmap after = (I386Pmap) md.pmapCreate(0);
        int slot = md.slotOf(kva);
        long pde = nopae
                ? machine.physmem().read32(md.pdeAddress(kernel, slot)) & 0xffff_ffffL
                : machine.physmem().read64(md.pdeAddress(kernel, slot));
        // Supervisor-only: PG_RW | PG_V | PG_U | PG_M, no PG_u.
        assertThat(pde & 0xfff).isEqualTo(0x63);
        for (I386Pmap pmap : new I386Pmap[] {before, after}) {
            long copy = nopae
                    ? machine.physmem().read32(md.pdeAddress(pmap, slot)) & 0xffff_ffffL
                    : machine.physmem().read64(md.pdeAddress(pmap, slot));
            assertThat(copy).isEqualTo(pde);
            assertThat(md.walk(pmap, kva + 8)).isEqualTo((pfn << 12) + 8);
        }
        // A kernel PTP is not the user pmap's: its count does not change.
        assertThat(before.pageTablePages()).isEqualTo(after.pageTablePages());

        // Removing the kernel page leaves the kernel PTP in place: kernel PTPs are never freed.
        assertThat(kernel.remove(0, kva, kva + 4096)).isEqualTo(1);
        assertThat(kernel.pageTablePages()).isEqualTo(kernelTables + 1);
        assertThat(md.walk(before, kva)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "nopae={0}")
    @ValueSource(booleans = {false, true})
    void execActivatesTheNewPmapAtOnce(boolean nopae)
    {
        Machine machine = machine(nopae, 1);
        I386Machine md = md(machine);
        Pmap old = md.pmapCreate(0);
        Pmap fresh = md.pmapCreate(0);
        long va = 0x1400_0000L;
        old.enter(0, va, userFrame(machine), RW);
        long frame = userFrame(machine);
        fresh.enter(0, va, frame, RW);
        Pcb thread = runUser(md, 0, old);
        md.access(0, va, Access.READ | Access.USER);

        long flushes = machine.stats().tlbFlushes();
        md.pmapActivate(0, thread, fresh, true);
        assertThat(thread.pmap()).isSameAs(fresh);
        assertThat(md.loadedPmap(0)).isSameAs(fresh);
        assertThat(md.currentPmap(0)).isSameAs(fresh);
        assertThat(machine.stats().tlbFlushes()).isEqualTo(flushes + 1);
        assertThat(md.tlb(0).entriesOf(old)).isZero();
        assertThat(md.access(0, va, Access.READ | Access.USER)).isEqualTo(frame << 12);

        // Activating the pmap already in %cr3 loads nothing.
        md.pmapActivate(0, thread, fresh, true);
        assertThat(machine.stats().tlbFlushes()).isEqualTo(flushes + 1);
    }

    @ParameterizedTest(name = "nopae={0}")
    @ValueSource(booleans = {false, true})
    void anExitingThreadBorrowsTheKernelPmap(boolean nopae)
    {
        Machine machine = machine(nopae, 2);
        I386Machine md = md(machine);
        Pmap pmap = md.pmapCreate(0);
        long va = 0x1400_0000L;
        pmap.enter(0, va, userFrame(machine), RW);
        Pcb thread = runUser(md, 1, pmap);
        md.access(1, va, Access.READ | Access.USER);

        // The seed's direct exit: uvm_exit tears the address space down on the exiting CPU,
        // then the thread runs on pmap_kernel() until it switches away for good.
        assertThat(pmap.remove(1, md.layout().minUserAddress(), md.layout().maxUserAddress())).isEqualTo(1);
        assertThat(pmap.destroy(1)).isTrue();
        assertThat(md.loadedPmap(1)).as("pmap_tlb_droppmap moved cpu1 off the freed tables").isSameAs(md.pmapKernel());
        long flushes = machine.stats().tlbFlushes();
        md.pmapActivate(1, thread, md.pmapKernel(), true);
        assertThat(machine.stats().tlbFlushes()).isEqualTo(flushes);
        md.cpuExit(1, thread);
        Pcb idle = md.cpuFork(1, null, md.pmapKernel(), true);
        md.cpuSwitchto(1, null, idle);
        assertThat(md.loadedPmap(1)).isSameAs(md.pmapKernel());
        assertThat(md.tlb(1).entriesOf(pmap)).isZero();
        assertThat(machine.stats().tlbFlushes()).isEqualTo(flushes);
    }
}
