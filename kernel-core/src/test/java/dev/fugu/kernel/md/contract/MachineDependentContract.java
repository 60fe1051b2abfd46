package dev.fugu.kernel.md.contract;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.MdCapability;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.testing.TestMachines;
import dev.fugu.kernel.uvm.FrameUse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every MD plug-in's pmaps, MMUs, TLBs and context switch must share. Differences
 * between architectures appear as {@link MdCapability capabilities}, never as tests of the name.
 * Each arch module extends this class once per option variant (amd64 with and without PCID, i386
 * PAE and nopae, arm64 16- and 8-bit ASIDs).
 */
public abstract class MachineDependentContract
{
    private static final int R = Access.PROT_READ;
    private static final int RW = Access.PROT_READ | Access.PROT_WRITE;
    private static final int USER_READ = Access.READ | Access.USER;
    private static final int USER_WRITE = Access.WRITE | Access.USER;

    protected abstract String archName();

    protected Map<String, String> archOptions()
    {
        return Map.of();
    }

    protected Machine machine(int ncpu, String... injects)
    {
        MachineConfig config = MachineConfig.of(archName(), ncpu, 256L << 20)
                .withArchOptions(archOptions())
                .withInjects(Set.of(injects));
        Machine machine = TestMachines.build(config);
        machine.md().boot();
        return machine;
    }

    /** A user frame, as UVM would hand one to the fault handler. */
    protected static long userFrame(Machine machine)
    {
        long pfn = machine.physmem().allocate(0, FrameUse.USER);
        assertThat(pfn).isNotEqualTo(PhysicalMemory.NO_FRAME);
        return pfn;
    }

    /** The i-th page of user text. */
    protected static long userVa(MachineDependent md, long page)
    {
        return md.layout().textStart() + page * md.layout().pageSize();
    }

    /** The i-th page above the middle of user space: far from text and stack on every arch. */
    protected static long farVa(MachineDependent md, long page)
    {
        long pageSize = md.layout().pageSize();
        long middle = md.layout().textStart() / 2 + md.layout().stackTop() / 2;
        return (middle & -pageSize) + page * pageSize;
    }

    /** A user thread on {@code pmap}, switched in on {@code cpu} from that CPU's idle thread. */
    protected static Pcb runUserThread(MachineDependent md, int cpu, Pmap pmap)
    {
        Pcb idle = md.cpuFork(cpu, null, md.pmapKernel(), true);
        md.cpuSwitchto(cpu, null, idle);
        Pcb thread = md.cpuFork(cpu, idle, pmap, false);
        md.cpuSwitchto(cpu, idle, thread);
        return thread;
    }

    @Test
    void enterExtractRemoveRoundTrip()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        int pageSize = md.layout().pageSize();
        long va = userVa(md, 3);
        long pfn = userFrame(machine);

        assertThat(pmap.extract(va)).isEqualTo(-1);
        assertThat(pmap.enter(0, va, pfn, RW)).isTrue();
        assertThat(pmap.extract(va)).isEqualTo(pfn * pageSize);
        assertThat(pmap.extract(va + 123)).isEqualTo(pfn * pageSize + 123);
        assertThat(md.walk(pmap, va + 8)).isEqualTo(pfn * pageSize + 8);
        assertThat(pmap.residentCount()).isEqualTo(1);

