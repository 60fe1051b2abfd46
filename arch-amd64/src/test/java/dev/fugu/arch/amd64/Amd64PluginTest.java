package dev.fugu.arch.amd64;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.MdCapability;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The plug-in's identity, limits, layout, costs and dmesg. */
class Amd64PluginTest
{
    @Test
    void limitsAndDefaultsAreTheOpenBsdPorts()
    {
        Amd64Plugin plugin = new Amd64Plugin();
        // cpu.h: MAXCPUS 64; pmap.h: NUM_L4_SLOT_DIRECT 4 slots of 512 GB.
        assertThat(plugin.limits().maxCpus()).isEqualTo(64);
        assertThat(plugin.limits().maxMemBytes()).isEqualTo(2L << 40);
        assertThat(plugin.defaults().pageSize()).isEqualTo(4096);
        assertThat(plugin.defaults().pagingLevels()).isEqualTo(4);
        assertThat(plugin.defaults().clockMhz()).isEqualTo(2400);
        assertThat(plugin.injects()).containsExactlyInAnyOrder("stale-ci-proc-pmap", "missed-shootdown");
        assertThat(plugin.options()).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("nopcid");
            assertThat(o.isFlag()).isTrue();
        });
        assertThat(TestMachines.registry().get("amd64")).isInstanceOf(Amd64Plugin.class);
    }

    @Test
    void layoutIsVmparamH()
    {
        Rig rig = Rig.pcid(1);
        var layout = rig.md.layout();
        assertThat(layout.minUserAddress()).isEqualTo(0x1000L);
        assertThat(layout.maxUserAddress()).isEqualTo(0x0000_7f7f_ffff_c000L);
        assertThat(layout.stackTop()).isEqualTo(layout.maxUserAddress());
        assertThat(layout.uareaPages()).isEqualTo(5);
    }

    @Test
    void capabilitiesFollowTheOption()
    {
        assertThat(Rig.pcid(1).md.capabilities()).containsExactlyInAnyOrder(MdCapability.PCID, MdCapability.SHOOTDOWN_IPI, MdCapability.NX);
        assertThat(Rig.nopcid(1).md.capabilities()).containsExactlyInAnyOrder(MdCapability.SHOOTDOWN_IPI, MdCapability.NX);
        assertThat(Rig.pcid(1).md.pagingMode()).isEqualTo("4-level, PCID");
        assertThat(Rig.nopcid(1).md.pagingMode()).isEqualTo("4-level, no PCID");
    }

    @Test
    void dmesg()
    {
        Machine machine = TestMachines.build("amd64", 2, 64L << 20);
        List<String> log = machine.md().boot();
        // 21 boot frames: PML4, KVA PDPT, image PDPT/PD/PT and 16 image pages.
        long avail = (16384 - 21) * 4096L;
        assertThat(log).containsExactly(
                "real mem  = 67108864 (64MB)",
                "avail mem = " + avail + " (63MB)",
                "mainbus0 at root",
                "cpu0 at mainbus0: apid 0 (boot processor)",
                "cpu0: fugu simulated x86-64 CPU, 2400.00 MHz, FPU,PGE,NXE,PCID,INVPCID, 64-entry DTLB",
                "cpu1 at mainbus0: apid 1 (application processor)",
                "cpu1: fugu simulated x86-64 CPU, 2400.00 MHz, FPU,PGE,NXE,PCID,INVPCID, 64-entry DTLB",
                "paging: 4-level, PCID");
        assertThat(machine.physmem().freeFrames() * 4096).isEqualTo(avail);
        Machine nopcid = TestMachines.build("amd64", 1, 64L << 20, Map.of("nopcid", ""), Set.of());
        assertThat(nopcid.md().boot()).last().isEqualTo("paging: 4-level, no PCID");
    }

    @Test
    void everyCostHasASourceAndOverridesReachTheHotPath()
    {
        assertThat(new Amd64Plugin().defaultCosts().entries()).allSatisfy(entry -> {
            assertThat(entry.source()).isNotBlank();
            assertThat(entry.description()).isNotBlank();
        });
        assertThat(new Amd64Plugin().defaultCosts().entries()).extracting(CostEntry::key)
                .contains("md.amd64.ipi.latency", "md.amd64.pmap.create", "md.amd64.pmap.destroy");
        Rig cheap = Rig.withCosts(Map.of("md.tlb.hit", 7L, "md.switch.restore", 0L));
        Pmap pmap = cheap.md.pmapCreate(0);
        pmap.enter(0, 0x403000L, cheap.userFrame(), 3);
        cheap.run(0, pmap);
        cheap.md.access(0, 0x403000L, 9);
        cheap.sink.reset();
        cheap.md.access(0, 0x403000L, 9);
        assertThat(cheap.sink.cycles[0]).isEqualTo(7);
    }
}
