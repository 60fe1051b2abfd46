package dev.fugu.arch.amd64;

import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.Workloads;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The MI kernel on amd64: fork + touch + exit + wait under each exit model, and the amd64 injects. */
class Amd64KernelRunTest
{
    private static final String FORKS = """
            proc main {
              repeat 300 {
                fork child
                spawn 2 child
                waitall
              }
            }
            proc child { touch 16; exit 0 }
            """;

    private static MachineConfig config(Map<String, String> options, String... injects)
    {
        return MachineConfig.of("amd64", 4, 256L << 20).withArchOptions(options).withInjects(Set.of(injects));
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void runsCleanWithAndWithoutPcid(ExitModel model)
    {
        for (Map<String, String> options : java.util.List.of(Map.<String, String>of(), Map.of("nopcid", ""))) {
            RunSummary summary = TestMachines.run(config(options), FORKS, model);
            assertThat(summary.arch()).isEqualTo("amd64");
            assertThat(summary.simCycles()).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ExitModel.class, names = {"REAPER", "PURGE"})
    void staleCiProcPmapIsHarmlessWithoutDirectExit(ExitModel model)
    {
        assertThat(TestMachines.run(config(Map.of(), "stale-ci-proc-pmap"), FORKS, model).simCycles()).isPositive();
    }

    /**
     * Multi-threaded exits under every model, with and without the amd64 injects. The injects do
     * not bite here: in this workload no exiting thread is switched back in on pmap_kernel() from a
     * system thread, and no valid mapping changes under another CPU's TLB. Amd64SwitchAndTlbTest
     * drives both bugs at arch level.
     */
    @ParameterizedTest
    @EnumSource(value = ExitModel.class, names = {"PURGE", "DIRECT"})
    void threadedExitsRunClean(ExitModel model)
    {
        assertThat(runThreads(config(Map.of()), model).simCycles()).isPositive();
        assertThat(runThreads(config(Map.of("nopcid", "")), model).simCycles()).isPositive();
    }

    private static RunSummary runThreads(MachineConfig config, ExitModel model)
    {
        Workload workload;
        try {
            workload = Workloads.loadBuiltin("threads", Map.of("rounds", "10"));
        }
        catch (dev.fugu.kernel.workload.WorkloadException e) {
            throw new IllegalStateException(e);
        }
        RunConfig run = RunConfig.of(workload, Amd64Plugin.CLOCK_MHZ)
                .withExitModel(model, model == ExitModel.DIRECT ? ExitSwitch.TOIDLE : ExitSwitch.NONE);
        Kernel kernel = TestMachines.kernel(config, run);
        kernel.boot();
        return kernel.run();
    }

    /** Multi-threaded exits under the reaper: every u-area comes back (a leak here was an MI kernel bug, since fixed). */
    @org.junit.jupiter.api.Test
    void threadedExitsRunCleanUnderTheReaper()
    {
        assertThat(runThreads(config(Map.of()), ExitModel.REAPER).simCycles()).isPositive();
    }
}
