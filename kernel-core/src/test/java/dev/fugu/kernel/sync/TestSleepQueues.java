package dev.fugu.kernel.sync;

import dev.fugu.kernel.proc.KProcess;
import dev.fugu.kernel.proc.KThread;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSleepQueues
{
    private static List<KThread> threads(int n)
    {
        List<KThread> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KProcess pr = new KProcess(100 + i, i, "p" + i);
            list.add(new KThread(1000 + i, pr, "t" + i, 0));
        }
        return list;
    }

    private static List<KThread> drain(KThread first)
    {
        List<KThread> woken = new ArrayList<>();
        for (KThread next = first; next != null; ) {
            KThread thread = next;
            next = SleepQueues.unlinkNext(thread);
            woken.add(thread);
        }
        return woken;
    }

    /** The queues they replaced, an identity map of array deques, are the reference. */
    @Test
    void behavesLikeOneDequePerChannel()
    {
        SplittableRandom random = new SplittableRandom(9);
        List<KThread> all = threads(30);
        WaitChannel[] channels = {new WaitChannel(), new WaitChannel(), new WaitChannel(), new WaitChannel()};
        SleepQueues queues = new SleepQueues();
        Map<WaitChannel, ArrayDeque<KThread>> reference = new IdentityHashMap<>();
        Map<KThread, WaitChannel> asleepOn = new IdentityHashMap<>();
        int sleeping = 0;
        for (int step = 0; step < 20_000; step++) {
            KThread thread = all.get(random.nextInt(all.size()));
            WaitChannel wchan = channels[random.nextInt(channels.length)];
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (!asleepOn.containsKey(thread)) {
                        queues.add(wchan, thread);
                        reference.computeIfAbsent(wchan, k -> new ArrayDeque<>()).addLast(thread);
                        asleepOn.put(thread, wchan);
                        sleeping++;
                    }
                }
                case 1 -> {
                    // Half the time the channel the thread sleeps on, else any (often the wrong one).
                    WaitChannel on = random.nextBoolean() && asleepOn.containsKey(thread) ? asleepOn.get(thread) : wchan;
                    ArrayDeque<KThread> expected = reference.get(on);
                    boolean present = expected != null && expected.remove(thread);
                    if (expected != null && expected.isEmpty()) {
                        reference.remove(on);
                    }
                    assertThat(queues.remove(on, thread)).as("step %d", step).isEqualTo(present);
                    if (present) {
                        asleepOn.remove(thread);
                        sleeping--;
                    }
                }
                default -> {
                    ArrayDeque<KThread> expected = reference.remove(wchan);
                    List<KThread> woken = drain(queues.takeAll(wchan));
                    assertThat(woken).as("step %d", step).containsExactlyElementsOf(expected == null ? List.of() : expected);
                    woken.forEach(asleepOn::remove);
                    sleeping -= woken.size();
                }
            }
            assertThat(queues.sleeping()).as("step %d", step).isEqualTo(sleeping);
        }
        assertThat(sleeping).isPositive();
    }

    @Test
    void wakesInSleepOrderAndLeavesTheThreadsUnlinked()
    {
        List<KThread> t = threads(3);
        WaitChannel wchan = new WaitChannel();
        SleepQueues queues = new SleepQueues();
        t.forEach(thread -> queues.add(wchan, thread));
        assertThat(queues.remove(wchan, t.get(0))).isTrue();
        queues.add(wchan, t.get(0));
        assertThat(drain(queues.takeAll(wchan))).containsExactly(t.get(1), t.get(2), t.get(0));
        assertThat(t).allSatisfy(thread -> {
            assertThat(thread.sleepNext).isNull();
            assertThat(thread.sleepPrev).isNull();
        });
        assertThat(queues.takeAll(wchan)).isNull();
        assertThat(queues.sleeping()).isZero();
    }

    @Test
    void refusesAThreadAlreadyAsleep()
    {
        KThread thread = threads(1).get(0);
        SleepQueues queues = new SleepQueues();
        queues.add(new WaitChannel(), thread);
        assertThatThrownBy(() -> queues.add(new WaitChannel(), thread))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already on a sleep queue");
    }
}
