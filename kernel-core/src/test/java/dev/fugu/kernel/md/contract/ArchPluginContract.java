package dev.fugu.kernel.md.contract;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.ConfigException;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.md.ArchPlugin;
import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.CostKeys;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every architecture plug-in must do to be booted by the kernel: be found by name through the
 * injector, state its limits and defaults, and boot with one and with many CPUs. Each arch module
 * extends this class (once per option variant worth booting).
 */
public abstract class ArchPluginContract
{
    /** The plug-in under test, by name. */
    protected abstract String archName();

    /** {@code --arch-opt} values for this variant; none by default. */
    protected Map<String, String> archOptions()
    {
        return Map.of();
    }

    protected MachineConfig config(int ncpu)
    {
        return MachineConfig.of(archName(), ncpu, 256L << 20).withArchOptions(archOptions());
    }

    /** A kernel whose workload forks one child and reaps it. */
    protected static Kernel kernel(MachineConfig config)
    {
        return TestMachines.kernel(config, "proc main { fork child; wait; expect exited 3 }\nproc child { touch 4; exit 3 }\n",
                dev.fugu.kernel.exit.ExitModel.DIRECT);
    }

    protected ArchPlugin plugin()
    {
        return TestMachines.registry().get(archName());
    }

    @Test
    void pluginIsFoundByNameThroughTheInjector()
    {
        ArchPlugin plugin = plugin();
        assertThat(plugin.name()).isEqualTo(archName());
        assertThat(TestMachines.registry().names()).contains(archName());
        assertThat(plugin.description()).isNotBlank().doesNotContain("\n");
    }

    @Test
    void statesItsLimitsAndDefaults()
    {
        ArchPlugin plugin = plugin();
        assertThat(plugin.limits().maxCpus()).isGreaterThanOrEqualTo(8);
        assertThat(plugin.limits().maxMemBytes()).isGreaterThanOrEqualTo(MachineConfig.MIN_MEM);
        assertThat(plugin.defaults().pageSize()).isEqualTo(4096);
        assertThat(plugin.defaults().pagingLevels()).isBetween(2, 5);
        assertThat(plugin.defaults().clockMhz()).isPositive();
    }

    @Test
    void machineReportsPageSizeLevelsAndCommonCosts()
    {
        MachineDependent md = TestMachines.build(config(2)).md();
        assertThat(md.arch()).isEqualTo(archName());
        assertThat(md.ncpu()).isEqualTo(2);
        assertThat(md.layout().pageSize()).isEqualTo(plugin().defaults().pageSize());
        assertThat(md.pagingLevels()).isBetween(2, 5);
        assertThat(md.pagingMode()).isNotBlank();
        assertThat(md.costs().entries()).extracting(CostEntry::key).contains(
                CostKeys.SWITCH_SAVE, CostKeys.SWITCH_RESTORE, CostKeys.TTB_LOAD, CostKeys.TLB_FLUSH,
                CostKeys.TLB_INVALIDATE_PAGE, CostKeys.TLB_WALK_LEVEL, CostKeys.TLB_HIT, CostKeys.IPI_SEND,
                CostKeys.IPI_RECEIVE, CostKeys.PTE_WRITE, CostKeys.PTP_ALLOC, CostKeys.PTP_FREE, CostKeys.FORK_PCB,
                CostKeys.EXIT_CPU);
        assertThat(plugin().defaultCosts().entries()).allSatisfy(entry -> {
            assertThat(entry.description()).isNotBlank();
            assertThat(entry.source()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0} CPUs")
    @ValueSource(ints = {1, 8})
    void bootsWithOneCpuLinePerCpu(int ncpu)
    {
        Kernel kernel = kernel(config(ncpu));
        List<String> log = kernel.boot();

        List<String> cpuLines = log.stream().filter(line -> Pattern.matches("cpu\\d+ at mainbus0.*", line)).toList();
        assertThat(cpuLines).hasSize(ncpu);
        for (int cpu = 0; cpu < ncpu; cpu++) {
            assertThat(cpuLines.get(cpu)).startsWith("cpu" + cpu + " at mainbus0");
        }
        assertThat(log).anyMatch(line -> line.startsWith("real mem"));
        assertThat(log).anyMatch(line -> line.startsWith("avail mem"));
        assertThat(log).filteredOn(line -> line.startsWith("paging: ")).containsExactly("paging: " + kernel.md().pagingMode());

        RunSummary summary = kernel.run();
        assertThat(summary.arch()).isEqualTo(archName());
        assertThat(summary.ncpu()).isEqualTo(ncpu);
        assertThat(summary.simCycles()).isPositive();
        assertThat(summary.stopReason()).isNull();
        assertThat(summary.processes().forked()).isEqualTo(2);
        assertThat(summary.processes().reaped()).isEqualTo(2);
        assertThat(summary.expectsPassed()).isEqualTo(1);
        assertThat(summary.expectsFailed()).isZero();
        assertThat(summary.leakedFrames()).isZero();
    }

    @Test
    void bootsWithMaxCpus()
    {
        int max = plugin().limits().maxCpus();
        Kernel kernel = kernel(config(max));
        assertThat(kernel.boot()).filteredOn(line -> line.matches("cpu\\d+ at mainbus0.*")).hasSize(max);
    }

    @Test
    void rejectsCpuCountsOutsideItsLimits()
    {
        int max = plugin().limits().maxCpus();
        assertThatThrownBy(() -> TestMachines.registry().validate(config(max + 1)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.option()).isEqualTo("--ncpu");
                    assertThat(e.getMessage()).contains("1 to " + max);
                });
        assertThatThrownBy(() -> TestMachines.registry().validate(config(0)))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void rejectsMemoryOutsideItsLimits()
    {
        long max = plugin().limits().maxMemBytes();
        MachineConfig tooBig = new MachineConfig(archName(), 1, max + 4096, 1, archOptions(), java.util.Set.of(), Map.of());
        assertThatThrownBy(() -> TestMachines.registry().validate(tooBig))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.option()).isEqualTo("--mem"));
        MachineConfig tooSmall = new MachineConfig(archName(), 1, 32L << 20, 1, archOptions(), java.util.Set.of(), Map.of());
        assertThatThrownBy(() -> TestMachines.registry().validate(tooSmall))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.option()).isEqualTo("--mem"));
    }

    @Test
    void rejectsUnknownArchOptions()
    {
        MachineConfig config = config(1).withArchOptions(Map.of("no-such-option", ""));
        assertThatThrownBy(() -> TestMachines.registry().validate(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.option()).isEqualTo("--arch-opt"));
    }

    @Test
    void everyOptionItDeclaresBoots()
    {
        for (var option : plugin().options()) {
            String value = option.isFlag() ? "" : option.values().get(0);
            MachineConfig config = config(2).withArchOptions(Map.of(option.key(), value));
            Kernel kernel = kernel(config);
            assertThat(kernel.boot()).anyMatch(line -> line.startsWith("paging: "));
        }
    }
}
