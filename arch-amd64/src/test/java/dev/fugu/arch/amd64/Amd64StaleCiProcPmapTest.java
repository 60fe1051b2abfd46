package dev.fugu.arch.amd64;

import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed's locore.S fix, end to end: a child exiting right after fork tears down anons its parent
 * is busy writing, sleeps for the amap lock on pmap_kernel(), and is switched back in from the idle
 * thread with %cr3 unchanged, after other processes have run on that CPU. Without the fix ci_proc_pmap keeps the last user pmap (or none).
 */
class Amd64StaleCiProcPmapTest
{
    private static final String WORKLOAD = """
            proc main { spawn 3 noise; repeat 4 { fork forker }; repeat 4 { wait }; kill all; waitall }
            proc noise { repeat 1000000 { compute 20000; sleep 30000 } }
            proc forker { exec image }
            proc image { touch 16; repeat 20 { fork blip; write 16; wait; expect exited 0 } }
            proc blip { exit 0 }
            """;

    private static MachineConfig config(String... injects)
    {
        return MachineConfig.of(Amd64Plugin.NAME, 4, 256L << 20).withInjects(Set.of(injects));
    }

    @Test
    void staleCiProcPmapIsCaughtUnderDirect()
    {
        assertThatThrownBy(() -> TestMachines.run(config("stale-ci-proc-pmap"), WORKLOAD, ExitModel.DIRECT))
                .isInstanceOfSatisfying(KernelPanic.class, e -> {
                    assertThat(e.invariant()).isEqualTo("ci-proc-pmap");
                    assertThat(e.detail()).contains("pmap_kernel");
                });
    }

    @Test
    void theFixedSwitchRunsTheSameWorkloadClean()
    {
        RunSummary summary = TestMachines.run(config(), WORKLOAD, ExitModel.DIRECT);
        assertThat(summary.expectsFailed()).isZero();
        assertThat(summary.processes().reaped()).isEqualTo(88);
    }

    @Test
    void harmlessBeforeTheSeed()
    {
        for (ExitModel model : new ExitModel[] {ExitModel.REAPER, ExitModel.PURGE}) {
            RunSummary summary = TestMachines.run(config("stale-ci-proc-pmap"), WORKLOAD, model);
            assertThat(summary.processes().reaped()).as(model.key()).isEqualTo(88);
        }
    }
}