        assertThat(pmap.remove(0, va, va + pageSize)).isEqualTo(1);
        assertThat(pmap.extract(va)).isEqualTo(-1);
        assertThat(md.walk(pmap, va)).isEqualTo(-1);
        assertThat(pmap.residentCount()).isZero();
        assertThat(pmap.remove(0, va, va + pageSize)).isZero();
    }

    @Test
    void enterReplacesAnExistingMapping()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        long va = userVa(md, 0);
        long first = userFrame(machine);
        long second = userFrame(machine);
        pmap.enter(0, va, first, RW);
        pmap.enter(0, va, second, R);
        assertThat(pmap.extract(va)).isEqualTo(second * md.layout().pageSize());
        assertThat(pmap.residentCount()).isEqualTo(1);
    }

    @Test
    void walkEqualsExtractEverywhere()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        Random random = new Random(42);
        long pageSize = md.layout().pageSize();
        long userPages = (md.layout().stackTop() - md.layout().textStart()) / pageSize;
        List<Long> vas = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long va = md.layout().textStart() + Math.floorMod(random.nextLong(), userPages) * pageSize;
            vas.add(va);
            if (random.nextBoolean()) {
                pmap.enter(0, va, userFrame(machine), random.nextBoolean() ? RW : R);
            }
        }
        for (long va : vas) {
            assertThat(md.walk(pmap, va)).as("va 0x%x", va).isEqualTo(pmap.extract(va));
        }
    }

    @Test
    void protectLowersPermissionAndWriteFaults()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        long va = userVa(md, 5);
        long pfn = userFrame(machine);
        pmap.enter(0, va, pfn, RW);
        runUserThread(md, 0, pmap);

        assertThat(md.access(0, va, USER_WRITE)).isEqualTo(pfn * md.layout().pageSize());
        pmap.protect(0, va, va + md.layout().pageSize(), R);
        assertThat(md.access(0, va, USER_READ)).isEqualTo(pfn * md.layout().pageSize());
        assertThat(md.access(0, va, USER_WRITE)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(pmap.extract(va)).isEqualTo(pfn * md.layout().pageSize());
    }

    @Test
    void unmappedAccessFaultsInvalid()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        runUserThread(md, 0, pmap);
        assertThat(md.access(0, userVa(md, 9), USER_READ)).isEqualTo(Access.FAULT_INVALID);
    }

    @Test
    void accessSetsReferencedAndModified()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        long va = userVa(md, 1);
        pmap.enter(0, va, userFrame(machine), RW);
        runUserThread(md, 0, pmap);

        md.access(0, va, USER_READ);
        assertThat(pmap.isReferenced(va)).isTrue();
        assertThat(pmap.isModified(va)).isFalse();
        md.access(0, va, USER_WRITE);
        assertThat(pmap.isModified(va)).isTrue();
    }

    @Test
    void destroyReturnsEveryPageTablePage()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        long freeBefore = machine.physmem().freeFrames();
        long ptpBefore = machine.physmem().count(FrameUse.PAGE_TABLE);
        Pmap pmap = md.pmapCreate(0);
        List<Long> frames = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long pfn = userFrame(machine);
            frames.add(pfn);
            // Spread over several page tables: text, far above it, and near the stack.
            long va = switch (i % 3) {
                case 0 -> userVa(md, i);
                case 1 -> farVa(md, i);
                default -> md.layout().stackTop() - (long) (i + 1) * md.layout().pageSize();
            };
            assertThat(pmap.enter(0, va, pfn, RW)).isTrue();
        }
        assertThat(pmap.pageTablePages()).isGreaterThan(1);
        pmap.reference(0);
        assertThat(pmap.destroy(0)).isFalse();
        assertThat(pmap.isDestroyed()).isFalse();
        assertThat(pmap.destroy(0)).isTrue();
        assertThat(pmap.isDestroyed()).isTrue();
        for (long pfn : frames) {
            machine.physmem().release(0, pfn, FrameUse.USER);
        }
        assertThat(machine.physmem().count(FrameUse.PAGE_TABLE)).isEqualTo(ptpBefore);
        assertThat(machine.physmem().freeFrames()).isEqualTo(freeBefore);
    }

    @Test
    void removeOfTheWholeUserRangeClearsEverything()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        long emptyTables = pmap.pageTablePages();
        long va = userVa(md, 0);
        for (int i = 0; i < 8; i++) {
            pmap.enter(0, va + (long) i * md.layout().pageSize(), userFrame(machine), RW);
        }
        long far = farVa(md, 0);
        pmap.enter(0, far, userFrame(machine), RW);
        long populated = pmap.pageTablePages();
        assertThat(populated).isGreaterThan(emptyTables);
        // The whole user range at once: a pmap must skip absent tables, not step through every page.
        assertThat(pmap.remove(0, md.layout().minUserAddress(), md.layout().maxUserAddress())).isEqualTo(9);
        assertThat(pmap.residentCount()).isZero();
        assertThat(pmap.pageTablePages()).isLessThanOrEqualTo(populated);
    }

    @Test
    void enterFailsCleanlyWhenMemoryIsExhausted()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        long pfn = userFrame(machine);
        while (machine.physmem().allocate(0, FrameUse.USER) != PhysicalMemory.NO_FRAME) {
            // drain RAM
        }
        long va = userVa(md, 7);
        assertThat(pmap.enter(0, va, pfn, RW)).isFalse();
        assertThat(pmap.extract(va)).isEqualTo(-1);
        assertThat(pmap.residentCount()).isZero();
    }

    @Test
    void activateAndDeactivateKeepTheCpuBookkeeping()
    {
        Machine machine = machine(2);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        Pcb thread = runUserThread(md, 1, pmap);
        assertThat(md.currentPmap(1)).isSameAs(pmap);
        assertThat(md.loadedPmap(1)).isSameAs(pmap);
        assertThat(md.currentPmap(0)).isNotSameAs(pmap);
        assertThat(thread.pmap()).isSameAs(pmap);
        assertThat(thread.isSystem()).isFalse();

        // What pmap_deactivate changes differs (amd64 clears ci_proc_pmap, arm64 loads the empty
        // TTBR0): the arch modules test it.
        md.pmapDeactivate(1, thread);

        // An exiting thread borrows pmap_kernel() (the seed's direct exit).
        md.pmapActivate(1, thread, md.pmapKernel(), true);
        assertThat(thread.pmap()).isSameAs(md.pmapKernel());
        md.cpuExit(1, thread);
        assertThat(thread.isExited()).isTrue();
        Pcb idle = md.cpuFork(1, null, md.pmapKernel(), true);
        md.cpuSwitchto(1, null, idle);
        assertThat(md.loadedPmap(1)).isSameAs(md.pmapKernel());
    }

    @Test
    void switchBetweenUserPmapsNeverLeaksTranslations()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        long va = userVa(md, 2);
        Pmap a = md.pmapCreate(0);
        Pmap b = md.pmapCreate(0);
        long frameA = userFrame(machine);
        long frameB = userFrame(machine);
        a.enter(0, va, frameA, RW);
        b.enter(0, va, frameB, RW);
        long pageSize = md.layout().pageSize();

        Pcb threadA = runUserThread(md, 0, a);
        Pcb threadB = md.cpuFork(0, threadA, b, false);
        assertThat(md.access(0, va, USER_READ)).isEqualTo(frameA * pageSize);
        md.cpuSwitchto(0, threadA, threadB);
        assertThat(md.access(0, va, USER_READ)).isEqualTo(frameB * pageSize);
        md.cpuSwitchto(0, threadB, threadA);
        assertThat(md.access(0, va, USER_WRITE)).isEqualTo(frameA * pageSize);

        // A page only B maps must fault for A.
        long onlyB = userVa(md, 77);
        b.enter(0, onlyB, userFrame(machine), RW);
        assertThat(md.access(0, onlyB, USER_READ)).isEqualTo(Access.FAULT_INVALID);
    }

    @Test
    void shootdownReachesEveryCpuThatMayCacheThePmap()
    {
        Machine machine = machine(4);
        MachineDependent md = machine.md();
        Pmap shared = md.pmapCreate(0);
        Pmap other = md.pmapCreate(0);
        long va = userVa(md, 4);
        long pfn = userFrame(machine);
        shared.enter(0, va, pfn, RW);
        other.enter(0, va, userFrame(machine), RW);
        // Two threads of one process on cpu0 and cpu1, an unrelated process on cpu2, cpu3 idle.
        runUserThread(md, 0, shared);
        runUserThread(md, 1, shared);
        runUserThread(md, 2, other);
        Pcb idle3 = md.cpuFork(3, null, md.pmapKernel(), true);
        md.cpuSwitchto(3, null, idle3);
        md.access(0, va, USER_READ);
        md.access(1, va, USER_READ);
        md.access(2, va, USER_READ);
        assertThat(md.tlb(1).holds(shared, va)).isTrue();

        long ipisBefore = machine.stats().shootdownIpis();
        assertThat(shared.remove(0, va, va + md.layout().pageSize())).isEqualTo(1);

        for (int cpu = 0; cpu < 4; cpu++) {
            assertThat(md.tlb(cpu).holds(shared, va)).as("cpu%d", cpu).isFalse();
        }
        assertThat(md.access(1, va, USER_READ)).isEqualTo(Access.FAULT_INVALID);
        assertThat(md.access(2, va, USER_READ)).isNotNegative();
        long ipis = machine.stats().shootdownIpis() - ipisBefore;
        if (md.has(MdCapability.SHOOTDOWN_IPI)) {
            // At least cpu1's; a pmap that frees emptied page tables shoots their addresses down too.
            assertThat(ipis).as("IPIs to the CPU sharing the pmap").isPositive();
        }
        else {
            assertThat(md.has(MdCapability.BROADCAST_TLBI)).isTrue();
            assertThat(ipis).isZero();
        }
        assertThat(machine.stats().tlbInvalidations()).isPositive();
    }

    @Test
    void protectIsShotDownToo()
    {
        Machine machine = machine(2);
        MachineDependent md = machine.md();
        Pmap shared = md.pmapCreate(0);
        long va = userVa(md, 6);
        shared.enter(0, va, userFrame(machine), RW);
        runUserThread(md, 0, shared);
        runUserThread(md, 1, shared);
        assertThat(md.access(1, va, USER_WRITE)).isNotNegative();
        shared.protect(0, va, va + md.layout().pageSize(), R);
        assertThat(md.access(1, va, USER_WRITE)).isEqualTo(Access.FAULT_PROTECTION);
    }

    @Test
    void missedShootdownIsCaughtAsStaleTlbUse()
    {
        Machine machine = machine(2, "missed-shootdown");
        MachineDependent md = machine.md();
        Pmap shared = md.pmapCreate(0);
        long va = userVa(md, 4);
        shared.enter(0, va, userFrame(machine), RW);
        runUserThread(md, 0, shared);
        runUserThread(md, 1, shared);
        md.access(1, va, USER_READ);
        shared.remove(0, va, va + md.layout().pageSize());
        assertThatThrownBy(() -> md.access(1, va, USER_READ))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("stale-tlb"));
    }

    @Test
    void noTlbEntryOfADestroyedPmapSurvivesTheNextUserSwitch()
    {
        Machine machine = machine(2);
        MachineDependent md = machine.md();
        Pmap dying = md.pmapCreate(0);
        Pmap next = md.pmapCreate(0);
        long pageSize = md.layout().pageSize();
        List<Long> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long pfn = userFrame(machine);
            frames.add(pfn);
            dying.enter(0, userVa(md, i), pfn, RW);
        }
        next.enter(0, userVa(md, 0), userFrame(machine), RW);
        Pcb thread = runUserThread(md, 0, dying);
        for (int i = 0; i < 8; i++) {
            md.access(0, userVa(md, i), USER_WRITE);
        }
        assertThat(md.tlb(0).entriesOf(dying)).isEqualTo(8);

        // exit: deactivate, switch away for good, tear down.
        md.pmapDeactivate(0, thread);
        md.cpuExit(0, thread);
        Pcb idle = md.cpuFork(0, null, md.pmapKernel(), true);
        md.cpuSwitchto(0, null, idle);
        dying.remove(1, md.layout().minUserAddress(), md.layout().maxUserAddress());
        dying.destroy(1);

        Pcb successor = md.cpuFork(0, idle, next, false);
        md.cpuSwitchto(0, idle, successor);
        assertThat(md.tlb(0).entriesOf(dying)).isZero();
        assertThat(md.access(0, userVa(md, 0), USER_READ)).isNotNegative();
        assertThat(md.access(0, userVa(md, 1), USER_READ)).isEqualTo(Access.FAULT_INVALID);
        assertThat(frames).hasSize(8);
        assertThat(pageSize).isPositive();
    }

    @Test
    void operationsOnADestroyedPmapAreViolations()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        pmap.destroy(0);
        long pfn = userFrame(machine);
        assertThatThrownBy(() -> pmap.enter(0, userVa(md, 0), pfn, RW))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("destroyed-pmap"));
    }

    @Test
    void kernelPmapIsTheKernels()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        assertThat(md.pmapKernel().isKernel()).isTrue();
        assertThat(md.pmapKernel().id()).isZero();
        Pmap user = md.pmapCreate(0);
        assertThat(user.isKernel()).isFalse();
        assertThat(user.references()).isEqualTo(1);
        assertThat(user.id()).isNotZero();
        assertThat(user.rootPa()).isNotEqualTo(md.pmapKernel().rootPa());
    }

    @Test
    void switchingChargesCycles()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        long before = machine.stats().sysCycles(0);
        runUserThread(md, 0, md.pmapCreate(0));
        assertThat(machine.stats().sysCycles(0)).isGreaterThan(before);
    }

    @Test
    void purgeRemovesUserMappingsWhereSupported()
    {
        Machine machine = machine(1);
        MachineDependent md = machine.md();
        Pmap pmap = md.pmapCreate(0);
        for (int i = 0; i < 4; i++) {
            pmap.enter(0, userVa(md, i), userFrame(machine), RW);
        }
        if (md.has(MdCapability.PMAP_PURGE)) {
            Pcb thread = runUserThread(md, 0, pmap);
            md.pmapDeactivate(0, thread);
            assertThat(pmap.purge(0)).isEqualTo(4);
            assertThat(pmap.residentCount()).isZero();
            assertThat(pmap.extract(userVa(md, 0))).isEqualTo(-1);
        }
        else {
            assertThatThrownBy(() -> pmap.purge(0)).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
