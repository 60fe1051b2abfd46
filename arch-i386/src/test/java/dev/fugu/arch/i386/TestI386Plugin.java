package dev.fugu.arch.i386;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.md.ArchOption;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestI386Plugin
{
    @Test
    void isBoundByNameWithOpenBsdLimits()
    {
        ArchPlugin plugin = TestMachines.registry().get("i386");
        assertThat(plugin).isInstanceOf(I386Plugin.class);
        // MAXCPUS 32 (sys/arch/i386/include/cpu.h), memory below 4 GB.
        assertThat(plugin.limits().maxCpus()).isEqualTo(32);
        assertThat(plugin.limits().maxMemBytes()).isEqualTo(4L << 30);
        assertThat(plugin.defaults().pageSize()).isEqualTo(4096);
        assertThat(plugin.defaults().pagingLevels()).isEqualTo(3);
        assertThat(plugin.defaults().clockMhz()).isEqualTo(1000);
        assertThat(plugin.options()).extracting(ArchOption::key).containsExactly("nopae");
        assertThat(plugin.options().get(0).isFlag()).isTrue();
        assertThat(plugin.injects()).containsExactly("missed-shootdown");
    }

    @Test
    void costTableHasTheCommonKeysWithSources()
    {
        ArchPlugin plugin = new I386Plugin();
        assertThat(plugin.defaultCosts().entries()).extracting(CostEntry::key)
                .contains("md.ttb.load", "md.tlb.flush", "md.ipi.send", "md.ipi.receive", "md.i386.shoot_wait");
        assertThat(plugin.defaultCosts().entries()).allSatisfy(entry -> {
            assertThat(entry.cycles()).isPositive();
            assertThat(entry.source()).isNotBlank();
        });
    }

    @Test
    void layoutFollowsVmparam()
    {
        MachineDependent md = I386Machines.pae(1).md();
        assertThat(md.layout().minUserAddress()).isEqualTo(0x1000L);
        assertThat(md.layout().maxUserAddress()).isEqualTo(0xcf80_0000L);
        assertThat(md.layout().stackTop()).isEqualTo(0xcf80_0000L);
        assertThat(md.layout().textStart()).isEqualTo(0x1400_0000L);
        assertThat(md.layout().uareaPages()).isEqualTo(2);
    }

    @Test
    void bootPrintsTheDmesgOfPaeMode()
    {
        Machine machine = TestMachines.build(MachineConfig.of("i386", 2, 64L << 20));
        List<String> log = machine.md().boot();
        long total = machine.physmem().totalFrames();
        // pmap_bootstrap took the PDPT, four PD pages and one kernel PTP.
        long avail = (total - 6) * 4096;
        assertThat(log).containsSubsequence(
                "real mem  = 67108864 (64MB)",
                "avail mem = " + avail + " (" + (avail >> 20) + "MB)",
                "mainbus0 at root",
                "cpu0 at mainbus0: apid 0 (boot processor)",
                "cpu1 at mainbus0: apid 1 (application processor)",
                "paging: PAE (3-level, NX)");
        assertThat(log).filteredOn(line -> line.startsWith("cpu0: ")).singleElement().asString().contains("PAE", "NXE");
        assertThat(machine.physmem().freeFrames() * 4096).isEqualTo(avail);
    }

    @Test
    void bootPrintsTheDmesgOfTwoLevelMode()
    {
        Machine machine = TestMachines.build(MachineConfig.of("i386", 1, 64L << 20)
                .withArchOptions(Map.of("nopae", "")).withInjects(Set.of()));
        List<String> log = machine.md().boot();
        // The page directory and one kernel PTP.
        long avail = (machine.physmem().totalFrames() - 2) * 4096;
        assertThat(log).contains("avail mem = " + avail + " (" + (avail >> 20) + "MB)", "paging: 2-level, 4 MB PDEs");
        assertThat(log).filteredOn(line -> line.startsWith("paging: ")).hasSize(1);
        assertThat(machine.md().pagingMode()).isEqualTo("2-level, 4 MB PDEs");
    }
}
