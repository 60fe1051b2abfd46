package dev.fugu.kernel.md.support;

import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.md.TlbView;

import java.util.Arrays;

/**
 * One CPU's TLB: a fixed number of entries, each translating one 4 KB virtual page under a
 * hardware tag (amd64 PCID, arm64 ASID, 0 where the hardware has none), with a global bit for
 * kernel entries that survive context loads. Replacement is round-robin, so the model is
 * deterministic.
 *
 * <p>Each entry also remembers the pmap whose walk filled it, which hardware does not: the
 * checker uses it to tell a stale hit from a good one, and tests to see what survived.
 *
 * <p>Lookups use an open-addressing index over (tag, vpn); all operations but the flushes are
 * O(1) and allocation-free.
 */
public final class Tlb
        implements TlbView
{
    /** Entry permission bits, as the walk found them. */
    public static final int WRITABLE = 1;
    public static final int USER = 2;
    public static final int NO_EXECUTE = 4;
    public static final int GLOBAL = 8;
    /** The dirty bit was set in the PTE when this entry was filled (a write needs no new walk). */
    public static final int DIRTY = 16;

    private static final int EMPTY = -1;
    // Global entries match under every tag: they are indexed under this reserved one.
    private static final int GLOBAL_TAG = Integer.MIN_VALUE;

    private final int capacity;
    private final int[] tags;
    private final long[] vpns;
    private final long[] pas;
    private final int[] perms;
    private final Pmap[] owners;
    // Valid entries, one bit each: flushes visit only these (a %cr3 load finds a few dozen in a
    // TLB of hundreds).
    private final long[] valid;
    // Open-addressing index: slot -> entry number, EMPTY, or TOMBSTONE.
    private final int[] index;
    private final int mask;
    private int next;
    private int size;
    // Valid global entries: with none (every user access, and kernel ones under PCID), a lookup
    // or an invalidation has no second probe to make.
    private int globals;

    public Tlb(int capacity)
    {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.tags = new int[capacity];
        this.vpns = new long[capacity];
        this.pas = new long[capacity];
        this.perms = new int[capacity];
        this.owners = new Pmap[capacity];
        this.valid = new long[(capacity + 63) >>> 6];
        int slots = Integer.highestOneBit(capacity * 4 - 1) << 1;
        this.index = new int[slots];
        this.mask = slots - 1;
        Arrays.fill(index, EMPTY);
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * Finds the entry for {@code vpn} under {@code tag}, or a global entry for {@code vpn} under
     * any tag.
     *
     * @return the entry number, or -1 on a miss
     */
    public int lookup(int tag, long vpn)
    {
        int entry = find(tag, vpn);
        return entry >= 0 || globals == 0 ? entry : find(GLOBAL_TAG, vpn);
    }

    public long pa(int entry)
    {
        return pas[entry];
    }

    public int perms(int entry)
    {
        return perms[entry];
    }

    public Pmap owner(int entry)
    {
        return owners[entry];
    }

    /** The entry's hardware tag; meaningless for a global entry. */
    public int tag(int entry)
    {
        return tags[entry];
    }

    public long vpn(int entry)
    {
        return vpns[entry];
    }

    /** Sets bits of an entry's permissions (the dirty bit after a write walk). */
    public void addPerms(int entry, int bits)
    {
        perms[entry] |= bits;
    }

    /**
     * Fills an entry after a walk, replacing any entry for the same (tag, vpn). An entry with
     * {@link #GLOBAL} matches under every tag.
     */
    public int insert(int hardwareTag, long vpn, long pa, int entryPerms, Pmap owner)
    {
        int tag = (entryPerms & GLOBAL) != 0 ? GLOBAL_TAG : hardwareTag;
        int existing = find(tag, vpn);
        if (existing >= 0) {
            drop(existing);
        }
        int victim = next;
        next = (next + 1) % capacity;
        if (isValid(victim)) {
            drop(victim);
        }
        tags[victim] = tag;
        vpns[victim] = vpn;
        pas[victim] = pa;
        perms[victim] = entryPerms;
        owners[victim] = owner;
        valid[victim >>> 6] |= 1L << victim;
        size++;
        if (tag == GLOBAL_TAG) {
            globals++;
        }
        int slot = slot(tag, vpn);
        while (index[slot] >= 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = victim;
        return victim;
    }

    /** invlpg / tlbi vae1: drops the entry for {@code vpn} under {@code tag}, and a global one for it. */
    public boolean invalidate(int tag, long vpn)
    {
        boolean dropped = false;
        int entry = find(tag, vpn);
        if (entry >= 0) {
            drop(entry);
            dropped = true;
        }
        int global = globals == 0 ? -1 : find(GLOBAL_TAG, vpn);
        if (global >= 0) {
            drop(global);
            dropped = true;
        }
        return dropped;
    }

    /** invlpg under every tag: drops every entry for {@code vpn}. */
    public int invalidateAllTags(long vpn)
    {
        int dropped = 0;
        for (int e = nextValid(0); e >= 0; e = nextValid(e + 1)) {
            if (vpns[e] == vpn) {
                drop(e);
                dropped++;
            }
        }
        return dropped;
    }

    /** Drops the non-global entries under {@code tag} (a tagged %cr3 load, tlbi aside1). */
    public int flushTag(int tag)
    {
        int dropped = 0;
        for (int e = nextValid(0); e >= 0; e = nextValid(e + 1)) {
            if (tags[e] == tag && (perms[e] & GLOBAL) == 0) {
                drop(e);
                dropped++;
            }
        }
        return dropped;
    }

    /** Drops every non-global entry (an untagged %cr3 load). */
    public int flushNonGlobal()
    {
        int dropped = 0;
        for (int e = nextValid(0); e >= 0; e = nextValid(e + 1)) {
            if ((perms[e] & GLOBAL) == 0) {
                drop(e);
                dropped++;
            }
        }
        return dropped;
    }

    /** Drops everything, global entries too (tlbi vmalle1is, CR4.PGE toggle). */
    public int flushAll()
    {
        int dropped = size;
        Arrays.fill(valid, 0L);
        Arrays.fill(owners, null);
        Arrays.fill(index, EMPTY);
        size = 0;
        globals = 0;
        return dropped;
    }

    /** Drops every entry filled from {@code pmap}, whatever its tag. */
    public int flushOwner(Pmap pmap)
    {
        int dropped = 0;
        for (int e = nextValid(0); e >= 0; e = nextValid(e + 1)) {
            if (owners[e] == pmap) {
                drop(e);
                dropped++;
            }
        }
        return dropped;
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public int entriesOf(Pmap pmap)
    {
        int n = 0;
        for (int e = nextValid(0); e >= 0; e = nextValid(e + 1)) {
            if (owners[e] == pmap) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean holds(Pmap pmap, long va)
    {
        long vpn = va >>> 12;
        for (int e = nextValid(0); e >= 0; e = nextValid(e + 1)) {
            if (owners[e] == pmap && vpns[e] == vpn) {
                return true;
            }
        }
        return false;
    }

    private int find(int tag, long vpn)
    {
        int slot = slot(tag, vpn);
        while (true) {
            int entry = index[slot];
            if (entry == EMPTY) {
                return -1;
            }
            if (entry >= 0 && tags[entry] == tag && vpns[entry] == vpn && isValid(entry)) {
                return entry;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The first valid entry at or after {@code from}, or -1. */
    private int nextValid(int from)
    {
        int w = from >>> 6;
        if (w >= valid.length) {
            return -1;
        }
        long bits = valid[w] & (-1L << from);
        while (bits == 0) {
            if (++w == valid.length) {
                return -1;
            }
            bits = valid[w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(bits);
    }

    private boolean isValid(int entry)
    {
        return (valid[entry >>> 6] & (1L << entry)) != 0;
    }

    private void drop(int entry)
    {
        valid[entry >>> 6] &= ~(1L << entry);
        owners[entry] = null;
        size--;
        if (tags[entry] == GLOBAL_TAG) {
            globals--;
        }
        // Remove from the index and re-insert the rest of its probe run (backward-shift deletion).
        int slot = slot(tags[entry], vpns[entry]);
        while (index[slot] != entry) {
            slot = (slot + 1) & mask;
        }
        index[slot] = EMPTY;
        int probe = (slot + 1) & mask;
        while (index[probe] != EMPTY) {
            int moved = index[probe];
            index[probe] = EMPTY;
            int target = slot(tags[moved], vpns[moved]);
            while (index[target] != EMPTY) {
                target = (target + 1) & mask;
            }
            index[target] = moved;
            probe = (probe + 1) & mask;
        }
    }

    private int slot(int tag, long vpn)
    {
        long h = (vpn * 0x9E3779B97F4A7C15L) ^ ((long) tag * 0xC2B2AE3D27D4EB4FL);
        return (int) (h ^ (h >>> 29)) & mask;
    }
}
