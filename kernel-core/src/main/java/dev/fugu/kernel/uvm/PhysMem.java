package dev.fugu.kernel.uvm;

import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.sync.SpinMutex;

import dev.fugu.kernel.uvm.RangeTree.Range;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Simulated RAM handed out by a model of uvm_pmemrange (sys/uvm/uvm_pmemrange.c): who owns each
 * frame, the free ranges, and the words of page-table pages.
 *
 * <p>Free memory is a set of maximal ranges (start pfn, length). Every range sits in the
 * {@code addr} tree, ordered by start; ranges longer than one page also sit in the {@code size}
 * tree, ordered by (length, start), and one-page ranges on the {@code single} list, as OpenBSD
 * keeps them in {@code pmr->addr}, {@code pmr->size[]} and the {@code pmr->single[]} TAILQs (one
 * memtype, one pmemrange here). Both trees are intrusive red-black trees ({@link RangeTree}) that
 * count the comparisons and rotations they really make, charged as {@code pmr.compare} and
 * {@code pmr.rotation}. All of it runs under the one global
 * {@code fpageq} spin mutex, so concurrent frees by several CPUs contend for it. In front of it,
 * with a {@link PmrCache}, each CPU's two magazines of free pages (uvm_pmr_cache_get/put): a
 * cached frame is marked free but is in no range, and {@code freeCount} counts the ranges only.
 *
 * <p>Host memory: one byte of ownership per frame, one (compressed) reference to contents, which
 * only page-table pages have, and a two-byte count of their non-zero words, so 16 GB of
 * simulated RAM needs about 28 MB.
 *
 * <p>A page-table page allocated as sparse (a pmap's top-level table) starts compact: its
 * non-zero words as up to {@value #COMPACT_SLOTS} (index, word) pairs in a
 * {@code long[2 * COMPACT_SLOTS]}, indexes first (-1 marks the end: the pairs are kept dense), then
 * words. The first read, or a non-zero word past {@value #COMPACT_SLOTS}, turns it into a full
 * array of the page's words for the rest of its life, so walks always read a full page by index
 * and their code does not change. What stays compact is a top-level table written by
 * pmap_create() and not walked since: the PML4 of a process that has not touched user memory, such
 * as tens of thousands of processes forked to sleep, each of which would otherwise cost the host a
 * 4 KB array (copied by young collections) instead of 144 bytes. Every read and write sees the same
 * words either way.
 */
public final class PhysMem
        implements PhysicalMemory
{
    private static final int PTP_POOL_MAX = 512;
    static final int COMPACT_SLOTS = 8;
    private static final int LEAK_SAMPLE = 16;
    private static final FrameUse[] USES = FrameUse.values();
    private static final byte FREE = (byte) FrameUse.FREE.ordinal();

    private final int pageSize;
    private final int pageShift;
    private final int wordsPerPage;
    private final long frames;
    private final long bytes;
    private final int wordMask;
    private final MdSink sink;
    private final UvmCosts costs;
    private final PmrFreeMode freeMode;
    private final SpinMutex fpageq;
    private final byte[] use;
    private final long[][] contents;
    // Non-zero words in each page-table page: a page freed with none is already zero, so it is
    // pooled as it is instead of being cleared again when reused.
    private final short[] nonzero;
    private final long[] countByUse = new long[USES.length];
    private final RangeTree addr = new RangeTree(true);
    private final RangeTree size = new RangeTree(false);
    private final Range probe = new Range();
    private final ArrayDeque<long[]> ptpPool = new ArrayDeque<>();
    private final ArrayDeque<long[]> compactPool = new ArrayDeque<>();
    // False for pages too small to gain from the compact form (tests use tiny pages).
    private final boolean compact;
    private Range singleHead;
    private Range singleTail;
    private long singles;
    private Range rangePool;
    private long freeCount;
    private long[] sortScratch = new long[64];

    // struct uvm_pmr_cache of each CPU (sys/uvm/uvm_percpu.h): magazine m of cpu c holds
    // magCount[2c + m] pfns in magazines[2c + m]; activeMag[c] is upc_actv. Cached frames are
    // marked FREE but are in no range, so freeCount (the trees) leaves them out.
    private final PmrCache cache;
    private final long[][] magazines;
    private final int[] magCount;
    private final int[] activeMag;
    private final long cacheFloor;
    private long cached;
    private long cacheHits;
    private long cacheMisses;

    // The cycles owed by the critical section in progress, and the tree counters at its start.
    private long work;
    private long startComparisons;
    private long startRotations;

    public PhysMem(int pageSize, long frames, MdSink sink, CpuClocks clocks)
    {
        this(pageSize, frames, sink, clocks, UvmCosts.defaults(), PmrFreeMode.SINGLE);
    }

    public PhysMem(int pageSize, long frames, MdSink sink, CpuClocks clocks, UvmCosts costs, PmrFreeMode freeMode)
    {
        this(pageSize, frames, sink, clocks, costs, freeMode, PmrCache.NONE);
    }

    public PhysMem(int pageSize, long frames, MdSink sink, CpuClocks clocks, UvmCosts costs, PmrFreeMode freeMode, PmrCache cache)
    {
        if (Integer.bitCount(pageSize) != 1 || pageSize < 8) {
            throw new IllegalArgumentException("bad page size " + pageSize);
        }
        if (frames < 1 || frames > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bad frame count " + frames);
        }
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.wordsPerPage = pageSize / Long.BYTES;
        this.frames = frames;
        this.bytes = frames << pageShift;
        this.wordMask = wordsPerPage - 1;
        this.sink = requireNonNull(sink, "sink is null");
        this.costs = requireNonNull(costs, "costs is null");
        this.freeMode = requireNonNull(freeMode, "freeMode is null");
        this.fpageq = new SpinMutex("fpageq", requireNonNull(clocks, "clocks is null"));
        this.use = new byte[(int) frames];
        this.contents = new long[(int) frames][];
        this.nonzero = new short[(int) frames];
        this.compact = wordsPerPage > 4 * COMPACT_SLOTS;
        this.cache = requireNonNull(cache, "cache is null");
        this.magazines = new long[2 * cache.ncpu()][PmrCache.MAGAZINE_PAGES];
        this.magCount = new int[2 * cache.ncpu()];
        this.activeMag = new int[cache.ncpu()];
        this.cacheFloor = cache.constrainedBytes() >>> pageShift;
        // uvm_pmr_init: all of RAM is one free range.
        Range all = newRange(0, frames);
        addr.insert(all.addrNode);
        insertSize(all);
        freeCount = frames;
        countByUse[FREE] = frames;
        addr.comparisons = 0;
        size.comparisons = 0;
        addr.rotations = 0;
        size.rotations = 0;
        work = 0;
    }

    @Override
    public int pageSize()
    {
        return pageSize;
    }

    @Override
    public long totalFrames()
    {
        return frames;
    }

    /** Free frames: in the free ranges and in the per-CPU caches. */
    @Override
    public long freeFrames()
    {
        return freeCount + cached;
    }

    /** Free frames held in the per-CPU caches (uvmexp.percpucaches). */
    public long cachedFrames()
    {
        return cached;
    }

    /** Allocations served from a CPU's cache without a refill (uvmexp.pcphit). */
    public long cacheHits()
    {
        return cacheHits;
    }

    /** Allocations that found both of a CPU's magazines empty (uvmexp.pcpmiss). */
    public long cacheMisses()
    {
        return cacheMisses;
    }

    public PmrCache cache()
    {
        return cache;
    }

    public PmrFreeMode freeMode()
    {
        return freeMode;
    }

    public UvmCosts costs()
    {
        return costs;
    }

    /** The global free-page mutex; its counters are {@code locks.fpageq.*}. */
    public SpinMutex fpageq()
    {
        return fpageq;
    }

    /** Comparisons made in the free-range trees since boot. */
    public long treeComparisons()
    {
        return addr.comparisons + size.comparisons;
    }

    /** Rotations made in the free-range trees since boot. */
    public long treeRotations()
    {
        return addr.rotations + size.rotations;
    }

    /** Free ranges (pmr->nsegs). */
    public long freeRanges()
    {
        return addr.size();
    }

    /** Frames currently owned for {@code owner} ({@link FrameUse#FREE}: free frames). */
    public long count(FrameUse owner)
    {
        return countByUse[owner.ordinal()];
    }

    public FrameUse useOf(long pfn)
    {
        return USES[use[checkFrame(pfn)]];
    }

    /**
     * Allocates one frame for {@code owner}, charged to {@code cpu}, as uvm_pagealloc() in
     * sys/uvm/uvm_page.c does. With the per-CPU cache, models uvm_pmr_cache_get() in
     * sys/uvm/uvm_pmemrange.c: a page off {@code cpu}'s active magazine, else off the other one,
     * which is refilled with {@value PmrCache#MAGAZINE_PAGES} pages under one mutex hold when
     * empty too. Without it (or when the refill fails), models uvm_pmr_getone(): uvm_pmr_getpages()
     * with a count of one (uvm_pmr_get1page: the head of the single[] list, else a page off the
     * end of the smallest multi-page range of the size tree).
     *
     * @return the pfn, or {@link #NO_FRAME} when memory is exhausted
     */
    public long allocate(int cpu, FrameUse owner)
    {
        checkOwner(owner);
        if (cache.enabled()) {
            int m = cacheGetMagazine(cpu);
            if (m >= 0) {
                long pfn = magazines[m][--magCount[m]];
                cached--;
                use[(int) pfn] = (byte) owner.ordinal();
                countByUse[FREE]--;
                countByUse[owner.ordinal()]++;
                sink.charge(cpu, costs.pmrCache);
                return pfn;
            }
            // uvm_pmr_cache_alloc() failed: uvm_pmr_getone().
        }
        enter(cpu);
        long pfn = takeOne();
        if (pfn != NO_FRAME) {
            own(pfn, owner);
        }
        leave(cpu);
        if (pfn == NO_FRAME && cached > 0) {
            drainCaches(cpu);
            return allocate(cpu, owner);
        }
        return pfn;
    }

    /**
     * Allocates {@code count} physically contiguous frames for {@code owner}: the smallest free
     * range that fits, found in the size tree, taken from its start. Models uvm_pmr_getpages() in
     * sys/uvm/uvm_pmemrange.c asked for one segment (uvm_pmr_nfindsz(), then
     * uvm_pmr_extract_range()).
     *
     * @return the first pfn, or {@link #NO_FRAME} when no range is long enough
     */
    public long allocateContiguous(int cpu, FrameUse owner, int count)
    {
        checkOwner(owner);
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        if (count == 1) {
            return allocate(cpu, owner);
        }
        enter(cpu);
        Range range = nfindSize(count);
        long pfn = range == null ? NO_FRAME : extractFront(range, count, owner, null, 0);
        leave(cpu);
        if (pfn == NO_FRAME && cached > 0) {
            drainCaches(cpu);
            return allocateContiguous(cpu, owner, count);
        }
        return pfn;
    }

    /**
     * Allocates {@code count} frames into {@code out} as km_alloc() asks uvm_pglistalloc() for
     * them (sys/uvm/uvm_km.c): in up to {@code count} segments, with UVM_PLA_TRYCONTIG, as a
     * u-area is allocated. Models uvm_pmr_getpages() in sys/uvm/uvm_pmemrange.c for that request:
     * the smallest free range of at least {@code count} pages, taken from its start (search[0]);
     * failing that, the free ranges in size order, single pages first, each drained from its
     * start until {@code count} pages are found (search[1] = 1). So a u-area is contiguous
     * whenever some free range is long enough: one range extraction, where the fast path
     * ({@link #allocateMany}) would take pages one by one off the smallest ranges. All or nothing,
     * under one mutex hold; out is filled in address order within each segment.
     *
     * @return true if all {@code count} frames were allocated
     */
    public boolean allocateTryContig(int cpu, FrameUse owner, long[] out, int count)
    {
        checkOwner(owner);
        if (count < 1 || count > out.length) {
            throw new IllegalArgumentException("count must be in 1.." + out.length);
        }
        if (count == 1) {
            // uvm_pmr_getpages() drops TRYCONTIG for one page: the fast path, uvm_pmr_get1page().
            return allocateMany(cpu, owner, out, 1);
        }
        if (freeCount < count && freeCount + cached >= count) {
            drainCaches(cpu);
        }
        enter(cpu);
        boolean ok = freeCount >= count;
        if (ok) {
            Range range = nfindSize(count);
            if (range != null) {
                extractFront(range, count, owner, out, 0);
            }
            else {
                // f_next is found before found is drained, as the drain unlinks found.
                int n = 0;
                Range next = singleHead != null ? singleHead : size.first();
                while (n < count) {
                    Range found = next;
                    next = found.onSingle ? (found.next != null ? found.next : size.first()) : size.next(found.sizeNode);
                    int take = (int) Math.min(found.length, count - n);
                    extractFront(found, take, owner, out, n);
                    n += take;
                }
            }
        }
        leave(cpu);
        return ok;
    }

    /**
     * Allocates {@code count} frames, not necessarily contiguous, into {@code out} under one
     * mutex hold, as one uvm_pglistalloc() call (sys/uvm/uvm_page.c) does. All or nothing.
     *
     * @return true if all {@code count} frames were allocated
     */
    public boolean allocateMany(int cpu, FrameUse owner, long[] out, int count)
    {
        checkOwner(owner);
        if (count > out.length) {
            throw new IllegalArgumentException("out is too small");
        }
        if (freeCount < count && freeCount + cached >= count) {
            drainCaches(cpu);
        }
        enter(cpu);
        boolean ok = freeCount >= count;
        if (ok) {
            for (int i = 0; i < count; i++) {
                long pfn = takeOne();
                own(pfn, owner);
                out[i] = pfn;
            }
        }
        leave(cpu);
        return ok;
    }

    /**
     * Returns {@code pfn}, which must be allocated for {@code owner}. Models uvm_pagefree() in
     * sys/uvm/uvm_page.c: with the per-CPU cache, uvm_pmr_cache_put() (a magazine push; a full
     * magazine is emptied by uvm_pmr_freepageq() first), except for frames below the constraint
     * end, which, like every frame without the cache, go back by uvm_pmr_freepages(pg, 1): one
     * mutex hold and one uvm_pmr_insert() (neighbour search, merges). A double free or a wrong
     * owner is reported, and the frame left as it was.
     */
    public void release(int cpu, long pfn, FrameUse owner)
    {
        checkOwner(owner);
        int frame = checkFrame(pfn);
        if (!checkRelease(cpu, frame, owner)) {
            return;
        }
        if (cache.enabled() && frame >= cacheFloor) {
            cachePut(cpu, frame, owner);
            return;
        }
        enter(cpu);
        disown(frame, owner);
        insert(pfn, 1);
        leave(cpu);
    }

    /**
     * Frees the pages of one teardown (the first {@code n} entries of {@code pfns}, all owned for
     * {@code owner}) as {@link #freeMode()} says: page by page ({@link PmrFreeMode#SINGLE}), or
     * sorted, coalesced into runs and inserted run by run under one mutex hold
     * ({@link PmrFreeMode#BATCH}, like uvm_pmr_freepageq() in sys/uvm/uvm_pmemrange.c). The sort
     * runs before the mutex is taken. May reorder {@code pfns}.
     */
    public void releaseAll(int cpu, long[] pfns, int n, FrameUse owner)
    {
        checkOwner(owner);
        if (n == 0) {
            return;
        }
        if (freeMode == PmrFreeMode.SINGLE || n == 1) {
            for (int i = 0; i < n; i++) {
                release(cpu, pfns[i], owner);
            }
            return;
        }
        sink.charge(cpu, sort(pfns, n) * costs.pmrSortCompare);
        enter(cpu);
        long runStart = -1;
        long runLength = 0;
        for (int i = 0; i < n; i++) {
            int frame = checkFrame(pfns[i]);
            if (!checkRelease(cpu, frame, owner)) {
                continue;
            }
            disown(frame, owner);
            if (runLength > 0 && frame == runStart + runLength) {
                runLength++;
                continue;
            }
            if (runLength > 0) {
                insert(runStart, runLength);
            }
            runStart = frame;
            runLength = 1;
        }
        if (runLength > 0) {
            insert(runStart, runLength);
        }
        leave(cpu);
    }

    /**
     * Frees the first {@code n} frames of {@code pfns}, all owned for {@code owner}, as one page
     * list. Models uvm_pglistfree() → uvm_pmr_freepageq() in sys/uvm/uvm_pmemrange.c, the way
     * km_free() returns a kernel allocation such as a u-area: one mutex hold for the list, each run
     * of pages that follow each other in the list and in physical memory (either way) inserted as
     * one range. Not sorted: a scattered list costs an insert per page. Overwrites {@code pfns}.
     */
    public void releasePageq(int cpu, long[] pfns, int n, FrameUse owner)
    {
        checkOwner(owner);
        if (n == 0) {
            return;
        }
        enter(cpu);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int frame = checkFrame(pfns[i]);
            // Disowned one by one, so a page listed twice is caught as a double free.
            if (checkRelease(cpu, frame, owner)) {
                disown(frame, owner);
                pfns[kept++] = frame;
            }
        }
        insertRuns(pfns, kept);
        leave(cpu);
    }

    @Override
    public long allocPageTablePage(int cpu)
    {
        return allocPageTablePage(cpu, false);
    }

    @Override
    public long allocSparsePageTablePage(int cpu)
    {
        return allocPageTablePage(cpu, compact);
    }

    private long allocPageTablePage(int cpu, boolean sparse)
    {
        long pfn = allocate(cpu, FrameUse.PAGE_TABLE);
        if (pfn != NO_FRAME) {
            contents[(int) pfn] = sparse ? compactPage() : fullPage();
            nonzero[(int) pfn] = 0;
        }
        return pfn;
    }

    // Pooled compact pages have no pairs (see poolCompact).
    private long[] compactPage()
    {
        long[] words = compactPool.pollFirst();
        if (words == null) {
            words = new long[2 * COMPACT_SLOTS];
            Arrays.fill(words, 0, COMPACT_SLOTS, -1L);
        }
        return words;
    }

    // Pooled full pages are all zero (see freePageTablePage).
    private long[] fullPage()
    {
        long[] words = ptpPool.pollFirst();
        return words != null ? words : new long[wordsPerPage];
    }

    @Override
    public void freePageTablePage(int cpu, long pfn)
    {
        int frame = checkFrame(pfn);
        long[] words = use[frame] == FrameUse.PAGE_TABLE.ordinal() ? contents[frame] : null;
        release(cpu, pfn, FrameUse.PAGE_TABLE);
        if (words != null && use[frame] == FREE) {
            contents[frame] = null;
            if (words.length != wordsPerPage) {
                poolCompact(words);
            }
            else if (ptpPool.size() < PTP_POOL_MAX) {
                if (nonzero[frame] != 0) {
                    Arrays.fill(words, 0L);
                }
                ptpPool.addFirst(words);
            }
            nonzero[frame] = 0;
        }
    }

    @Override
    public long read64(long pa)
    {
        int frame = frameOf(pa, 7);
        return word(contents[frame], frame, wordIndex(pa));
    }

    // A page walk's read: the frame and the array's own bounds check stand for read64's alignment
    // and address checks.
    @Override
    public long readEntry(long pfn, int index)
    {
        if (Long.compareUnsigned(pfn, frames) >= 0) {
            throw new IllegalArgumentException("no frame " + pfn + " (RAM has " + frames + ")");
        }
        long[] words = contents[(int) pfn];
        if (words == null) {
            throw notPageTable(pfn << pageShift);
        }
        return word(words, (int) pfn, index);
    }

    @Override
    public void writeEntry(long pfn, int index, long value)
    {
        if (Long.compareUnsigned(pfn, frames) >= 0) {
            throw new IllegalArgumentException("no frame " + pfn + " (RAM has " + frames + ")");
        }
        long[] words = contents[(int) pfn];
        if (words == null) {
            throw notPageTable(pfn << pageShift);
        }
        setWord(words, (int) pfn, index, value);
    }

    @Override
    public void write64(long pa, long value)
    {
        int frame = frameOf(pa, 7);
        setWord(contents[frame], frame, wordIndex(pa), value);
    }

    @Override
    public int read32(long pa)
    {
        int frame = frameOf(pa, 3);
        long word = word(contents[frame], frame, wordIndex(pa));
        return (pa & 4) == 0 ? (int) word : (int) (word >>> 32);
    }

    @Override
    public void write32(long pa, int value)
    {
        int frame = frameOf(pa, 3);
        int index = wordIndex(pa);
        long old = word(contents[frame], frame, index);
        long word;
        if ((pa & 4) == 0) {
            word = (old & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL);
        }
        else {
            word = (old & 0x0000_0000_ffff_ffffL) | ((long) value << 32);
        }
        // Re-read: the read may have turned a compact page into a full one.
        setWord(contents[frame], frame, index, word);
    }

    /** Whether page-table page {@code pfn} is still in its compact form (for tests). */
    boolean isCompactPageTablePage(long pfn)
    {
        long[] words = contents[checkFrame(pfn)];
        if (words == null) {
            throw notPageTable(pfn << pageShift);
        }
        return words.length != wordsPerPage;
    }

    /** Word {@code index} of a page-table page, full or compact. */
    private long word(long[] words, int frame, int index)
    {
        if (words.length == wordsPerPage) {
            return words[index];
        }
        return compactWord(words, frame, index);
    }

    // A compact page's first read makes it full (see the class comment).
    private long compactWord(long[] pairs, int frame, int index)
    {
        checkIndex(index);
        return expand(frame, pairs)[index];
    }

    /** Sets word {@code index} of a page-table page and keeps the count of its non-zero words. */
    private void setWord(long[] words, int frame, int index, long value)
    {
        if (words.length == wordsPerPage) {
            long old = words[index];
            words[index] = value;
            if ((old == 0) != (value == 0)) {
                nonzero[frame] += value != 0 ? 1 : -1;
            }
            return;
        }
        setCompactWord(words, frame, index, value);
    }

    private void setCompactWord(long[] words, int frame, int index, long value)
    {
        checkIndex(index);
        int i = 0;
        for (; i < COMPACT_SLOTS; i++) {
            long key = words[i];
            if (key == index) {
                if (value != 0) {
                    words[COMPACT_SLOTS + i] = value;
                    return;
                }
                // The last pair fills the hole, so the pairs stay dense (in no particular order).
                int last = i;
                while (last + 1 < COMPACT_SLOTS && words[last + 1] >= 0) {
                    last++;
                }
                words[i] = words[last];
                words[COMPACT_SLOTS + i] = words[COMPACT_SLOTS + last];
                words[last] = -1;
                return;
            }
            if (key < 0) {
                break;
            }
        }
        if (value == 0) {
            return;
        }
        if (i < COMPACT_SLOTS) {
            words[i] = index;
            words[COMPACT_SLOTS + i] = value;
            return;
        }
        expand(frame, words)[index] = value;
        nonzero[frame]++;
    }

    /** The compact page of {@code frame} becomes a full one, with the same words. */
    private long[] expand(int frame, long[] pairs)
    {
        long[] full = fullPage();
        int n = 0;
        while (n < COMPACT_SLOTS && pairs[n] >= 0) {
            full[(int) pairs[n]] = pairs[COMPACT_SLOTS + n];
            n++;
        }
        contents[frame] = full;
        nonzero[frame] = (short) n;
        poolCompact(pairs);
        return full;
    }

    private void poolCompact(long[] pairs)
    {
        if (compactPool.size() < PTP_POOL_MAX) {
            Arrays.fill(pairs, 0, COMPACT_SLOTS, -1L);
            compactPool.addFirst(pairs);
        }
    }

    // A full page's array checks its own indexes; a compact page's must be checked.
    private void checkIndex(int index)
    {
        if (index < 0 || index >= wordsPerPage) {
            throw new ArrayIndexOutOfBoundsException("entry " + index + " of a " + pageSize + "-byte table");
        }
    }

    /**
     * The frame audit: every allocated frame must be claimed by one of {@code owners} (the live
     * objects), and every claim must name a frame allocated for that use. Page-table pages are
     * checked by count, since only their pmaps know them.
     */
    public FrameAudit audit(Iterable<? extends FrameOwner> owners)
    {
        BitSet claimed = new BitSet((int) frames);
        long[] badClaims = new long[1];
        long[] ptps = new long[1];
        FrameOwner.FrameClaims claims = new FrameOwner.FrameClaims()
        {
            @Override
            public void claim(long pfn, FrameUse frameUse)
            {
                if (pfn < 0 || pfn >= frames || use[(int) pfn] != frameUse.ordinal() || frameUse == FrameUse.FREE) {
                    badClaims[0]++;
                    return;
                }
                claimed.set((int) pfn);
            }

            @Override
            public void claimPageTablePages(long count)
            {
                ptps[0] += count;
            }
        };
        for (FrameOwner owner : owners) {
            owner.claimFrames(claims);
        }
        long leaked = 0;
        List<Long> sample = new ArrayList<>();
        byte pageTable = (byte) FrameUse.PAGE_TABLE.ordinal();
        for (int pfn = 0; pfn < frames; pfn++) {
            byte u = use[pfn];
            if (u != FREE && u != pageTable && !claimed.get(pfn)) {
                leaked++;
                if (sample.size() < LEAK_SAMPLE) {
                    sample.add((long) pfn);
                }
            }
        }
        long leakedPtp = countByUse[pageTable] - ptps[0];
        return new FrameAudit(frames, freeCount + cached, leaked + Math.max(0, leakedPtp), sample, badClaims[0], leakedPtp);
    }

    /**
     * Checks the free-range structures against each other and against frame ownership: ranges
     * disjoint and maximal (no two adjacent), each in the size tree or on the single list as its
     * length says, lengths adding up to the free count, every frame in a range free and every
     * free frame in a range, per-use counts adding up to RAM.
     *
     * @return the problems found; empty when consistent
     */
    public List<String> checkConsistency()
    {
        List<String> problems = new ArrayList<>();
        long end = -1;
        long total = 0;
        long multi = 0;
        long single = 0;
        for (Range range = addr.first(); range != null; range = addr.next(range.addrNode)) {
            if (range.length < 1) {
                problems.add("empty range at " + range.start);
            }
            if (range.start < end) {
                problems.add("overlapping ranges at " + range.start);
            }
            if (range.start == end) {
                problems.add("unmerged neighbours at " + range.start);
            }
            if (range.length == 1) {
                single++;
                if (!range.onSingle) {
                    problems.add("one-page range " + range.start + " not on the single list");
                }
            }
            else {
                multi++;
                if (range.onSingle || !range.sizeNode.linked) {
                    problems.add("range " + range.start + "+" + range.length + " not in the size tree");
                }
            }
            for (long p = range.start; p < range.start + range.length; p++) {
                if (use[(int) p] != FREE) {
                    problems.add("frame " + p + " is in a free range but owned by " + USES[use[(int) p]]);
                    break;
                }
            }
            end = range.start + range.length;
            total += range.length;
        }
        if (size.size() != multi) {
            problems.add("size tree has " + size.size() + " ranges, address tree " + multi + " multi-page ones");
        }
        long listed = 0;
        for (Range r = singleHead; r != null; r = r.next) {
            listed++;
        }
        if (listed != single || singles != single) {
            problems.add("single list has " + listed + " (counted " + singles + "), address tree " + single + " one-page ranges");
        }
        if (total != freeCount) {
            problems.add("free ranges hold " + total + " frames, free count is " + freeCount);
        }
        long[] inMagazines = new long[(int) Math.min(cached, Integer.MAX_VALUE - 8) + 1];
        int n = 0;
        for (int m = 0; m < magCount.length; m++) {
            for (int i = 0; i < magCount[m] && n < inMagazines.length; i++) {
                long pfn = magazines[m][i];
                inMagazines[n++] = pfn;
                if (use[(int) pfn] != FREE) {
                    problems.add("cached frame " + pfn + " is owned by " + USES[use[(int) pfn]]);
                }
            }
        }
        // Sorted, the cached frames and the ranges are swept together for overlaps.
        Arrays.sort(inMagazines, 0, n);
        Range sweep = addr.first();
        for (int i = 0; i < n; i++) {
            if (i > 0 && inMagazines[i] == inMagazines[i - 1]) {
                problems.add("frame " + inMagazines[i] + " cached twice");
            }
            while (sweep != null && sweep.start + sweep.length <= inMagazines[i]) {
                sweep = addr.next(sweep.addrNode);
            }
            if (sweep != null && sweep.start <= inMagazines[i]) {
                problems.add("cached frame " + inMagazines[i] + " is also in the free range at " + sweep.start);
            }
        }
        if (n != cached) {
            problems.add("magazines hold " + n + " frames, cached count is " + cached);
        }
        long freeByUse = 0;
        long sum = 0;
        for (int pfn = 0; pfn < frames; pfn++) {
            if (use[pfn] == FREE) {
                freeByUse++;
            }
        }
        for (long c : countByUse) {
            sum += c;
        }
        if (freeByUse != freeCount + cached || countByUse[FREE] != freeCount + cached) {
            problems.add("frames marked free: " + freeByUse + ", free count " + freeCount + " + cached " + cached);
        }
        if (sum != frames) {
            problems.add("per-use counts add up to " + sum + " of " + frames + " frames");
        }
        addr.validate("address tree", problems);
        size.validate("size tree", problems);
        return problems;
    }

    // --- the per-CPU cache (uvm_pmr_cache_*, sys/uvm/uvm_pmemrange.c) ---

    // uvm_pmr_cache_get() without its pop: the magazine to take from, made active, or -1 when
    // both are empty and uvm_pmr_cache_alloc() could not refill one.
    private int cacheGetMagazine(int cpu)
    {
        int a = activeMag[cpu];
        int m = 2 * cpu + a;
        if (magCount[m] > 0) {
            cacheHits++;
            return m;
        }
        int prev = m ^ 1;
        if (magCount[prev] == 0) {
            cacheMisses++;
            if (!cacheAlloc(cpu, prev)) {
                sink.charge(cpu, costs.pmrCache);
                return -1;
            }
        }
        activeMag[cpu] = a ^ 1;
        return prev;
    }

    /**
     * Models uvm_pmr_cache_alloc(): one uvm_pmr_getpages() of a magazine's worth of pages under one
     * mutex hold, by its fast path for a count within maxseg, uvm_pmr_get1page(): the first single
     * page, else the smallest multi-page range, taken out of the size structures once, as many
     * pages as are still wanted taken off its end, and the rest put back once (the address tree is
     * touched only for a range used up). The pages are stacked so that the first one taken is the
     * first one handed out. Fails, taking nothing, when fewer pages are free.
     */
    private boolean cacheAlloc(int cpu, int m)
    {
        enter(cpu);
        int want = PmrCache.MAGAZINE_PAGES;
        boolean ok = freeCount >= want;
        if (ok) {
            long[] mag = magazines[m];
            int got = 0;
            while (got < want) {
                Range range = singleHead != null ? singleHead : size.first();
                removeSize(range);
                while (range.length > 0 && got < want) {
                    range.length--;
                    mag[want - 1 - got] = range.start + range.length;
                    got++;
                }
                if (range.length > 0) {
                    insertSize(range);
                }
                else {
                    removeAddr(range);
                    releaseRange(range);
                }
            }
            magCount[m] = want;
            freeCount -= want;
            cached += want;
            work += want * costs.pmrPage;
        }
        leave(cpu);
        return ok;
    }

    // uvm_pmr_cache_put() of a frame above the constraint end.
    private void cachePut(int cpu, int frame, FrameUse owner)
    {
        int a = activeMag[cpu];
        int m = 2 * cpu + a;
        if (magCount[m] >= PmrCache.MAGAZINE_PAGES) {
            int prev = m ^ 1;
            if (magCount[prev] > 0) {
                cacheFree(cpu, prev);
            }
            activeMag[cpu] = a ^ 1;
            m = prev;
        }
        magazines[m][magCount[m]++] = frame;
        cached++;
        use[frame] = FREE;
        countByUse[owner.ordinal()]--;
        countByUse[FREE]++;
        sink.charge(cpu, costs.pmrCache);
    }

    /** Models uvm_pmr_cache_free(): the magazine's pages go back by uvm_pmr_freepageq(). */
    private void cacheFree(int cpu, int m)
    {
        int n = magCount[m];
        enter(cpu);
        insertRuns(magazines[m], n);
        work += n * costs.pmrPage;
        freeCount += n;
        cached -= n;
        magCount[m] = 0;
        leave(cpu);
    }

    /**
     * Models uvm_pmr_cache_drain() run on every CPU: all cached pages back to the free ranges.
     * OpenBSD's page daemon drains the cache of the CPU it runs on when memory is short; the
     * model drains them all when an allocation would otherwise fail.
     *
     * @return the pages given back
     */
    public long drainCaches(int cpu)
    {
        long freed = cached;
        for (int m = 0; m < magCount.length; m++) {
            if (magCount[m] > 0) {
                cacheFree(cpu, m);
            }
        }
        return freed;
    }

    // --- inside the mutex ---

    private void enter(int cpu)
    {
        fpageq.enter(cpu);
        work = costs.mutexEnter;
        startComparisons = treeComparisons();
        startRotations = treeRotations();
    }

    private void leave(int cpu)
    {
        work += (treeComparisons() - startComparisons) * costs.pmrCompare
                + (treeRotations() - startRotations) * costs.pmrRotation + costs.mutexLeave;
        sink.charge(cpu, work);
        work = 0;
        fpageq.leave(cpu);
    }

    // uvm_pmr_freepageq()'s loop: runs of list neighbours that are physical neighbours, rising
    // (uvm_pmr_remove_1strange) or falling (uvm_pmr_remove_1strange_reverse), one insert each.
    private void insertRuns(long[] pfns, int n)
    {
        int i = 0;
        while (i < n) {
            long first = pfns[i];
            int j = i + 1;
            if (j < n && pfns[j] == first - 1) {
                while (j < n && pfns[j] == pfns[j - 1] - 1) {
                    j++;
                }
                insert(pfns[j - 1], j - i);
            }
            else {
                while (j < n && pfns[j] == pfns[j - 1] + 1) {
                    j++;
                }
                insert(first, j - i);
            }
            i = j;
        }
    }

    // uvm_pmr_nfindsz() for more than one page: the smallest multi-page range of at least count
    // pages, the lowest such in address among equals.
    private Range nfindSize(int count)
    {
        probe.length = count;
        probe.start = Long.MIN_VALUE;
        return size.nfind(probe);
    }

    /**
     * Models uvm_pmr_extract_range() taking the first {@code count} pages of {@code range}: out of
     * the size structures and the address tree; what is left is a range of its own, put back in
     * both. The pages are owned for {@code owner} and, when {@code out} is given, written there
     * from {@code at}.
     *
     * @return the first pfn taken
     */
    private long extractFront(Range range, int count, FrameUse owner, long[] out, int at)
    {
        long first = range.start;
        removeSize(range);
        removeAddr(range);
        if (range.length == count) {
            releaseRange(range);
        }
        else {
            range.start += count;
            range.length -= count;
            addr.insert(range.addrNode);
            work += costs.pmrInsert;
            insertSize(range);
        }
        for (int i = 0; i < count; i++) {
            own(first + i, owner);
            if (out != null) {
                out[at + i] = first + i;
            }
        }
        return first;
    }

    private long takeOne()
    {
        Range range = singleHead;
        if (range != null) {
            removeSize(range);
            removeAddr(range);
            long pfn = range.start;
            releaseRange(range);
            return pfn;
        }
        if (size.isEmpty()) {
            return NO_FRAME;
        }
        // The smallest multi-page range gives its last page: its start, the addr key, stays.
        range = size.first();
        resize(range, range.length - 1);
        return range.start + range.length;
    }

    /**
     * Models uvm_pmr_insert() in sys/uvm/uvm_pmemrange.c: uvm_pmr_insert_addr (with
     * uvm_pmr_pnaddr's neighbour search and the joins) + uvm_pmr_insert_size.
     */
    private void insert(long start, long length)
    {
        // uvm_pmr_pnaddr: the ranges just above and just below.
        probe.start = start;
        probe.length = length;
        Range next = addr.nfind(probe);
        Range prev = next != null ? addr.prev(next.addrNode) : addr.last();
        if (next != null && next.start == start + length) {
            removeSize(next);
            removeAddr(next);
            length += next.length;
            releaseRange(next);
        }
        if (prev != null && prev.start + prev.length == start) {
            resize(prev, prev.length + length);
            return;
        }
        Range range = newRange(start, length);
        addr.insert(range.addrNode);
        work += costs.pmrInsert;
        insertSize(range);
    }

    /**
     * A free range's length changes: out of the size structures and back in, as OpenBSD does. The
     * size tree's only node is left in place: taking it out and putting it back compares nothing
     * and rotates nothing, so that is the same work, charged the same, without the relinking.
     */
    private void resize(Range range, long length)
    {
        if (!range.onSingle && length > 1 && size.size() == 1) {
            range.length = length;
            work += costs.pmrRemove + costs.pmrInsert;
            return;
        }
        removeSize(range);
        range.length = length;
        insertSize(range);
    }

    private void insertSize(Range range)
    {
        if (range.length == 1) {
            range.onSingle = true;
            range.prev = singleTail;
            range.next = null;
            if (singleTail == null) {
                singleHead = range;
            }
            else {
                singleTail.next = range;
            }
            singleTail = range;
            singles++;
            work += costs.pmrListOp;
        }
        else {
            size.insert(range.sizeNode);
            work += costs.pmrInsert;
        }
    }

    private void removeSize(Range range)
    {
        if (range.onSingle) {
            if (range.prev == null) {
                singleHead = range.next;
            }
            else {
                range.prev.next = range.next;
            }
            if (range.next == null) {
                singleTail = range.prev;
            }
            else {
                range.next.prev = range.prev;
            }
            range.prev = null;
            range.next = null;
            range.onSingle = false;
            singles--;
            work += costs.pmrListOp;
        }
        else {
            size.remove(range.sizeNode);
            work += costs.pmrRemove;
        }
    }

    private void removeAddr(Range range)
    {
        addr.remove(range.addrNode);
        work += costs.pmrRemove;
    }

    private void own(long pfn, FrameUse owner)
    {
        use[(int) pfn] = (byte) owner.ordinal();
        countByUse[FREE]--;
        countByUse[owner.ordinal()]++;
        freeCount--;
        work += costs.pmrPage;
    }

    private void disown(int frame, FrameUse owner)
    {
        use[frame] = FREE;
        countByUse[owner.ordinal()]--;
        countByUse[FREE]++;
        freeCount++;
        work += costs.pmrPage;
    }

    private boolean checkRelease(int cpu, int frame, FrameUse owner)
    {
        byte u = use[frame];
        if (u == FREE) {
            sink.violation("double-free", cpu, "frame " + frame + " freed twice (" + owner + ")");
            return false;
        }
        if (u != owner.ordinal()) {
            sink.violation("frame-owner", cpu, "frame " + frame + " freed as " + owner + " but owned by " + USES[u]);
            return false;
        }
        return true;
    }

    private Range newRange(long start, long length)
    {
        Range range = rangePool;
        if (range == null) {
            range = new Range();
        }
        else {
            rangePool = range.next;
            range.next = null;
        }
        range.start = start;
        range.length = length;
        return range;
    }

    private void releaseRange(Range range)
    {
        range.prev = null;
        range.onSingle = false;
        range.next = rangePool;
        rangePool = range;
    }

    // Bottom-up merge sort that counts its comparisons; an already sorted teardown costs n - 1.
    private long sort(long[] a, int n)
    {
        long compares = 0;
        boolean sorted = true;
        for (int i = 1; i < n; i++) {
            compares++;
            if (a[i - 1] > a[i]) {
                sorted = false;
                break;
            }
        }
        if (sorted) {
            return compares;
        }
        if (sortScratch.length < n) {
            sortScratch = new long[Math.max(n, sortScratch.length * 2)];
        }
        long[] src = a;
        long[] dst = sortScratch;
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    compares++;
                    dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
                }
                while (i < mid) {
                    dst[k++] = src[i++];
                }
                while (j < hi) {
                    dst[k++] = src[j++];
                }
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) {
            System.arraycopy(src, 0, a, 0, n);
        }
        return compares;
    }

    // On every page-walk read: the alignment (7 for 64-bit words, 3 for 32-bit halves) and the
    // end of RAM in two tests, then the frame, which must hold a page-table page.
    private int frameOf(long pa, int alignment)
    {
        if ((pa & alignment) != 0 || Long.compareUnsigned(pa, bytes) >= 0) {
            throw badAddress(pa);
        }
        int frame = (int) (pa >>> pageShift);
        if (contents[frame] == null) {
            throw notPageTable(pa);
        }
        return frame;
    }

    private int wordIndex(long pa)
    {
        return (int) (pa >>> 3) & wordMask;
    }

    private static IllegalStateException notPageTable(long pa)
    {
        return new IllegalStateException("physical address 0x" + Long.toHexString(pa) + " is not in a page-table page");
    }

    private RuntimeException badAddress(long pa)
    {
        if (pa >>> pageShift < frames) {
            return new IllegalArgumentException("unaligned physical address 0x" + Long.toHexString(pa));
        }
        return new IllegalArgumentException("no frame " + (pa >>> pageShift) + " (RAM has " + frames + ")");
    }

    private int checkFrame(long pfn)
    {
        if (pfn < 0 || pfn >= frames) {
            throw new IllegalArgumentException("no frame " + pfn + " (RAM has " + frames + ")");
        }
        return (int) pfn;
    }

    private static void checkOwner(FrameUse owner)
    {
        if (requireNonNull(owner, "owner is null") == FrameUse.FREE) {
            throw new IllegalArgumentException("FREE is not an owner");
        }
    }

}
