package dev.fugu.kernel.uvm;

import dev.fugu.kernel.md.Pmap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A process's address space: its map entries sorted by address and its pmap. Models
 * {@code struct vmspace} and its {@code vm_map} (sys/uvm/uvm_extern.h, uvm_map.h). OpenBSD keeps
 * the entries in an RB tree; a process here has a handful (text, heap, stack), so a sorted list
 * searched by bisection is the same structure at this size.
 */
public final class Vmspace
        implements FrameOwner
{
    private final long id;
    private final Pmap pmap;
    final List<MapEntry> entries = new ArrayList<>(4);
    MapEntry heap;
    int refs = 1;
    boolean purged;
    boolean freed;

    Vmspace(long id, Pmap pmap)
    {
        this.id = id;
        this.pmap = requireNonNull(pmap, "pmap is null");
    }

    public long id()
    {
        return id;
    }

    /** vm_map.pmap. */
    public Pmap pmap()
    {
        return pmap;
    }

    /** vm_refcnt. */
    public int references()
    {
        return refs;
    }

    /** True once uvm_purge() emptied the map. */
    public boolean isPurged()
    {
        return purged;
    }

    /** True once the last reference went and the vmspace was torn down. */
    public boolean isFreed()
    {
        return freed;
    }

    /** The map entries in address order. */
    public List<MapEntry> entries()
    {
        return Collections.unmodifiableList(entries);
    }

    /** Pages with an anon in this map (shared ones included): the RSS. */
    public long residentPages()
    {
        long n = 0;
        for (int i = 0; i < entries.size(); i++) {
            n += entries.get(i).residentPages();
        }
        return n;
    }

    /** Models uvm_map_lookup_entry() in sys/uvm/uvm_map.c: the entry containing {@code va}, or null. */
    MapEntry lookup(long va)
    {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MapEntry entry = entries.get(mid);
            if (Long.compareUnsigned(va, entry.start()) < 0) {
                hi = mid - 1;
            }
            else if (Long.compareUnsigned(va, entry.end) >= 0) {
                lo = mid + 1;
            }
            else {
                return entry;
            }
        }
        return null;
    }

    /** Adds an entry in address order (uvm_map_entry_link). */
    void link(MapEntry entry)
    {
        int i = entries.size();
        while (i > 0 && Long.compareUnsigned(entries.get(i - 1).start(), entry.start()) > 0) {
            i--;
        }
        entries.add(i, entry);
        if (entry.region() == Region.HEAP) {
            heap = entry;
        }
    }

    @Override
    public void claimFrames(FrameClaims claims)
    {
        if (freed) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            for (Anon anon : entries.get(i).amap.slots) {
                if (anon != null) {
                    claims.claim(anon.pfn, FrameUse.USER);
                }
            }
        }
        if (!pmap.isDestroyed()) {
            claims.claimPageTablePages(pmap.pageTablePages());
        }
    }

    @Override
    public String toString()
    {
        return "vmspace" + id;
    }
}
