package dev.fugu.kernel.contract;

import dev.fugu.kernel.Kernel;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.boot.RunConfig;
import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.exit.ExitModel;
import dev.fugu.kernel.exit.ExitSwitch;
import dev.fugu.kernel.sched.SwitchCause;
import dev.fugu.kernel.stats.PsRow;
import dev.fugu.kernel.stats.RunSummary;
import dev.fugu.kernel.testing.TestMachines;
import dev.fugu.kernel.workload.Workload;
import dev.fugu.kernel.workload.WorkloadException;
import dev.fugu.kernel.workload.WorkloadParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The machine-independent kernel's behaviour, run on each architecture: process lifecycle and
 * POSIX semantics under every exit model, the exit models' defining differences, and the checker
 * catching each injected bug. Arch modules extend this class.
 */
public abstract class KernelContract
{
    protected abstract String archName();

    protected MachineConfig machine(int ncpu, String... injects)
    {
        return MachineConfig.of(archName(), ncpu, 256L << 20).withInjects(Set.of(injects));
    }

    protected RunSummary run(String source, ExitModel model)
    {
        return run(machine(2), source, model);
    }

    protected RunSummary run(MachineConfig config, String source, ExitModel model)
    {
        RunSummary summary = TestMachines.run(config, source, model);
        assertThat(summary.stopReason()).as("stop reason").isNull();
        assertThat(summary.expectFailures()).as("failed expects").isEmpty();
        return summary;
    }

