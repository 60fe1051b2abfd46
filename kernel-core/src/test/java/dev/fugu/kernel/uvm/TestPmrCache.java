package dev.fugu.kernel.uvm;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.stats.MachineStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-CPU page cache in front of the allocator (uvm_pmr_cache_get/put, sys/uvm/uvm_pmemrange.c). */
class TestPmrCache
{
    private static final int PAGE = 4096;

    // A cache on ncpu CPUs; frames below constrainedFrames are never kept by a put.
    private static PhysMem physmem(int ncpu, long frames, long constrainedFrames)
    {
        CpuClocks clocks = new CpuClocks(ncpu);
        return new PhysMem(PAGE, frames, new MachineStats(clocks), clocks, UvmCosts.defaults(), PmrFreeMode.SINGLE,
                new PmrCache(ncpu, constrainedFrames * PAGE));
    }

    private static PhysMem uncached(long frames)
    {
        CpuClocks clocks = new CpuClocks(2);
        return new PhysMem(PAGE, frames, new MachineStats(clocks), clocks, UvmCosts.defaults(), PmrFreeMode.SINGLE);
    }

    @Test
    void allocationsTakeTheMutexOncePerMagazine()
    {
        PhysMem mem = physmem(2, 256, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(mem.allocate(0, FrameUse.USER)).isNotEqualTo(PhysicalMemory.NO_FRAME);
        }
        // Allocations 1, 9 and 17 found both magazines empty and refilled one.
        assertThat(mem.fpageq().acquires()).isEqualTo(3);
        assertThat(mem.cacheMisses()).isEqualTo(3);
        assertThat(mem.cacheHits()).isEqualTo(17);
        assertThat(mem.cachedFrames()).isEqualTo(4);
        assertThat(mem.freeFrames()).isEqualTo(256 - 20);
        assertThat(mem.count(FrameUse.USER)).isEqualTo(20);
        assertThat(mem.checkConsistency()).isEmpty();
    }

    @Test
    void aRefillHandsOutTheFramesTheAllocatorWouldHaveGivenOneByOne()
    {
        PhysMem cached = physmem(1, 256, 0);
        PhysMem direct = uncached(256);
        for (int i = 0; i < 40; i++) {
            assertThat(cached.allocate(0, FrameUse.USER)).isEqualTo(direct.allocate(0, FrameUse.USER));
        }
        assertThat(direct.fpageq().acquires()).isEqualTo(40);
        assertThat(cached.fpageq().acquires()).isEqualTo(5);
    }

    @Test
    void aRefillTakesARangesPagesWithOneRemovalAndOneInsert()
    {
        // Frees bypass the cache here (every frame constrained), so both allocators see the same trees.
        PhysMem cached = physmem(1, 256, 256);
        PhysMem direct = uncached(256);
        long[] comparisons = new long[2];
        long[][] frames = new long[2][8];
        int i = 0;
        for (PhysMem mem : List.of(cached, direct)) {
            mem.allocateContiguous(0, FrameUse.KERNEL, 16);
            long middle = mem.allocateContiguous(0, FrameUse.KERNEL, 16);
            mem.allocateContiguous(0, FrameUse.KERNEL, 16);
            for (long p = middle; p < middle + 16; p++) {
                mem.release(0, p, FrameUse.KERNEL);
            }
            // Free: [0, 208) and the 16 pages in the middle, the smallest multi-page range.
            assertThat(mem.freeRanges()).isEqualTo(2);
            long before = mem.treeComparisons();
            for (int k = 0; k < 8; k++) {
                frames[i][k] = mem.allocate(0, FrameUse.USER);
            }
            comparisons[i++] = mem.treeComparisons() - before;
        }
        assertThat(frames[0]).containsExactly(frames[1]);
        // Eight uncached allocations re-key the range in the size tree eight times, the refill once.
        assertThat(comparisons[1]).isEqualTo(8);
        assertThat(comparisons[0]).isEqualTo(1);
    }

    @Test
    void eachCpuHasItsOwnCache()
    {
        PhysMem mem = physmem(2, 256, 0);
        mem.allocate(0, FrameUse.USER);
        mem.allocate(1, FrameUse.USER);
        assertThat(mem.fpageq().acquires()).isEqualTo(2);
        assertThat(mem.cachedFrames()).isEqualTo(14);
    }

