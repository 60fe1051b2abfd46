package dev.fugu.arch.i386;

import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.testing.TestMachines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole runs on the simulated i386: the MI kernel driving this plug-in end to end. */
class TestI386Workloads
{
    private static final String SHELL = """
            proc main {
              touch 40
              repeat 60 {
                fork tool
                write 12
                wait
                expect exited 0
              }
            }
            proc tool { touch 16; write 16; compute 5000; exit 0 }
            """;

    private static MachineConfig config(boolean nopae, String... injects)
    {
        return MachineConfig.of(I386Plugin.NAME, 4, 256L << 20)
                .withArchOptions(nopae ? Map.of(I386Plugin.NOPAE, "") : Map.of())
                .withInjects(Set.of(injects));
    }

    @ParameterizedTest(name = "{0}, nopae={1}")
    @CsvSource({"reaper,false", "purge,false", "direct,false", "reaper,true", "purge,true", "direct,true"})
    void forkTouchExitWaitRunsClean(String model, boolean nopae)
    {
        RunSummary summary = TestMachines.run(config(nopae), SHELL, ExitModel.parse(model));
        assertThat(summary.processes().reaped()).isGreaterThanOrEqualTo(60);
        assertThat(summary.expectsFailed()).isZero();
        assertThat(summary.violations()).isZero();
        assertThat(summary.leakedFrames()).isZero();
        assertThat(summary.tlbFlushes()).isPositive();
        assertThat(summary.paging()).isEqualTo(nopae ? "2-level, 4 MB PDEs" : "PAE (3-level, NX)");
    }

    @ParameterizedTest(name = "{0}, nopae={1}")
    @CsvSource({"direct,false", "direct,true"})
    void missedShootdownIsCaughtInARealRun(String model, boolean nopae)
    {
        // The shell writes to its pages right after each fork: pmap_write_protect at fork must
        // have invalidated its writable TLB entries, or the write is served by a stale one.
        assertThatThrownBy(() -> TestMachines.run(config(nopae, I386Plugin.MISSED_SHOOTDOWN), SHELL, ExitModel.parse(model)))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("stale-tlb"));
    }
}
