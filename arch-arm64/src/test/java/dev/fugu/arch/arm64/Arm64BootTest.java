package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.MdCapability;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pmap_bootstrap() and the dmesg, and the plug-in's limits as the OpenBSD/arm64 headers have them.
 */
class Arm64BootTest
{
    @Test
    void dmesgLines()
    {
        var machine = TestMachines.build("arm64", 3, 64L << 20);
        List<String> log = machine.md().boot();
        long avail = machine.physmem().freeFrames() * 4096;

        assertThat(log.get(0)).isEqualTo("real mem  = 67108864 (64MB)");
        assertThat(log.get(1)).isEqualTo("avail mem = " + avail + " (" + (avail >> 20) + "MB)");
        // L1 root, empty TTBR0 table, one L2 and one L3 for the image, 8 image pages
        assertThat(avail).isEqualTo(67108864L - 12 * 4096);
        // the frame audit claims page-table frames by pmap: pmap_kernel() accounts for all 12
        assertThat(machine.md().pmapKernel().pageTablePages()).isEqualTo(12);
        assertThat(log.get(2)).startsWith("mainbus0 at root");
        assertThat(log).filteredOn(line -> line.matches("cpu\\d+ at mainbus0.*")).containsExactly(
                "cpu0 at mainbus0 mpidr 0: ARM Cortex-A53 r0p4",
                "cpu1 at mainbus0 mpidr 1: ARM Cortex-A53 r0p4",
                "cpu2 at mainbus0 mpidr 2: ARM Cortex-A53 r0p4");
        assertThat(log).contains("cpu2: 32KB 64b/line 2-way L1 VIPT I-cache, 32KB 64b/line 4-way L1 D-cache, 512-entry TLB, ASID16");
        assertThat(log.get(log.size() - 1)).isEqualTo("paging: 4K granule, 16-bit ASID");
    }

    @Test
    void everyCpuStartsOnPmapKernelWithTheEmptyUserTable()
    {
        Arm64Fixture f = new Arm64Fixture(2);
        for (int cpu = 0; cpu < 2; cpu++) {
            assertThat(f.md.currentPmap(cpu)).isSameAs(f.md.pmapKernel());
            assertThat(f.md.loadedPmap(cpu)).isSameAs(f.md.pmapKernel());
            assertThat(f.md.ttbr0(cpu)).isEqualTo(f.md.emptyTablePa());
            assertThat(f.md.currentAsid(cpu)).isZero();
            assertThat(f.md.access(cpu, 0x10_0000L, Access.READ | Access.USER)).isEqualTo(Access.FAULT_INVALID);
        }
        // kernel TLB entries exist once the kernel touches its pages
        assertThat(f.md.access(1, Arm64MachineDependent.KERNEL_MIN + 6 * 4096, Access.WRITE)).isPositive();
        assertThat(f.md.tlb(1).entriesOf(f.md.pmapKernel())).isEqualTo(1);
        assertThat(f.md.pmapKernel().residentCount()).isEqualTo(8);
    }

    @Test
    void limitsDefaultsAndCapabilities()
    {
        ArchPlugin plugin = TestMachines.registry().get("arm64");
        // MAXCPUS 256: sys/arch/arm64/include/cpu.h; physical addresses of 48 bits: pte.h PTE_RPGN
        assertThat(plugin.limits().maxCpus()).isEqualTo(256);
        assertThat(plugin.limits().maxMemBytes()).isEqualTo(1L << 48);
        assertThat(plugin.defaults().pageSize()).isEqualTo(4096);
        assertThat(plugin.defaults().pagingLevels()).isEqualTo(3);
        assertThat(plugin.defaults().clockMhz()).isEqualTo(2000);
        assertThat(plugin.injects()).containsExactly("missed-shootdown");
        assertThat(plugin.options()).singleElement().satisfies(option -> {
            assertThat(option.key()).isEqualTo("asid8");
            assertThat(option.isFlag()).isTrue();
        });
        var md = TestMachines.build("arm64", 1, 64L << 20).md();
        assertThat(md.capabilities()).containsExactlyInAnyOrder(
                MdCapability.ASID, MdCapability.PMAP_PURGE, MdCapability.BROADCAST_TLBI, MdCapability.NX);
        // vmparam.h: VM_MAXUSER_ADDRESS = (1 << 39) - 0x8000 = USRSTACK; param.h: UPAGES 5
        assertThat(md.layout().maxUserAddress()).isEqualTo(0x7f_ffff_8000L);
        assertThat(md.layout().stackTop()).isEqualTo(0x7f_ffff_8000L);
        assertThat(md.layout().uareaPages()).isEqualTo(5);
        assertThat(md.layout().minUserAddress()).isEqualTo(4096);
    }

    @Test
    void enterThatCannotGetATablePageChangesNothing()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        assertThat(pmap.enter(0, 0x40_0000L, 5, Access.PROT_READ)).isTrue();
        // leave exactly one free frame: enough for an L2, not for its L3
        while (f.machine.physmem().freeFrames() > 1) {
            f.machine.physmem().allocate(0, dev.fugu.kernel.uvm.FrameUse.USER);
        }
        long tables = pmap.pageTablePages();
        assertThat(pmap.enter(0, 1L << 35, 6, Access.PROT_READ)).isFalse();
        assertThat(pmap.pageTablePages()).isEqualTo(tables);
        assertThat(f.freeFrames()).isEqualTo(1);
        assertThat(pmap.residentCount()).isEqualTo(1);
        assertThat(f.md.walk(pmap, 1L << 35)).isEqualTo(-1);
        // a slot in an existing L3 needs no frame
        assertThat(pmap.enter(0, 0x40_1000L, 7, Access.PROT_READ)).isTrue();
    }
}
