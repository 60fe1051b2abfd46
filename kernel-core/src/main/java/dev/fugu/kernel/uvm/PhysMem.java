package dev.fugu.kernel.uvm;

import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.PhysicalMemory;

import java.util.BitSet;

import static java.util.Objects.requireNonNull;

/**
 * Simulated RAM: {@code frames} page frames, who owns each, and the words of page-table pages.
 *
 * <p>Frames are handed out lowest-first from a free bitmap. (The UVM issue replaces this with a
 * uvm_pmemrange model: free ranges in trees by address and by size under one global mutex.)
 * Only page-table pages carry contents, stored as 64-bit words, so a run's memory use on the host
 * grows with its page tables, not with its simulated RAM.
 */
public final class PhysMem
        implements PhysicalMemory
{
    private final int pageSize;
    private final int wordsPerPage;
    private final long frames;
    private final MdSink sink;
    private final BitSet free;
    private final byte[] use;
    private final long[][] contents;
    private long freeCount;

    public PhysMem(int pageSize, long frames, MdSink sink)
    {
        if (Integer.bitCount(pageSize) != 1 || pageSize < 8) {
            throw new IllegalArgumentException("bad page size " + pageSize);
        }
        if (frames < 1 || frames > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad frame count " + frames);
        }
        this.pageSize = pageSize;
        this.wordsPerPage = pageSize / Long.BYTES;
        this.frames = frames;
        this.sink = requireNonNull(sink, "sink is null");
        this.free = new BitSet((int) frames);
        this.free.set(0, (int) frames);
        this.use = new byte[(int) frames];
        this.contents = new long[(int) frames][];
        this.freeCount = frames;
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

    @Override
    public long freeFrames()
    {
        return freeCount;
    }

    /** Allocates one frame for {@code owner}; {@link #NO_FRAME} when none is free. */
    public long allocate(int cpu, FrameUse owner)
    {
        int pfn = free.nextSetBit(0);
        if (pfn < 0) {
            return NO_FRAME;
        }
        free.clear(pfn);
        freeCount--;
        use[pfn] = (byte) owner.ordinal();
        return pfn;
    }

    /** Returns {@code pfn}, which must be allocated for {@code owner}, to the free pool. */
    public void release(int cpu, long pfn, FrameUse owner)
    {
        int frame = checkFrame(pfn);
        if (free.get(frame)) {
            sink.violation("double-free", cpu, "frame " + pfn + " freed twice (" + owner + ")");
            return;
        }
        if (use[frame] != owner.ordinal()) {
            sink.violation("frame-owner", cpu, "frame " + pfn + " freed as " + owner + " but owned by " + useOf(pfn));
            return;
        }
        contents[frame] = null;
        use[frame] = (byte) FrameUse.FREE.ordinal();
        free.set(frame);
        freeCount++;
    }

    public FrameUse useOf(long pfn)
    {
        int frame = checkFrame(pfn);
        return free.get(frame) ? FrameUse.FREE : FrameUse.values()[use[frame]];
    }

    /** Frames currently owned for {@code owner}. */
    public long count(FrameUse owner)
    {
        if (owner == FrameUse.FREE) {
            return freeCount;
        }
        long n = 0;
        for (int pfn = free.nextClearBit(0); pfn < frames; pfn = free.nextClearBit(pfn + 1)) {
            if (use[pfn] == owner.ordinal()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long allocPageTablePage(int cpu)
    {
        long pfn = allocate(cpu, FrameUse.PAGE_TABLE);
        if (pfn != NO_FRAME) {
            contents[(int) pfn] = new long[wordsPerPage];
        }
        return pfn;
    }

    @Override
    public void freePageTablePage(int cpu, long pfn)
    {
        release(cpu, pfn, FrameUse.PAGE_TABLE);
    }

    @Override
    public long read64(long pa)
    {
        return words(pa)[wordIndex(pa)];
    }

    @Override
    public void write64(long pa, long value)
    {
        words(pa)[wordIndex(pa)] = value;
    }

    @Override
    public int read32(long pa)
    {
        long word = words(pa)[wordIndex(pa)];
        return (pa & 4) == 0 ? (int) word : (int) (word >>> 32);
    }

    @Override
    public void write32(long pa, int value)
    {
        long[] words = words(pa);
        int index = wordIndex(pa);
        long word = words[index];
        if ((pa & 4) == 0) {
            word = (word & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL);
        }
        else {
            word = (word & 0x0000_0000_ffff_ffffL) | ((long) value << 32);
        }
        words[index] = word;
    }

    private long[] words(long pa)
    {
        if ((pa & 3) != 0) {
            throw new IllegalArgumentException("unaligned physical address 0x" + Long.toHexString(pa));
        }
        long[] words = contents[checkFrame(pa / pageSize)];
        if (words == null) {
            throw new IllegalStateException("physical address 0x" + Long.toHexString(pa) + " is not in a page-table page");
        }
        return words;
    }

    private int wordIndex(long pa)
    {
        return (int) ((pa & (pageSize - 1)) >>> 3);
    }

    private int checkFrame(long pfn)
    {
        if (pfn < 0 || pfn >= frames) {
            throw new IllegalArgumentException("no frame " + pfn + " (RAM has " + frames + ")");
        }
        return (int) pfn;
    }
}
