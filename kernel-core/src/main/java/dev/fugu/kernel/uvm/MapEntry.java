package dev.fugu.kernel.uvm;

import static java.util.Objects.requireNonNull;

/**
 * One mapping of a vm_map: [start, end), protection, inheritance and its amap. Models
 * {@code struct vm_map_entry} (sys/uvm/uvm_map.h); all memory here is anonymous.
 */
public final class MapEntry
{
    private final long start;
    private final int prot;
    private final MapInherit inherit;
    private final Region region;
    long end;
    Amap amap;

    MapEntry(long start, long end, int prot, MapInherit inherit, Region region, Amap amap)
    {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.inherit = requireNonNull(inherit, "inherit is null");
        this.region = requireNonNull(region, "region is null");
        this.amap = requireNonNull(amap, "amap is null");
    }

    public long start()
    {
        return start;
    }

    public long end()
    {
        return end;
    }

    /** PROT_* bits ({@link dev.fugu.kernel.md.Access#PROT_READ} etc.). */
    public int protection()
    {
        return prot;
    }

    public MapInherit inheritance()
    {
        return inherit;
    }

    public Region region()
    {
        return region;
    }

    /** Pages the entry spans. */
    public int slots(int pageShift)
    {
        return (int) ((end - start) >>> pageShift);
    }

    /** Pages of the entry that have an anon (resident or faulted in). */
    public int residentPages()
    {
        int n = 0;
        for (Anon anon : amap.slots) {
            if (anon != null) {
                n++;
            }
        }
        return n;
    }

    /** The amap's reference count (entries sharing it). */
    public int amapReferences()
    {
        return amap.refs;
    }

    /** The reference count of the anon at page {@code slot} of the entry, 0 when there is none. */
    public int anonReferences(int slot)
    {
        Anon anon = slot < amap.slots.length ? amap.slots[slot] : null;
        return anon == null ? 0 : anon.refs;
    }
}
