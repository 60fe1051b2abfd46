package dev.fugu.kernel.proc;

import dev.fugu.kernel.sim.SimRandom;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TestProcTable
{
    /**
     * allocpid() as OpenBSD writes it, over plain sets: a random pid in [2, PID_MAX] that no
     * process holds and that is not among the last NUM_OLDPIDS freed. ProcTable must draw the
     * same pids from the same generator.
     */
    private static final class Reference
    {
        private final SimRandom random;
        private final Set<Integer> held = new HashSet<>();
        private final ArrayDeque<Integer> oldpids = new ArrayDeque<>();

        Reference(long seed)
        {
            this.random = new SimRandom(seed);
            held.add(0);
            held.add(1);
        }

        int allocate()
        {
            while (true) {
                int pid = 2 + random.nextInt(ProcTable.PID_MAX - 1);
                if (!held.contains(pid) && !oldpids.contains(pid)) {
                    held.add(pid);
                    return pid;
                }
            }
        }

        void free(int pid)
        {
            held.remove(pid);
            oldpids.addLast(pid);
            if (oldpids.size() > ProcTable.NUM_OLDPIDS) {
                oldpids.removeFirst();
            }
        }
    }

    @Test
    void allocatesThePidsOfTheReferenceModel()
    {
        for (long seed : new long[] {1, 7, 12345}) {
            ProcTable table = new ProcTable(10_000, new SimRandom(seed));
            table.createFixed(0, "swapper");
            table.createFixed(1, "init");
            Reference reference = new Reference(seed);
            SplittableRandom ops = new SplittableRandom(seed * 31);
            List<KProcess> live = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                // Mostly short lives, as in a fork storm, with bursts of many live processes.
                boolean fork = live.isEmpty() || (live.size() < 3_000 && ops.nextInt(100) < (i % 4_000 < 2_000 ? 70 : 40));
                if (fork) {
                    KProcess process = table.allocate("p");
                    assertThat(process.pid()).as("seed %d op %d", seed, i).isEqualTo(reference.allocate());
                    live.add(process);
                }
                else {
                    KProcess process = live.remove(ops.nextInt(live.size()));
                    table.free(process);
                    reference.free(process.pid());
                }
            }
        }
    }

    @Test
    void maxprocCountsZombies()
    {
        ProcTable table = new ProcTable(2, new SimRandom(5));
        KProcess a = table.allocate("a");
        KProcess b = table.allocate("b");
        table.toZombieList(a);
        assertThat(table.allocate("c")).isNull();
        assertThat(table.zombies()).containsExactly(a);
        table.free(a);
        assertThat(table.allocate("c")).isNotNull();
        assertThat(table.lookup(b.pid())).isSameAs(b);
        assertThat(table.lookup(a.pid())).isNull();
    }
}
