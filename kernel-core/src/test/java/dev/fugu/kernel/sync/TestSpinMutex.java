package dev.fugu.kernel.sync;

import dev.fugu.kernel.sim.CpuClocks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestSpinMutex
{
    @Test
    void requestInsideAnotherCpusHoldSpinsToItsEnd()
    {
        CpuClocks clocks = new CpuClocks(2);
        SpinMutex mutex = new SpinMutex("m", clocks);
        clocks.chargeSys(0, 100);
        mutex.enter(0);
        clocks.chargeSys(0, 50);
        mutex.leave(0);
        clocks.chargeSys(1, 120);
        mutex.enter(1);
        assertThat(clocks.now(1)).isEqualTo(150);
        assertThat(clocks.spin(1)).isEqualTo(30);
        mutex.leave(1);
        assertThat(mutex.contended()).isEqualTo(1);
        assertThat(mutex.spinCycles()).isEqualTo(30);
    }

    @Test
    void cpusFreeingPageByPageInterleaveInsteadOfQueueing()
    {
        CpuClocks clocks = new CpuClocks(2);
        SpinMutex mutex = new SpinMutex("fpageq", clocks);
        // cpu0 runs a whole teardown in one step: 100 holds of 10 cycles, 40 cycles apart.
        for (int page = 0; page < 100; page++) {
            mutex.enter(0);
            clocks.chargeSys(0, 10);
            mutex.leave(0);
            clocks.chargeSys(0, 30);
        }
        // cpu1 asks at time 25, between two of cpu0's holds, and gets it at once.
        clocks.chargeSys(1, 25);
        mutex.enter(1);
        assertThat(clocks.spin(1)).isZero();
        mutex.leave(1);
        // ... and at 43, inside the hold [40, 50), it waits only until 50.
        clocks.chargeSys(1, 18 - (clocks.now(1) - 25));
        long before = clocks.now(1);
        mutex.enter(1);
        assertThat(clocks.now(1)).isEqualTo(Math.max(before, 50));
        assertThat(clocks.spin(1)).isLessThanOrEqualTo(10);
    }

    @Test
    void timelineMergesTouchingHolds()
    {
        HoldTimeline timeline = new HoldTimeline(new CpuClocks(1));
        timeline.add(10, 20);
        timeline.add(20, 30);
        timeline.add(5, 12);
        assertThat(timeline.freeFrom(6)).isEqualTo(30);
        assertThat(timeline.freeFrom(30)).isEqualTo(30);
        assertThat(timeline.freeFrom(4)).isEqualTo(4);
        assertThat(timeline.lastEnd()).isEqualTo(30);
    }
}
