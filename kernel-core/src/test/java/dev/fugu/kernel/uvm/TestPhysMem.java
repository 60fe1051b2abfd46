package dev.fugu.kernel.uvm;

import dev.fugu.kernel.check.KernelPanic;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.stats.MachineStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPhysMem
{
    private static PhysMem physmem(long frames, PmrFreeMode mode)
    {
        CpuClocks clocks = new CpuClocks(2);
        return new PhysMem(4096, frames, new MachineStats(clocks), clocks, UvmCosts.defaults(), mode);
    }

    private static PhysMem physmem(CpuClocks clocks, long frames, PmrFreeMode mode)
    {
        return new PhysMem(4096, frames, new MachineStats(clocks), clocks, UvmCosts.defaults(), mode);
    }

    @Test
    void allocationOrderIsDeterministic()
    {
        PhysMem a = physmem(512, PmrFreeMode.SINGLE);
        PhysMem b = physmem(512, PmrFreeMode.SINGLE);
        Random random = new Random(1);
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (held.isEmpty() || random.nextInt(3) > 0) {
                long pa = a.allocate(0, FrameUse.USER);
                long pb = b.allocate(0, FrameUse.USER);
                assertThat(pa).isEqualTo(pb);
                if (pa != PhysicalMemory.NO_FRAME) {
                    held.add(pa);
                }
            }
            else {
                long pfn = held.remove(random.nextInt(held.size()));
                a.release(0, pfn, FrameUse.USER);
                b.release(0, pfn, FrameUse.USER);
            }
        }
        assertThat(a.treeComparisons()).isEqualTo(b.treeComparisons());
    }

    @Test
    void freeingEveryPageMergesBackIntoOneRange()
    {
        PhysMem mem = physmem(300, PmrFreeMode.SINGLE);
        List<Long> pfns = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            pfns.add(mem.allocate(0, FrameUse.USER));
        }
        assertThat(mem.allocate(0, FrameUse.USER)).isEqualTo(PhysicalMemory.NO_FRAME);
        assertThat(mem.freeFrames()).isZero();
        assertThat(mem.freeRanges()).isZero();
        java.util.Collections.shuffle(pfns, new Random(7));
        for (long pfn : pfns) {
            mem.release(0, pfn, FrameUse.USER);
        }
        assertThat(mem.freeRanges()).isEqualTo(1);
        assertThat(mem.freeFrames()).isEqualTo(300);
        assertThat(mem.checkConsistency()).isEmpty();
        assertThat(mem.allocateContiguous(0, FrameUse.KERNEL, 300)).isZero();
    }

    @Test
    void freeingAPageBetweenTwoRangesJoinsAllThree()
    {
        PhysMem mem = physmem(16, PmrFreeMode.SINGLE);
        long run = mem.allocateContiguous(0, FrameUse.USER, 16);
        assertThat(run).isZero();
        mem.release(0, 4, FrameUse.USER);
        mem.release(0, 6, FrameUse.USER);
        assertThat(mem.freeRanges()).isEqualTo(2);
        mem.release(0, 5, FrameUse.USER);
        assertThat(mem.freeRanges()).isEqualTo(1);
        assertThat(mem.checkConsistency()).isEmpty();
        // A run of three fits only there.
        assertThat(mem.allocateContiguous(0, FrameUse.USER, 3)).isEqualTo(4);
        assertThat(mem.allocateContiguous(0, FrameUse.USER, 1)).isEqualTo(PhysicalMemory.NO_FRAME);
    }

    /** Frees {@code [start, start + length)} of a machine whose memory is all allocated. */
    private static void freeRun(PhysMem mem, long start, long length)
    {
        for (long p = start; p < start + length; p++) {
            mem.release(0, p, FrameUse.USER);
        }
    }

    // Free ranges, by start: 2@0, 7@10, 5@20, 5@30, 1@40, 9@50 (holes allocated).
    private static PhysMem fragmented()
    {
        PhysMem mem = physmem(64, PmrFreeMode.SINGLE);
        assertThat(mem.allocateContiguous(0, FrameUse.USER, 64)).isZero();
        freeRun(mem, 0, 2);
        freeRun(mem, 10, 7);
        freeRun(mem, 20, 5);
        freeRun(mem, 30, 5);
        freeRun(mem, 40, 1);
        freeRun(mem, 50, 9);
        assertThat(mem.freeRanges()).isEqualTo(6);
        return mem;
    }

    @Test
    void tryContigTakesTheSmallestRangeThatFitsFromItsStart()
    {
        PhysMem mem = fragmented();
        long[] out = new long[5];
        // uvm_pmr_nfindsz(5): the two 5-page ranges are the smallest that fit; the lower one wins,
        // and uvm_pmr_extract_range() takes it whole.
        assertThat(mem.allocateTryContig(0, FrameUse.KERNEL_STACK, out, 5)).isTrue();
        assertThat(out).containsExactly(20, 21, 22, 23, 24);
        assertThat(mem.freeRanges()).isEqualTo(5);
        // Six pages: the 7-page range, from its start; its last page stays free, re-keyed at 16.
        long[] six = new long[6];
        assertThat(mem.allocateTryContig(0, FrameUse.KERNEL_STACK, six, 6)).isTrue();
        assertThat(six).containsExactly(10, 11, 12, 13, 14, 15);
        assertThat(mem.freeRanges()).isEqualTo(5);
        assertThat(mem.checkConsistency()).isEmpty();
        // The page left of the 7-page range is a free one-page range now: allocate(0) takes
        // single pages first (uvm_pmr_get1page), and the two singles are 16 and 40.
        assertThat(List.of(mem.allocate(0, FrameUse.USER), mem.allocate(0, FrameUse.USER)))
                .containsExactlyInAnyOrder(16L, 40L);
    }

    @Test
    void tryContigWithoutARangeLongEnoughGathersSegmentsInSizeOrder()
    {
        PhysMem mem = fragmented();
        long[] out = new long[12];
        // Nothing holds 12 pages: search[1] walks the single page first, then the ranges by
        // (size, start) — 2@0, 5@20, 5@30 — each drained from its start, the last one in part.
        assertThat(mem.allocateTryContig(0, FrameUse.KERNEL_STACK, out, 12)).isTrue();
        assertThat(out).containsExactly(40, 0, 1, 20, 21, 22, 23, 24, 30, 31, 32, 33);
        // Left free: 34, the 7-page range and the 9-page range.
        assertThat(mem.freeFrames()).isEqualTo(1 + 7 + 9);
        assertThat(mem.freeRanges()).isEqualTo(3);
        assertThat(mem.checkConsistency()).isEmpty();
        for (long p : out) {
            mem.release(0, p, FrameUse.KERNEL_STACK);
        }
        assertThat(mem.freeRanges()).isEqualTo(6);
        assertThat(mem.checkConsistency()).isEmpty();
    }

    @Test
    void tryContigIsAllOrNothing()
    {
        PhysMem mem = fragmented();
        long before = mem.freeFrames();
        long[] out = new long[40];
        assertThat(mem.allocateTryContig(0, FrameUse.KERNEL_STACK, out, 30)).isFalse();
        assertThat(mem.freeFrames()).isEqualTo(before);
        assertThat(mem.freeRanges()).isEqualTo(6);
        assertThat(mem.checkConsistency()).isEmpty();
        assertThatThrownBy(() -> mem.allocateTryContig(0, FrameUse.KERNEL_STACK, out, 41))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tryContigKeepsAUareaContiguousWhereGet1pageWouldScatterIt()
    {
        // Two-page ranges below 256, one 64-page run above.
        PhysMem a = physmem(320, PmrFreeMode.SINGLE);
        PhysMem b = physmem(320, PmrFreeMode.SINGLE);
        for (PhysMem mem : List.of(a, b)) {
            assertThat(mem.allocateContiguous(0, FrameUse.USER, 320)).isZero();
            for (long p = 0; p < 256; p += 4) {
                freeRun(mem, p, 2);
            }
            freeRun(mem, 256, 64);
        }
        long[] tryContig = new long[5];
        long[] get1page = new long[5];
        assertThat(a.allocateTryContig(0, FrameUse.KERNEL_STACK, tryContig, 5)).isTrue();
        assertThat(b.allocateMany(0, FrameUse.KERNEL_STACK, get1page, 5)).isTrue();
        // km_alloc()'s request: one segment from the run's start.
        assertThat(tryContig).containsExactly(256, 257, 258, 259, 260);
        // The fast path without TRYCONTIG: page by page from the smallest ranges.
        assertThat(java.util.Arrays.stream(get1page).max().getAsLong()).isLessThan(256);
        assertThat(a.freeRanges()).isEqualTo(65);
        assertThat(b.freeRanges()).isLessThan(65);
        assertThat(a.checkConsistency()).isEmpty();
        assertThat(b.checkConsistency()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(PmrFreeMode.class)
    void randomAllocFreeSequencesKeepTheTreesConsistent(PmrFreeMode mode)
    {
        for (long seed = 1; seed <= 12; seed++) {
            Random random = new Random(seed);
            int frames = 200 + random.nextInt(800);
            PhysMem mem = physmem(frames, mode);
            Map<Long, FrameUse> held = new HashMap<>();
            List<Long> order = new ArrayList<>();
            for (int step = 0; step < 1500; step++) {
                int op = random.nextInt(10);
                if (op < 4) {
                    long pfn = mem.allocate(random.nextInt(2), FrameUse.USER);
                    if (pfn != PhysicalMemory.NO_FRAME) {
                        assertThat(held.put(pfn, FrameUse.USER)).isNull();
                        order.add(pfn);
                    }
                }
                else if (op == 4) {
                    int n = 1 + random.nextInt(8);
                    long first = mem.allocateContiguous(0, FrameUse.KERNEL, n);
                    if (first != PhysicalMemory.NO_FRAME) {
                        for (long p = first; p < first + n; p++) {
                            assertThat(held.put(p, FrameUse.KERNEL)).isNull();
                            order.add(p);
                        }
                    }
                }
                else if (op == 5) {
                    long[] out = new long[3];
                    boolean got = random.nextBoolean()
                            ? mem.allocateMany(1, FrameUse.KERNEL_STACK, out, 3)
                            : mem.allocateTryContig(1, FrameUse.KERNEL_STACK, out, 3);
                    if (got) {
                        for (long p : out) {
                            assertThat(held.put(p, FrameUse.KERNEL_STACK)).isNull();
                            order.add(p);
                        }
                    }
                }
                else if (op < 8 && !order.isEmpty()) {
                    long pfn = order.remove(random.nextInt(order.size()));
                    mem.release(0, pfn, held.remove(pfn));
                }
                else if (!order.isEmpty()) {
                    // A batch of one use, like a teardown's pages.
                    FrameUse use = held.get(order.get(random.nextInt(order.size())));
                    long[] batch = new long[order.size()];
                    int n = 0;
                    for (int i = order.size() - 1; i >= 0 && n < 40; i--) {
                        long pfn = order.get(i);
                        if (held.get(pfn) == use && random.nextBoolean()) {
                            batch[n++] = pfn;
                            order.remove(i);
                            held.remove(pfn);
                        }
                    }
                    mem.releaseAll(1, batch, n, use);
                }
                assertThat(mem.freeFrames()).isEqualTo(frames - held.size());
                if (step % 100 == 0) {
                    assertThat(mem.checkConsistency()).as("seed %s step %s", seed, step).isEmpty();
                }
            }
            for (Map.Entry<Long, FrameUse> e : held.entrySet()) {
                assertThat(mem.useOf(e.getKey())).isEqualTo(e.getValue());
            }
            assertThat(mem.checkConsistency()).isEmpty();
            for (long pfn : order) {
                mem.release(0, pfn, held.get(pfn));
            }
            assertThat(mem.freeRanges()).as("seed %s", seed).isEqualTo(1);
            assertThat(mem.checkConsistency()).isEmpty();
        }
    }

    @Test
    void doubleFreeIsAViolation()
    {
        PhysMem mem = physmem(8, PmrFreeMode.SINGLE);
        long pfn = mem.allocate(0, FrameUse.USER);
        mem.release(0, pfn, FrameUse.USER);
        assertThatThrownBy(() -> mem.release(0, pfn, FrameUse.USER))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("double-free"));
    }

    @Test
    void doubleFreeInsideABatchIsAViolation()
    {
        PhysMem mem = physmem(8, PmrFreeMode.BATCH);
        long pfn = mem.allocate(0, FrameUse.USER);
        long other = mem.allocate(0, FrameUse.USER);
        assertThatThrownBy(() -> mem.releaseAll(0, new long[] {pfn, other, pfn}, 3, FrameUse.USER))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("double-free"));
    }

    @Test
    void freeingWithTheWrongOwnerIsAViolation()
    {
        PhysMem mem = physmem(8, PmrFreeMode.SINGLE);
        long pfn = mem.allocPageTablePage(0);
        assertThatThrownBy(() -> mem.release(0, pfn, FrameUse.USER))
                .isInstanceOfSatisfying(KernelPanic.class, panic -> assertThat(panic.invariant()).isEqualTo("frame-owner"));
        assertThat(mem.useOf(pfn)).isEqualTo(FrameUse.PAGE_TABLE);
    }

    @Test
    void auditReportsFramesNoLiveOwnerClaims()
    {
        PhysMem mem = physmem(64, PmrFreeMode.SINGLE);
        long kept = mem.allocate(0, FrameUse.USER);
        long leaked = mem.allocate(0, FrameUse.USER);
        mem.allocPageTablePage(0);
        mem.allocPageTablePage(0);
        FrameAudit audit = mem.audit(List.of(claims -> {
            claims.claim(kept, FrameUse.USER);
            claims.claimPageTablePages(1);
        }));
        assertThat(audit.clean()).isFalse();
        assertThat(audit.leakedFrames()).isEqualTo(2);
        assertThat(audit.leakedSample()).containsExactly(leaked);
        assertThat(audit.leakedPageTablePages()).isEqualTo(1);

        FrameAudit wrong = mem.audit(List.of(claims -> claims.claim(kept, FrameUse.KERNEL_STACK)));
        assertThat(wrong.badClaims()).isEqualTo(1);
    }

    @Test
    void pageTablePagesStartZeroedEvenWhenReused()
    {
        PhysMem mem = physmem(8, PmrFreeMode.SINGLE);
        long pfn = mem.allocPageTablePage(0);
        long pa = pfn * 4096;
        mem.write64(pa + 8, 0x1122_3344_5566_7788L);
        mem.write32(pa + 16, 0xdead_beef);
        mem.write32(pa + 20, 0x0bad_f00d);
        assertThat(mem.read32(pa + 8)).isEqualTo(0x5566_7788);
        assertThat(mem.read32(pa + 12)).isEqualTo(0x1122_3344);
        assertThat(mem.read64(pa + 16)).isEqualTo(0x0bad_f00d_dead_beefL);
        mem.freePageTablePage(0, pfn);
        assertThatThrownBy(() -> mem.read64(pa)).isInstanceOf(IllegalStateException.class);
        long again = mem.allocPageTablePage(0);
        assertThat(mem.read64(again * 4096 + 8)).isZero();
        assertThat(mem.read64(again * 4096 + 16)).isZero();
    }

    @Test
    void badPhysicalAddressesAreRejected()
    {
        PhysMem mem = physmem(8, PmrFreeMode.SINGLE);
        long pa = mem.allocPageTablePage(0) * 4096;
        mem.write64(pa + 8, 42);
        assertThat(mem.read64(pa + 8)).isEqualTo(42);
        // A 64-bit read must be 8-byte aligned, a 32-bit one 4-byte aligned.
        assertThatThrownBy(() -> mem.read64(pa + 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unaligned");
        assertThatThrownBy(() -> mem.write64(pa + 4, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unaligned");
        assertThatThrownBy(() -> mem.read32(pa + 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unaligned");
        assertThat(mem.read32(pa + 12)).isZero();
        // Past the end of RAM, and negative (a huge unsigned address).
        assertThatThrownBy(() -> mem.read64(8 * 4096)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frame 8");
        assertThatThrownBy(() -> mem.read64(-8)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frame");
        assertThatThrownBy(() -> mem.write64(-8, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frame");
        // A frame that is not a page-table page has no words to read.
        long user = mem.allocate(0, FrameUse.USER);
        assertThatThrownBy(() -> mem.read64(user * 4096)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not in a page-table page");
    }

    @Test
    void readEntryReadsWhatRead64ReadsAndChecksItsArguments()
    {
        PhysMem mem = physmem(8, PmrFreeMode.SINGLE);
        long pfn = mem.allocPageTablePage(0);
        for (int i = 0; i < 512; i += 37) {
            mem.write64(pfn * 4096 + 8L * i, 0x1000L * i + 7);
        }
        for (int i = 0; i < 512; i++) {
            assertThat(mem.readEntry(pfn, i)).as("entry %d", i).isEqualTo(mem.read64(pfn * 4096 + 8L * i));
        }
        assertThatThrownBy(() -> mem.readEntry(pfn, 512)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mem.readEntry(pfn, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mem.readEntry(8, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frame 8");
        assertThatThrownBy(() -> mem.readEntry(-1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frame");
        long user = mem.allocate(0, FrameUse.USER);
        assertThatThrownBy(() -> mem.readEntry(user, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not in a page-table page");
        // The SPI's default, for other implementations, agrees.
        dev.fugu.kernel.md.PhysicalMemory viaDefault = new dev.fugu.kernel.md.PhysicalMemory()
        {
            @Override public int pageSize() { return mem.pageSize(); }
            @Override public long totalFrames() { return mem.totalFrames(); }
            @Override public long freeFrames() { return mem.freeFrames(); }
            @Override public long allocPageTablePage(int cpu) { return mem.allocPageTablePage(cpu); }
            @Override public void freePageTablePage(int cpu, long frame) { mem.freePageTablePage(cpu, frame); }
            @Override public long read64(long pa) { return mem.read64(pa); }
            @Override public void write64(long pa, long value) { mem.write64(pa, value); }
            @Override public int read32(long pa) { return mem.read32(pa); }
            @Override public void write32(long pa, int value) { mem.write32(pa, value); }
        };
        assertThat(viaDefault.readEntry(pfn, 37)).isEqualTo(0x1000L * 37 + 7);
        assertThatThrownBy(() -> viaDefault.readEntry(pfn, 512)).isInstanceOf(IndexOutOfBoundsException.class);
        viaDefault.writeEntry(pfn, 38, 0xabcL);
        assertThat(mem.read64(pfn * 4096 + 8L * 38)).isEqualTo(0xabcL);
        assertThatThrownBy(() -> viaDefault.writeEntry(pfn, -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        // Without an override the sparse hint is an ordinary page-table page.
        long sparse = viaDefault.allocSparsePageTablePage(0);
        assertThat(mem.isCompactPageTablePage(sparse)).isFalse();
        assertThat(viaDefault.readEntry(sparse, 511)).isZero();
    }

    @Test
    void writeEntryWritesWhatWrite64WritesAndChecksItsArguments()
    {
        PhysMem mem = physmem(8, PmrFreeMode.SINGLE);
        long pfn = mem.allocPageTablePage(0);
        for (int i = 0; i < 512; i += 5) {
            mem.writeEntry(pfn, i, 0x2000L * i + 3);
        }
        for (int i = 0; i < 512; i++) {
            assertThat(mem.read64(pfn * 4096 + 8L * i)).as("entry %d", i).isEqualTo(i % 5 == 0 ? 0x2000L * i + 3 : 0);
        }
        assertThatThrownBy(() -> mem.writeEntry(pfn, 512, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mem.writeEntry(8, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frame 8");
        long user = mem.allocate(0, FrameUse.USER);
        assertThatThrownBy(() -> mem.writeEntry(user, 0, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not in a page-table page");
        // Entries written and cleared again through writeEntry leave a page the pool may reuse
        // uncleared; one left set must be cleared before reuse.
        for (int i = 0; i < 512; i += 5) {
            mem.writeEntry(pfn, i, 0);
        }
        mem.writeEntry(pfn, 7, 9);
        mem.freePageTablePage(0, pfn);
        long again = mem.allocPageTablePage(0);
        for (int i = 0; i < 512; i++) {
            assertThat(mem.readEntry(again, i)).as("entry %d", i).isZero();
        }
    }

    @Test
    void aReusedPageTablePageIsZeroWhateverWasWrittenAndClearedBefore()
    {
        // The pool skips clearing pages freed with no non-zero word: random 32- and 64-bit
        // writes, many of them zeros that clear earlier ones, must never leak into a reused page.
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        PhysMem mem = physmem(8, PmrFreeMode.SINGLE);
        for (int round = 0; round < 2_000; round++) {
            long pfn = mem.allocPageTablePage(0);
            long pa = pfn * 4096;
            for (int w = 0; w < 512; w++) {
                assertThat(mem.read64(pa + 8L * w)).as("round %d word %d", round, w).isZero();
            }
            int writes = random.nextInt(6);
            long[] touched = new long[writes];
            for (int i = 0; i < writes; i++) {
                // A few words only, so that clearing them again happens often.
                long offset = 8L * random.nextInt(4) + (random.nextBoolean() ? 4 : 0);
                touched[i] = offset;
                int value = random.nextInt(3) == 0 ? 0 : random.nextInt();
                if (random.nextBoolean()) {
                    mem.write32(pa + offset, value);
                }
                else {
                    mem.write64(pa + (offset & ~7L), random.nextInt(3) == 0 ? 0 : random.nextLong());
                }
            }
            if (random.nextBoolean()) {
                for (long offset : touched) {
                    mem.write64(pa + (offset & ~7L), 0);
                }
            }
            mem.freePageTablePage(0, pfn);
        }
    }

    @Test
    void theMutexIsCountedAndContendedAcrossCpus()
    {
        CpuClocks clocks = new CpuClocks(2);
        PhysMem mem = physmem(clocks, 64, PmrFreeMode.SINGLE);
        long pfn = mem.allocate(0, FrameUse.USER);
        assertThat(clocks.now(0)).isPositive();
        assertThat(mem.fpageq().acquires()).isEqualTo(1);
        // cpu1 is still at time 0, inside cpu0's hold: it spins until the mutex is free.
        mem.allocate(1, FrameUse.USER);
        assertThat(mem.fpageq().acquires()).isEqualTo(2);
        assertThat(mem.fpageq().contended()).isEqualTo(1);
        assertThat(mem.fpageq().spinCycles()).isEqualTo(clocks.spin(1)).isPositive();
        assertThat(mem.fpageq().name()).isEqualTo("fpageq");
        mem.release(0, pfn, FrameUse.USER);
    }

    @Test
    void freeingCostsGrowWithTheTreeWork()
    {
        // Scattered frees leave many ranges: each later free searches a deeper tree.
        PhysMem mem = physmem(4096, PmrFreeMode.SINGLE);
        long[] pfns = new long[4096];
        for (int i = 0; i < 4096; i++) {
            pfns[i] = mem.allocate(0, FrameUse.USER);
        }
        long before = mem.treeComparisons();
        mem.release(0, pfns[0], FrameUse.USER);
        long first = mem.treeComparisons() - before;
        for (int i = 2; i < 4096; i += 2) {
            mem.release(0, pfns[i], FrameUse.USER);
        }
        before = mem.treeComparisons();
        mem.release(0, pfns[4095], FrameUse.USER);
        long late = mem.treeComparisons() - before;
        assertThat(mem.freeRanges()).isGreaterThan(2000);
        assertThat(late).isGreaterThan(first + 10);
        assertThat(mem.treeRotations()).isPositive();
    }

    @Test
    void batchFreeingSpendsFewerCyclesThanSingleFreeing()
    {
        // Pages interleaved with another owner's: short runs, yet one mutex hold and fewer inserts.
        assertThat(teardownCycles(PmrFreeMode.BATCH, true)).isLessThan(teardownCycles(PmrFreeMode.SINGLE, true));
        // A process alone: its pages come off one range and go back as one run.
        assertThat(teardownCycles(PmrFreeMode.BATCH, false)).isLessThan(teardownCycles(PmrFreeMode.SINGLE, false) / 4);
    }

    private static long teardownCycles(PmrFreeMode mode, boolean interleaved)
    {
        CpuClocks clocks = new CpuClocks(1);
        PhysMem mem = physmem(clocks, 8192, mode);
        Random random = new Random(3);
        List<Long> mine = new ArrayList<>();
        // Interleave two owners so that one teardown's pages are scattered.
        for (int i = 0; i < 4000; i++) {
            long pfn = mem.allocate(0, FrameUse.USER);
            if (!interleaved || random.nextBoolean()) {
                mine.add(pfn);
            }
        }
        java.util.Collections.shuffle(mine, random);
        long[] pages = mine.stream().mapToLong(Long::longValue).toArray();
        long t0 = clocks.now(0);
        mem.releaseAll(0, pages, pages.length, FrameUse.USER);
        assertThat(mem.checkConsistency()).isEmpty();
        return clocks.now(0) - t0;
    }

    /**
     * Page-table pages against a plain array of words per page: 32- and 64-bit reads and writes,
     * entry reads and writes, frees and reallocations, on full pages and on sparse ones that stay
     * compact until read or until they outgrow the compact form, with words cleared again.
     */
    @Test
    void pageTablePagesReadBackWhatWasWrittenWhateverTheirForm()
    {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        PhysMem mem = physmem(64, PmrFreeMode.SINGLE);
        Map<Long, long[]> reference = new HashMap<>();
        List<Long> pages = new ArrayList<>();
        int compactWrites = 0;
        int expandedByRead = 0;
        for (int step = 0; step < 60_000; step++) {
            int op = random.nextInt(100);
            if (pages.isEmpty() || op < 3) {
                boolean sparse = random.nextBoolean();
                long pfn = sparse ? mem.allocSparsePageTablePage(0) : mem.allocPageTablePage(0);
                assertThat(mem.isCompactPageTablePage(pfn)).isEqualTo(sparse);
                pages.add(pfn);
                reference.put(pfn, new long[512]);
                continue;
            }
            long pfn = pages.get(random.nextInt(pages.size()));
            long[] words = reference.get(pfn);
            if (op < 6) {
                mem.freePageTablePage(0, pfn);
                pages.remove(pfn);
                reference.remove(pfn);
                continue;
            }
            boolean compact = mem.isCompactPageTablePage(pfn);
            // Most writes use a few indexes (a sparse page stays compact); some go anywhere.
            int index = random.nextInt(6) == 0 ? random.nextInt(512) : 250 + random.nextInt(10);
            long pa = pfn * 4096 + 8L * index;
            if (op < 60) {
                long value = random.nextInt(3) == 0 ? 0 : random.nextLong();
                if (random.nextBoolean()) {
                    mem.write64(pa, value);
                }
                else {
                    mem.writeEntry(pfn, index, value);
                }
                words[index] = value;
                compactWrites += compact ? 1 : 0;
            }
            else if (op < 85) {
                int value = random.nextInt(3) == 0 ? 0 : random.nextInt();
                boolean high = random.nextBoolean();
                mem.write32(pa + (high ? 4 : 0), value);
                words[index] = high
                        ? (words[index] & 0xffff_ffffL) | ((long) value << 32)
                        : (words[index] & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL);
            }
            else {
                assertThat(mem.read64(pa)).as("step %d", step).isEqualTo(words[index]);
                assertThat(mem.isCompactPageTablePage(pfn)).isFalse();
                assertThat(mem.readEntry(pfn, index)).isEqualTo(words[index]);
                assertThat(mem.read32(pa)).isEqualTo((int) words[index]);
                assertThat(mem.read32(pa + 4)).isEqualTo((int) (words[index] >>> 32));
                expandedByRead += compact ? 1 : 0;
            }
        }
        for (long pfn : pages) {
            long[] words = reference.get(pfn);
            for (int i = 0; i < 512; i++) {
                assertThat(mem.readEntry(pfn, i)).as("page %d entry %d", pfn, i).isEqualTo(words[i]);
            }
        }
        assertThat(compactWrites).isGreaterThan(1_000);
        assertThat(expandedByRead).isGreaterThan(100);
    }

    @Test
    void aSparsePageTablePageIsCompactUntilReadOrPastEightEntries()
    {
        PhysMem mem = physmem(8, PmrFreeMode.SINGLE);
        assertThat(mem.isCompactPageTablePage(mem.allocPageTablePage(0))).isFalse();
        long pfn = mem.allocSparsePageTablePage(0);
        for (int i = 0; i < PhysMem.COMPACT_SLOTS; i++) {
            mem.writeEntry(pfn, 511 - 37 * i, i + 1);
        }
        // Clearing one and writing another keeps it compact; bad indexes are still rejected.
        mem.writeEntry(pfn, 511, 0);
        mem.writeEntry(pfn, 3, 99);
        assertThatThrownBy(() -> mem.readEntry(pfn, 512)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mem.writeEntry(pfn, -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mem.writeEntry(pfn, 512, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(mem.isCompactPageTablePage(pfn)).isTrue();
        mem.writeEntry(pfn, 4, 100);
        assertThat(mem.isCompactPageTablePage(pfn)).isFalse();
        assertThat(mem.readEntry(pfn, 511)).isZero();
        assertThat(mem.readEntry(pfn, 3)).isEqualTo(99);
        assertThat(mem.readEntry(pfn, 4)).isEqualTo(100);
        for (int i = 1; i < PhysMem.COMPACT_SLOTS; i++) {
            assertThat(mem.readEntry(pfn, 511 - 37 * i)).isEqualTo(i + 1);
        }

        long read = mem.allocSparsePageTablePage(0);
        mem.write64(read * 4096 + 8 * 255, 0x1003);
        mem.writeEntry(read, 0, 0x2007);
        assertThat(mem.isCompactPageTablePage(read)).isTrue();
        assertThat(mem.read32(read * 4096 + 8 * 255 + 4)).isZero();
        assertThat(mem.isCompactPageTablePage(read)).isFalse();
        assertThat(mem.readEntry(read, 255)).isEqualTo(0x1003);
        assertThat(mem.readEntry(read, 0)).isEqualTo(0x2007);
        // Its count of non-zero words came along: cleared again, the page is pooled uncleared and
        // must come back all zero, as must a compact page freed with words set.
        mem.writeEntry(read, 255, 0);
        mem.writeEntry(read, 0, 0);
        mem.freePageTablePage(0, read);
        long again = mem.allocPageTablePage(0);
        for (int i = 0; i < 512; i++) {
            assertThat(mem.readEntry(again, i)).isZero();
        }
        long compact = mem.allocSparsePageTablePage(0);
        mem.writeEntry(compact, 9, 9);
        mem.freePageTablePage(0, compact);
        long compactAgain = mem.allocSparsePageTablePage(0);
        assertThat(mem.isCompactPageTablePage(compactAgain)).isTrue();
        for (int i = 0; i < 512; i++) {
            assertThat(mem.readEntry(compactAgain, i)).isZero();
        }
    }

    @Test
    void sixteenGigabytesNeedOnlyAFewBytesPerFrame()
    {
        long frames = (16L << 30) / 4096;
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long used0 = runtime.totalMemory() - runtime.freeMemory();
        PhysMem mem = physmem(frames, PmrFreeMode.BATCH);
        long used = runtime.totalMemory() - runtime.freeMemory() - used0;
        long[] pfns = new long[1000];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = mem.allocate(0, FrameUse.USER);
        }
        mem.releaseAll(0, pfns, pfns.length, FrameUse.USER);
        assertThat(mem.freeFrames()).isEqualTo(frames);
        assertThat(mem.freeRanges()).isEqualTo(1);
        // byte of ownership + reference to contents: ~5-9 bytes a frame; allow measurement noise.
        assertThat(used).isLessThan(frames * 12);
    }
}
