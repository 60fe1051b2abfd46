package dev.fugu.arch.arm64;

import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The arm64 plug-in under the MI kernel: fork/touch/write/exit lifecycles under every exit model,
 * with broadcast invalidation and no IPIs, and the missed-shootdown inject caught in a real run.
 */
class Arm64WorkloadTest
{
    private static final String SHELL = """
            proc main {
              touch 8
              repeat 40 {
                fork sh
                write 4
                wait
                expect exited 0
              }
            }
            proc sh { touch 16; write 8; read 8; exit 0 }
            """;

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void forkTouchExitWaitRunsClean(ExitModel model)
    {
        MachineConfig config = MachineConfig.of("arm64", 4, 256L << 20);
        RunSummary summary = TestMachines.run(config, SHELL, model);
        assertThat(summary.expectsFailed()).isZero();
        assertThat(summary.processes().reaped()).isGreaterThanOrEqualTo(40);
        assertThat(summary.violations()).isZero();
        assertThat(summary.leakedFrames()).isZero();
        assertThat(summary.shootdownIpis()).isZero();
        assertThat(summary.tlbInvalidations()).isPositive();
        assertThat(summary.paging()).isEqualTo("4K granule, 16-bit ASID");
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void asid8RollsOverAndStillRunsClean(ExitModel model)
    {
        MachineConfig config = MachineConfig.of("arm64", 2, 256L << 20).withArchOptions(Map.of("asid8", ""));
        // 150 live processes, each switched in at least once: more than the 127 free pairs
        String many = """
                proc main { spawn 150 child; waitall; repeat 50 { fork quick; wait } }
                proc child { touch 2; sleep 20000000; write 2; exit 0 }
                proc quick { touch 1; exit 0 }
                """;
        RunSummary summary = TestMachines.run(config, many, model);
        assertThat(summary.violations()).isZero();
        assertThat(summary.expectsFailed()).isZero();
        assertThat(summary.processes().reaped()).isGreaterThanOrEqualTo(200);
        assertThat(summary.leakedFrames()).isZero();
        // at least one rollover: tlbi vmalle1is counted once on each CPU
        assertThat(summary.tlbFlushes()).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void missedShootdownIsCaughtInARun(ExitModel model)
    {
        MachineConfig config = MachineConfig.of("arm64", 2, 256L << 20).withInjects(Set.of("missed-shootdown"));
        assertThatThrownBy(() -> TestMachines.run(config, SHELL, model))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("stale-tlb"));
    }
}
