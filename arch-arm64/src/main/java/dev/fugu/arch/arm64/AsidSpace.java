package dev.fugu.arch.arm64;

/**
 * The ASID bitmap of sys/arch/arm64/arm64/pmap.c: {@code pmap_asid[]} with two bits per ASID
 * pair (even ASID for the kernel+user view, odd {@code ASID_USER} for userland), the generation
 * {@code pmap_asid_gen} stepping by {@code PMAP_MAX_NASID}, and {@code pmap_nasid} ASIDs (2^16,
 * or 2^8 with {@code asid8}). A pmap's {@code pm_asid} is {@code asid | generation}.
 *
 * <p>pmap_find_asid() tries five {@code arc4random()} ASIDs before its linear search; the model
 * skips the random tries so runs stay deterministic: an ASID is reused if free, else the lowest
 * free pair is taken.
 */
final class AsidSpace
{
    /** {@code PMAP_MAX_NASID}: the generation step, whatever pmap_nasid is. */
    static final long MAX_NASID = 1L << 16;
    /** {@code PMAP_ASID_MASK}. */
    static final long ASID_MASK = MAX_NASID - 1;
    /** {@code ASID_USER}: userland runs with the odd ASID of its pair. */
    static final int ASID_USER = 1;

    private final int nasid;
    private final int[] bitmap;
    private long generation = MAX_NASID;
    private int wordsScanned;

    AsidSpace(int nasid)
    {
        if (nasid < 64 || Integer.bitCount(nasid) != 1 || nasid > MAX_NASID) {
            throw new IllegalArgumentException("bad ASID count " + nasid);
        }
        this.nasid = nasid;
        this.bitmap = new int[nasid / 32];
        reserve(0);
    }

    int nasid()
    {
        return nasid;
    }

    /** {@code pmap_asid_gen}. */
    long generation()
    {
        return generation;
    }

    /** Words of the bitmap the last {@link #find} examined (for its cost). */
    int wordsScanned()
    {
        return wordsScanned;
    }

    boolean isCurrent(long pmAsid)
    {
        return (pmAsid & ~ASID_MASK) == generation;
    }

    boolean isFree(int asid)
    {
        return (bitmap[asid >>> 5] & (3 << (asid & 31))) == 0;
    }

    void reserve(int asid)
    {
        bitmap[asid >>> 5] |= 3 << (asid & 31);
    }

    /** Models pmap_find_asid(): the old ASID if free, else the lowest free pair, else -1. */
    int find(long pmAsid)
    {
        wordsScanned = 1;
        int asid = (int) (pmAsid & ASID_MASK);
        if (asid < nasid && isFree(asid)) {
            return asid;
        }
        for (int word = 0; word < bitmap.length; word++) {
            wordsScanned++;
            int bits = bitmap[word];
            if (bits == ~0) {
                continue;
            }
            for (int bit = 0; bit < 32; bit += 2) {
                if ((bits & (3 << bit)) == 0) {
                    return word * 32 + bit;
                }
            }
        }
        return -1;
    }

    /**
     * The first half of pmap_rollover_asid(): a new generation, every pair free again but ASID 0
     * (the kernel's). The caller carries over the ASIDs in use and flushes the TLBs.
     */
    long newGeneration()
    {
        generation += MAX_NASID;
        java.util.Arrays.fill(bitmap, 0);
        reserve(0);
        return generation;
    }

    /** The bitmap half of pmap_free_asid(): frees the pair if it belongs to this generation. */
    void free(long pmAsid)
    {
        if (isCurrent(pmAsid)) {
            int asid = (int) (pmAsid & ASID_MASK);
            bitmap[asid >>> 5] &= ~(3 << (asid & 31));
        }
    }
}
