package dev.fugu.arch.i386;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.uvm.FrameUse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.fugu.arch.i386.I386Machines.userFrame;
import static org.assertj.core.api.Assertions.assertThat;

/** Removes and protects over wide ranges: what exit's teardown does with a sparse address space. */
class TestWideRanges
{
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;

    @ParameterizedTest(name = "nopae={0}")
    @ValueSource(booleans = {false, true})
    void removeOfTheWholeUserRangeClearsEverythingAndFreesEveryPtp(boolean nopae)
    {
        Machine machine = I386Machines.boot(1, nopae ? Map.of(I386Plugin.NOPAE, "") : Map.of());
        MachineDependent md = machine.md();
        long tables = machine.physmem().count(FrameUse.PAGE_TABLE);
        Pmap pmap = md.pmapCreate(0);
        long empty = pmap.pageTablePages();
        long text = md.layout().textStart();
        for (int i = 0; i < 8; i++) {
            pmap.enter(0, text + i * 4096L, userFrame(machine), RW);
        }
        // Far from the text, in the top page table below the recursive slots, and near the stack.
        pmap.enter(0, 0x8000_0000L, userFrame(machine), RW);
        pmap.enter(0, md.layout().stackTop() - 4096, userFrame(machine), RW);
        assertThat(pmap.pageTablePages()).isEqualTo(empty + 3);

        assertThat(pmap.remove(0, md.layout().minUserAddress(), md.layout().maxUserAddress())).isEqualTo(10);
        assertThat(pmap.residentCount()).isZero();
        assertThat(pmap.pageTablePages()).isEqualTo(empty);
        assertThat(machine.physmem().count(FrameUse.PAGE_TABLE)).isEqualTo(tables + empty);
        // The kernel half is untouched by a user remove.
        assertThat(md.walk(pmap, 0xd000_1000L)).isEqualTo(0x1000L);
    }

    @ParameterizedTest(name = "nopae={0}")
    @ValueSource(booleans = {false, true})
    void protectOfAWideRangeWriteProtectsEveryPage(boolean nopae)
    {
        Machine machine = I386Machines.boot(1, nopae ? Map.of(I386Plugin.NOPAE, "") : Map.of());
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        long[] vas = {0x1400_0000L, 0x4000_0000L, 0xcf7f_f000L};
        for (long va : vas) {
            pmap.enter(0, va, userFrame(machine), RW);
        }
        I386Machines.runUser(md, 0, pmap);
        for (long va : vas) {
            assertThat(md.access(0, va, Access.WRITE | Access.USER)).isNotNegative();
        }
        // fork(): the parent's pages become copy-on-write.
        pmap.protect(0, md.layout().minUserAddress(), md.layout().maxUserAddress(), Access.PROT_READ);
        for (long va : vas) {
            assertThat(md.access(0, va, Access.WRITE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
            assertThat(md.access(0, va, Access.READ | Access.USER)).isNotNegative();
        }
        assertThat(pmap.residentCount()).isEqualTo(3);
    }
}