    @Test
    void freesAboveTheConstraintStayInTheFreeingCpusCache()
    {
        PhysMem mem = physmem(2, 256, 0);
        long[] pfns = new long[24];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = mem.allocate(0, FrameUse.USER);
        }
        long acquires = mem.fpageq().acquires();
        for (int i = 0; i < 16; i++) {
            mem.release(1, pfns[i], FrameUse.USER);
        }
        // Both of cpu1's magazines filled without the mutex.
        assertThat(mem.fpageq().acquires()).isEqualTo(acquires);
        assertThat(mem.cachedFrames()).isEqualTo(16);
        assertThat(mem.useOf(pfns[0])).isEqualTo(FrameUse.FREE);
        // The 17th: the full inactive magazine goes back by uvm_pmr_freepageq(), one hold.
        mem.release(1, pfns[16], FrameUse.USER);
        assertThat(mem.fpageq().acquires()).isEqualTo(acquires + 1);
        assertThat(mem.cachedFrames()).isEqualTo(9);
        assertThat(mem.checkConsistency()).isEmpty();
        // cpu1 allocates from its cache again, last freed first.
        assertThat(mem.allocate(1, FrameUse.USER)).isEqualTo(pfns[16]);
        assertThat(mem.fpageq().acquires()).isEqualTo(acquires + 1);
    }

    @Test
    void freesBelowTheConstraintGoStraightBack()
    {
        PhysMem mem = physmem(1, 64, 32);
        List<Long> pfns = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pfns.add(mem.allocate(0, FrameUse.USER));
        }
        // Handed out from the top down: 63 … 24.
        assertThat(pfns).contains(40L, 24L);
        long acquires = mem.fpageq().acquires();
        long cached = mem.cachedFrames();
        mem.release(0, 40, FrameUse.USER);
        assertThat(mem.fpageq().acquires()).isEqualTo(acquires);
        assertThat(mem.cachedFrames()).isEqualTo(cached + 1);
        // Below the constraint's end: uvm_pmr_freepages(pg, 1) under the mutex.
        mem.release(0, 24, FrameUse.USER);
        assertThat(mem.fpageq().acquires()).isEqualTo(acquires + 1);
        assertThat(mem.cachedFrames()).isEqualTo(cached + 1);
        assertThat(mem.checkConsistency()).isEmpty();
    }

    @Test
    void aCachedFrameFreedAgainIsADoubleFree()
    {
        PhysMem mem = physmem(1, 64, 0);
        long pfn = mem.allocate(0, FrameUse.USER);
        mem.release(0, pfn, FrameUse.USER);
        assertThatThrownBy(() -> mem.release(0, pfn, FrameUse.USER))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("double-free"));
    }

    @Test
    void anAllocationThatWouldFailDrainsTheCaches()
    {
        PhysMem mem = physmem(2, 16, 0);
        long[] pfns = new long[16];
        for (int i = 0; i < 16; i++) {
            pfns[i] = mem.allocate(1, FrameUse.USER);
        }
        assertThat(mem.allocate(1, FrameUse.USER)).isEqualTo(PhysicalMemory.NO_FRAME);
        for (long pfn : pfns) {
            mem.release(1, pfn, FrameUse.USER);
        }
        assertThat(mem.cachedFrames()).isEqualTo(16);
        // The free ranges are empty; cpu0's refill fails, and so would uvm_pmr_getone(), until
        // the page daemon's uvm_pmr_cache_drain() gives the cached pages back.
        assertThat(mem.allocate(0, FrameUse.USER)).isNotEqualTo(PhysicalMemory.NO_FRAME);
        // cpu1's pages went back to the trees, and cpu0 refilled its magazine from them.
        assertThat(mem.cachedFrames()).isEqualTo(PmrCache.MAGAZINE_PAGES - 1);
        long[] many = new long[15];
        assertThat(mem.allocateMany(0, FrameUse.KERNEL_STACK, many, 15)).isTrue();
        assertThat(mem.freeFrames()).isZero();
        assertThat(mem.checkConsistency()).isEmpty();
    }

    @Test
    void aPageListFreesEachRunOnceEitherWay()
    {
        PhysMem mem = physmem(1, 64, 64);
        long[] stack = new long[4];
        assertThat(mem.allocateMany(0, FrameUse.KERNEL_STACK, stack, 4)).isTrue();
        // Taken off the end of the one free range: 63, 62, 61, 60, a falling run.
        assertThat(stack).containsExactly(63, 62, 61, 60);
        long acquires = mem.fpageq().acquires();
        long comparisons = mem.treeComparisons();
        mem.releasePageq(0, stack, 4, FrameUse.KERNEL_STACK);
        assertThat(mem.fpageq().acquires()).isEqualTo(acquires + 1);
        assertThat(mem.freeRanges()).isEqualTo(1);
        // One insert: a single neighbour search of a one-range tree.
        assertThat(mem.treeComparisons() - comparisons).isEqualTo(1);
        assertThat(mem.count(FrameUse.KERNEL_STACK)).isZero();
        assertThat(mem.checkConsistency()).isEmpty();
    }

    @Test
    void aPageListedTwiceIsADoubleFree()
    {
        PhysMem mem = physmem(1, 64, 64);
        long[] stack = new long[2];
        assertThat(mem.allocateMany(0, FrameUse.KERNEL_STACK, stack, 2)).isTrue();
        assertThatThrownBy(() -> mem.releasePageq(0, new long[] {stack[0], stack[1], stack[0]}, 3, FrameUse.KERNEL_STACK))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("double-free"));
    }

    @Test
    void randomTrafficOnSeveralCpusKeepsTheCachesAndTreesConsistent()
    {
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            int ncpu = 1 + random.nextInt(4);
            int frames = 100 + random.nextInt(600);
            PhysMem mem = physmem(ncpu, frames, random.nextInt(frames));
            Map<Long, FrameUse> held = new HashMap<>();
            List<Long> order = new ArrayList<>();
            for (int step = 0; step < 2000; step++) {
                int cpu = random.nextInt(ncpu);
                int op = random.nextInt(10);
                if (op < 5) {
                    FrameUse use = random.nextBoolean() ? FrameUse.USER : FrameUse.PAGE_TABLE;
                    long pfn = use == FrameUse.USER ? mem.allocate(cpu, use) : mem.allocPageTablePage(cpu);
                    if (pfn != PhysicalMemory.NO_FRAME) {
                        assertThat(held.put(pfn, use)).isNull();
                        order.add(pfn);
                    }
                }
                else if (op == 5) {
                    long[] out = new long[3];
                    if (mem.allocateMany(cpu, FrameUse.KERNEL_STACK, out, 3)) {
                        for (long p : out) {
                            assertThat(held.put(p, FrameUse.KERNEL_STACK)).isNull();
                            order.add(p);
                        }
                    }
                }
                else if (!order.isEmpty()) {
                    long pfn = order.remove(random.nextInt(order.size()));
                    FrameUse use = held.remove(pfn);
                    switch (use) {
                        case PAGE_TABLE -> mem.freePageTablePage(cpu, pfn);
                        case KERNEL_STACK -> mem.releasePageq(cpu, new long[] {pfn}, 1, use);
                        default -> mem.release(cpu, pfn, use);
                    }
                }
                assertThat(mem.freeFrames()).isEqualTo(frames - held.size());
                assertThat(mem.cachedFrames()).isBetween(0L, 2L * PmrCache.MAGAZINE_PAGES * ncpu);
                if (step % 100 == 0) {
                    assertThat(mem.checkConsistency()).as("seed %s step %s", seed, step).isEmpty();
                }
            }
            for (long pfn : order) {
                FrameUse use = held.get(pfn);
                if (use == FrameUse.PAGE_TABLE) {
                    mem.freePageTablePage(0, pfn);
                }
                else {
                    mem.release(0, pfn, use);
                }
            }
            assertThat(mem.checkConsistency()).isEmpty();
            mem.drainCaches(0);
            assertThat(mem.freeRanges()).as("seed %s", seed).isEqualTo(1);
            assertThat(mem.freeFrames()).isEqualTo(frames);
            assertThat(mem.checkConsistency()).isEmpty();
        }
    }

    @Test
    void withoutTheCacheEveryPageTakesTheMutex()
    {
        PhysMem mem = uncached(64);
        long pfn = mem.allocate(0, FrameUse.USER);
        mem.release(0, pfn, FrameUse.USER);
        assertThat(mem.fpageq().acquires()).isEqualTo(2);
        assertThat(mem.cacheHits() + mem.cacheMisses() + mem.cachedFrames()).isZero();
        assertThat(mem.cache().enabled()).isFalse();
    }
}