    protected static RunConfig runConfig(String source, ExitModel model, ExitSwitch how, int mhz)
    {
        try {
            Workload workload = WorkloadParser.parse("test", "test.fw", source);
            return RunConfig.of(workload, mhz).withExitModel(model, how);
        }
        catch (WorkloadException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    protected RunSummary run(MachineConfig config, RunConfig runConfig)
    {
        Kernel kernel = TestMachines.kernel(config, runConfig);
        kernel.boot();
        return kernel.run();
    }

    protected int mhz()
    {
        return TestMachines.registry().get(archName()).defaults().clockMhz();
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void wait4ReportsExitStatusAndReapsOnce(ExitModel model)
    {
        RunSummary s = run("""
                proc main {
                  fork a; wait; expect exited 7
                  fork b; wait; expect exited 0
                  wait; expect echild
                  fork c; wait nohang; expect none
                  wait; expect exited 0
                }
                proc a { touch 3; exit 7 }
                proc b { compute 1000 }
                proc c { sleep 100000 }
                """, model);
        assertThat(s.expectsPassed()).isEqualTo(5);
        assertThat(s.processes().forked()).isEqualTo(4);
        assertThat(s.processes().exited()).isEqualTo(4);
        assertThat(s.processes().reaped()).isEqualTo(4);
        assertThat(s.processes().zombiesAtEnd()).isZero();
        assertThat(s.leakedFrames()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void wait4AddsTheChildsRusageToItsParent(ExitModel model)
    {
        Kernel kernel = TestMachines.kernel(machine(2), "proc main { fork c; wait }\nproc c { compute 5000000; touch 64 }\n", model);
        kernel.boot();
        RunSummary s = kernel.run();
        assertThat(s.processes().reaped()).isEqualTo(2);
        // init reaped main, whose children's usage (c's) came with it.
        assertThat(kernel.init().cruUser).isGreaterThanOrEqualTo(4_750_000);
        assertThat(kernel.init().cruSys).isPositive();
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void killOfASleepingAndOfARunningChild(ExitModel model)
    {
        RunSummary s = run("""
                proc main {
                  fork sleeper; sleep 20000; kill last; wait; expect signaled KILL
                  fork runner; sleep 20000; kill last TERM; wait; expect signaled 15
                }
                proc sleeper { sleep 1000000000000 }
                proc runner { compute 1000000000000 }
                """, model);
        assertThat(s.expectsPassed()).isEqualTo(2);
        assertThat(s.simSeconds()).isLessThan(10);
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void manyChildrenKilledAtOnce(ExitModel model)
    {
        RunSummary s = run(machine(4), """
                proc main { spawn 30 victim; sleep 50000; kill all; waitall; expect signaled KILL }
                proc victim { touch 8; compute 1000000000000 }
                """, model);
        assertThat(s.processes().reaped()).isEqualTo(31);
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void orphansAreAdoptedAndReapedByInit(ExitModel model)
    {
        Kernel kernel = TestMachines.kernel(machine(2), """
                proc main { fork parent; wait; expect exited 0; sleep 2000000 }
                proc parent { fork orphan; exit 0 }
                proc orphan { sleep 1000000; ps; exit 5 }
                """, model);
        kernel.boot();
        RunSummary s = kernel.run();
        assertThat(s.stopReason()).isNull();
        assertThat(s.processes().reaped()).isEqualTo(3);
        List<PsRow> snapshot = s.ps().get(0);
        PsRow orphan = snapshot.stream().filter(row -> row.command().equals("orphan")).findFirst().orElseThrow();
        assertThat(orphan.ppid()).as("the orphan's parent is init").isEqualTo(1);
        assertThat(orphan.threads()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void theRunEndsOnlyAfterTheKernelThreadsFinishedEveryExit(ExitModel model)
    {
        // Found by fugu fuzz: the reaper (LIFO) makes the zombie before it frees a sibling thread's
        // stack; the run must not stop with that stack still on the deadproc list.
        RunSummary s = run(machine(8).withMem(128L << 20), """
                proc main { fork parent }
                proc parent { spawn 4 kid }
                proc kid { thread t }
                proc t { sleep 258785 }
                """, model);
        assertThat(s.leakedFrames()).isZero();
        assertThat(s.threadsExited()).isEqualTo(4);
    }

    @Test
    void saNocldwaitChildrenNeverBecomeZombiesOfTheirParent()
    {
        for (ExitModel model : ExitModel.values()) {
            RunSummary s = run("""
                    proc main { nocldwait; spawn 3 kid; sleep 5000000; wait; expect echild }
                    proc kid { touch 2; exit 1 }
                    """, model);
            assertThat(s.processes().exited()).isEqualTo(4);
            if (model == ExitModel.DIRECT) {
                // dowait6 after the seed: init reaps the PS_NOZOMBIE processes.
                assertThat(s.processes().zapped()).isZero();
                assertThat(s.processes().reaped()).isEqualTo(4);
            }
            else {
                assertThat(s.processes().zapped()).as(model.key()).isEqualTo(3);
                assertThat(s.processes().reaped()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void noteExitArrivesOncePerWatchedExit(ExitModel model)
    {
        RunSummary s = run(machine(4), """
                proc main { spawn 5 kid; watch all; kevent 5; expect events 5; waitall; expect exited 2 }
                proc kid { sleep 200000; exit 2 }
                """, model);
        assertThat(s.expectsPassed()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void forkPastMaxprocFailsWithEagain(ExitModel model)
    {
        RunConfig config = runConfig("""
                proc main { spawn 20 kid; expect eagain; waitall }
                proc kid { sleep 100000 }
                """, model, model == ExitModel.DIRECT ? ExitSwitch.TOIDLE : ExitSwitch.NONE, mhz()).withMaxproc(12);
        RunSummary s = run(machine(2), config);
        assertThat(s.expectsFailed()).isZero();
        assertThat(s.processes().forkEagain()).isPositive();
        assertThat(s.processes().maxLive()).isLessThanOrEqualTo(12);
        assertThat(s.processes().reaped()).isEqualTo(s.processes().forked());
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void threadsExitFromAnyThreadAndExecEndsTheOthers(ExitModel model)
    {
        RunSummary s = run(machine(4), """
                proc main {
                  fork threaded; wait; expect exited 4
                  fork lastexit; wait; expect exited 0
                  fork execer; wait; expect exited 9
                }
                proc threaded { thread spin; thread spin; thread quitter; compute 1000000000000 }
                proc quitter { compute 50000; exit 4 }
                proc lastexit { thread short; thread short; texit }
                proc short { compute 30000 }
                proc execer { thread spin; thread spin; compute 20000; exec image }
                proc image { touch 2; exit 9 }
                proc spin { compute 1000000000000 }
                """, model);
        assertThat(s.expectsPassed()).isEqualTo(3);
        assertThat(s.threadsCreated()).isEqualTo(7);
        assertThat(s.threadsExited()).isEqualTo(s.threadsCreated());
        assertThat(s.execs()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ExitModel.class)
    void copyOnWriteAfterForkAndExec(ExitModel model)
    {
        RunSummary s = run("""
                proc main { touch 32; repeat 5 { fork kid; write 32; wait; expect exited 0 } }
                proc kid { read 32; write 16; exec tool }
                proc tool { touch 8 }
                """, model);
        assertThat(s.processes().reaped()).isEqualTo(6);
        assertThat(s.execs()).isEqualTo(5);
        assertThat(s.exec().pagesFreed()).isPositive();
    }

    @Test
    void reaperCostsAtLeastTwoSwitchesPerExitThatDirectSaves()
    {
        String configure = """
                proc main { repeat 60 { fork tool; wait; expect exited 0 } }
                proc tool { touch 16; compute 20000 }
                """;
        RunSummary reaper = run(machine(4), configure, ExitModel.REAPER);
        RunSummary direct = run(machine(4), configure, ExitModel.DIRECT);
        assertThat(reaper.switchesByCause().get(SwitchCause.REAPER)).isGreaterThanOrEqualTo(2 * reaper.processes().exited() - 2);
        assertThat(direct.switchesByCause().get(SwitchCause.REAPER)).isZero();
        assertThat(reaper.switchesPerExit() - direct.switchesPerExit()).isGreaterThanOrEqualTo(1.0);
        assertThat(direct.exitSysCycles()).isGreaterThan(reaper.exitSysCycles());
    }

    @Test
    void teardownRunsInParallelOnlyWithoutTheReaper()
    {
        String bigmem = """
                proc main { spawn 4 big; sleep 100000; kill all; waitall }
                proc big { touch 3000; compute 1000000000000 }
                """;
        RunSummary reaper = run(machine(4), bigmem, ExitModel.REAPER);
        RunSummary direct = run(machine(4), bigmem, ExitModel.DIRECT);
        assertThat(reaper.teardownMaxParallel()).isEqualTo(1);
        assertThat(direct.teardownMaxParallel()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void sameSeedSameRunDifferentSeedDifferentRun()
    {
        String source = """
                proc main { spawn 6 kid; waitall }
                proc kid { touch 5..40; compute 1000..90000 }
                """;
        RunSummary a = run(machine(4), source, ExitModel.DIRECT);
        RunSummary b = run(machine(4), source, ExitModel.DIRECT);
        RunSummary c = run(machine(4).withSeed(2), source, ExitModel.DIRECT);
        assertThat(a.simCycles()).isEqualTo(b.simCycles());
        assertThat(a.traceHash()).isEqualTo(b.traceHash());
        assertThat(a.switchesByCause()).isEqualTo(b.switchesByCause());
        assertThat(c.simCycles()).isNotEqualTo(a.simCycles());
    }

    @Test
    void earlyStackFreeIsCaughtUnderDirectOnly()
    {
        String source = "proc main { fork kid; wait }\nproc kid { touch 4 }\n";
        assertThatThrownBy(() -> TestMachines.run(machine(2, "early-stack-free"), source, ExitModel.DIRECT))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("stack-freed-on-cpu"));
        assertThat(run(machine(2, "early-stack-free"), source, ExitModel.REAPER).processes().reaped()).isEqualTo(2);
        assertThat(run(machine(2, "early-stack-free"), source, ExitModel.PURGE).processes().reaped()).isEqualTo(2);
    }

    @Test
    void kqueueRwlockIsCaughtUnderDirectOnly()
    {
        String source = "proc main { fork kid; watch last; kevent 1; wait }\nproc kid { sleep 10000000 }\n";
        assertThatThrownBy(() -> TestMachines.run(machine(2, "kqueue-rwlock"), source, ExitModel.DIRECT))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("assertwaitok"));
        assertThat(run(machine(2, "kqueue-rwlock"), source, ExitModel.REAPER).processes().reaped()).isEqualTo(2);
    }

    @Test
    void noAssertwaitokAloneIsHarmless()
    {
        String source = "proc main { spawn 4 kid; watch all; kevent 4; waitall }\nproc kid { sleep 10000000 }\n";
        assertThat(run(machine(2, "no-assertwaitok"), source, ExitModel.DIRECT).processes().reaped()).isEqualTo(5);
    }

    @Test
    void latentKqueueRwlockIsCaughtOnlyWhenTheLockIsContended()
    {
        String quiet = "proc main { fork kid; watch last; kevent 1; wait }\nproc kid { sleep 10000000 }\n";
        assertThat(run(machine(2, "kqueue-rwlock", "no-assertwaitok"), quiet, ExitModel.DIRECT).processes().reaped()).isEqualTo(2);
        // Watchers attaching to many children while those children exit: the list lock is busy.
        String busy = "proc main { repeat 5 { spawn 40 q; repeat 30 { watch all }; waitall } }\nproc q { compute 10000..200000; exit 0 }\n";
        assertThatThrownBy(() -> TestMachines.run(machine(4, "kqueue-rwlock", "no-assertwaitok"), busy, ExitModel.DIRECT))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("sleep-in-sdead"));
        assertThat(run(machine(4, "kqueue-rwlock", "no-assertwaitok"), busy, ExitModel.REAPER).processes().reaped()).isEqualTo(201);
    }

    @Test
    void missedShootdownIsCaughtUnderEveryModel()
    {
        // Two threads of one process on two CPUs; a fork write-protects the shared pages.
        String source = """
                proc main { fork p; wait }
                proc p { touch 16; thread reader; compute 200000; fork kid; write 16; wait }
                proc reader { repeat 50 { read 16; compute 5000 } }
                proc kid { exit 0 }
                """;
        for (ExitModel model : ExitModel.values()) {
            assertThatThrownBy(() -> TestMachines.run(machine(4, "missed-shootdown"), source, model))
                    .as(model.key())
                    .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("stale-tlb"));
        }
    }

    @Test
    void everyBuiltinRunsCleanUnderEveryModel()
    {
        for (String name : dev.fugu.kernel.workload.Workloads.BUILTINS) {
            for (ExitModel model : ExitModel.values()) {
                Workload workload;
                try {
                    workload = dev.fugu.kernel.workload.Workloads.loadBuiltin(name, Map.of("jobs", "4", "scale", "1"));
                }
                catch (WorkloadException e) {
                    throw new AssertionError(e);
                }
                RunConfig config = RunConfig.of(workload, mhz())
                        .withExitModel(model, model == ExitModel.DIRECT ? ExitSwitch.TOIDLE : ExitSwitch.NONE);
                RunSummary s = run(machine(4).withMem(1L << 30), config);
                assertThat(s.stopReason()).as(name + " " + model.key()).isNull();
                assertThat(s.expectsFailed()).as(name + " " + model.key() + " " + s.expectFailures()).isZero();
                assertThat(s.processes().zombiesAtEnd()).isZero();
                assertThat(s.leakedFrames()).isZero();
                assertThat(s.processes().forked()).isEqualTo(s.processes().reaped() + s.processes().zapped());
            }
        }
    }
}
