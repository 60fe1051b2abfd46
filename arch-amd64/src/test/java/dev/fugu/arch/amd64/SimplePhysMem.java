package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.PhysicalMemory;

import java.util.BitSet;

/**
 * A plain {@link PhysicalMemory} for the amd64 tests that build a machine directly: frames handed
 * out lowest first, words only in page-table pages. Independent of kernel-core's allocator.
 */
final class SimplePhysMem
        implements PhysicalMemory
{
    private final int frames;
    private final BitSet free;
    private final BitSet pageTables = new BitSet();
    private final long[][] contents;

    SimplePhysMem(long frames)
    {
        this.frames = Math.toIntExact(frames);
        this.free = new BitSet(this.frames);
        this.free.set(0, this.frames);
        this.contents = new long[this.frames][];
    }

    @Override
    public int pageSize()
    {
        return 4096;
    }

    @Override
    public long totalFrames()
    {
        return frames;
    }

    @Override
    public long freeFrames()
    {
        return free.cardinality();
    }

    /** A frame that is not a page table (a user page), or NO_FRAME. */
    long allocate()
    {
        int pfn = free.nextSetBit(0);
        if (pfn < 0) {
            return NO_FRAME;
        }
        free.clear(pfn);
        return pfn;
    }

    void release(long pfn)
    {
        if (free.get((int) pfn) || pageTables.get((int) pfn)) {
            throw new IllegalStateException("bad release of frame " + pfn);
        }
        free.set((int) pfn);
    }

    long pageTablePages()
    {
        return pageTables.cardinality();
    }

    @Override
    public long allocPageTablePage(int cpu)
    {
        long pfn = allocate();
        if (pfn != NO_FRAME) {
            pageTables.set((int) pfn);
            contents[(int) pfn] = new long[512];
        }
        return pfn;
    }

    @Override
    public void freePageTablePage(int cpu, long pfn)
    {
        if (!pageTables.get((int) pfn)) {
            throw new IllegalStateException("frame " + pfn + " is not a page-table page");
        }
        pageTables.clear((int) pfn);
        contents[(int) pfn] = null;
        free.set((int) pfn);
    }

    @Override
    public long read64(long pa)
    {
        return words(pa)[(int) ((pa & 4095) >>> 3)];
    }

    @Override
    public void write64(long pa, long value)
    {
        words(pa)[(int) ((pa & 4095) >>> 3)] = value;
    }

    @Override
    public int read32(long pa)
    {
        long word = read64(pa & ~7L);
        return (pa & 4) == 0 ? (int) word : (int) (word >>> 32);
    }

    @Override
    public void write32(long pa, int value)
    {
        long word = read64(pa & ~7L);
        word = (pa & 4) == 0 ? (word & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL) : (word & 0xffff_ffffL) | ((long) value << 32);
        write64(pa & ~7L, word);
    }

    private long[] words(long pa)
    {
        long[] words = contents[(int) (pa >>> 12)];
        if (words == null) {
            throw new IllegalStateException("pa 0x" + Long.toHexString(pa) + " is not in a page-table page");
        }
        return words;
    }
}
