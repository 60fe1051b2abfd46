package dev.fugu.kernel.check;

import dev.fugu.kernel.proc.KProcess;
import dev.fugu.kernel.proc.KThread;
import dev.fugu.kernel.proc.ProcState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checker's lifecycle invariants on their own (the switch check needs a machine: see
 * MachineDependent and Kernel contracts).
 */
class TestChecker
{
    private final Checker checker = new Checker();
    private final KThread thread = new KThread(100_001, new KProcess(42, 0, "sh"), "sh", 0);

    @Test
    void aDeadThreadMustNotSleep()
    {
        thread.stat = ProcState.SONPROC;
        checker.beforeSleep(0, thread, "wait", false);
        thread.stat = ProcState.SDEAD;
        assertThatThrownBy(() -> checker.beforeSleep(1, thread, "kqpsl", false))
                .isInstanceOfSatisfying(KernelPanic.class, e -> {
                    assertThat(e.invariant()).isEqualTo("sleep-in-sdead");
                    assertThat(e.cpu()).isEqualTo(1);
                    assertThat(e.detail()).contains("kqpsl", "sh[42/100001]");
                });
    }

    @Test
    void noSleepWithASpinLockHeld()
    {
        thread.stat = ProcState.SONPROC;
        assertThatThrownBy(() -> checker.beforeSleep(0, thread, "wait", true))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("sleep-with-spinlock"));
    }

    @Test
    void assertwaitokRejectsSdeadAndHeldMutexes()
    {
        thread.stat = ProcState.SONPROC;
        checker.assertwaitok(0, thread, "rw_enter", false);
        assertThatThrownBy(() -> checker.assertwaitok(0, thread, "rw_enter", true)).isInstanceOf(KernelPanic.class);
        thread.stat = ProcState.SDEAD;
        assertThatThrownBy(() -> checker.assertwaitok(0, thread, "rw_enter", false))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("assertwaitok"));
    }

    @Test
    void aStackMustNotBeFreedUnderARunningThread()
    {
        thread.onCpu = true;
        assertThatThrownBy(() -> checker.beforeStackFree(2, thread))
                .isInstanceOfSatisfying(KernelPanic.class, e -> assertThat(e.invariant()).isEqualTo("stack-freed-on-cpu"));
        thread.onCpu = false;
        checker.beforeStackFree(2, thread);
        assertThat(checker.invariantsChecked()).isEqualTo(2);
    }
}
