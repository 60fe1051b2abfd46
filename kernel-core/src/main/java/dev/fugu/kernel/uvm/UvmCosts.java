package dev.fugu.kernel.uvm;

import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.CostTable;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The machine-independent costs of UVM (sys/uvm) and of the physical page allocator
 * (uvm_pmemrange), in cycles. The table is read once into fields; hot paths never look keys up.
 *
 * <p>Data-structure costs are per unit of work really done: {@code pmr.compare} per key comparison
 * made in the free-range trees, {@code pmr.rotation} per rebalancing rotation made, and so
 * on. Fixed costs are for straight-line code. The numbers are reasoned estimates for a ~3 GHz
 * out-of-order core with 4 KiB pages, said as such in each row's source.
 */
public final class UvmCosts
{
    private static final List<CostEntry> DEFAULTS = List.of(
            new CostEntry("uvm.fault", 1200, "trap entry/exit plus uvm_fault() set-up (uvm_fault_check: map lock, lookup bookkeeping)",
                    "estimate: a minor anonymous fault costs ~0.5-1 us on current x86 (lmbench lat_pagefault order); the page zero/copy is charged apart"),
            new CostEntry("uvm.map_lookup", 60, "uvm_map_lookup_entry() on a small map (RB tree of entries, a few levels)",
                    "estimate: 2-4 node visits, each a compare and a likely-cached pointer chase"),
            new CostEntry("uvm.page_zero", 700, "pmap_zero_page() of one 4 KiB page",
                    "estimate: 4 KiB of stores at ~8-16 B/cycle when the line is not cached, plus the page's kernel mapping"),
            new CostEntry("uvm.page_copy", 1100, "pmap_copy_page() of one 4 KiB page (copy-on-write)",
                    "estimate: read + write 4 KiB, roughly 1.5x a zero"),
            new CostEntry("uvm.anon_alloc", 90, "uvm_analloc(): pool_get of a vm_anon and its initialisation",
                    "estimate: pool_get fast path (per-CPU cache) ~50 cycles plus field set-up"),
            new CostEntry("uvm.anon_free", 70, "uvm_anfree()/uvm_anon_release(): drop the anon, pool_put",
                    "estimate: pool_put fast path plus the an_ref/an_page checks"),
            new CostEntry("uvm.amap_alloc", 160, "amap_alloc(): the amap and its slot arrays",
                    "estimate: two pool/malloc allocations"),
            new CostEntry("uvm.amap_free", 120, "amap_free()/amap_wipeout() fixed part",
                    "estimate: two frees and the amap lock"),
            new CostEntry("uvm.amap_slot", 12, "one amap slot copied (amap_copy), scanned at wipe-out, or added when the amap grows",
                    "estimate: load/store of the anon pointer plus an_ref++ or the emptiness test"),
            new CostEntry("uvm.map_entry_alloc", 150, "uvm_mapent_alloc() + RB insert of a map entry (exec, fork's uvm_mapent_clone, heap creation)",
                    "estimate: pool_get plus a small-tree insert"),
            new CostEntry("uvm.map_entry_free", 90, "one map entry killed in uvm_map_teardown()'s walk and freed by uvm_unmap_detach()",
                    "estimate: the walk's queue handling plus pool_put"),
            new CostEntry("uvm.heap_grow", 40, "extending the heap entry's end by one page run (the sbrk/mmap bookkeeping of 'touch')",
                    "estimate: an entry field update and the amap resize check"),
            new CostEntry("uvm.vmspace_alloc", 600, "uvmspace_alloc(): vmspace, vm_map set-up, address selectors",
                    "estimate: pool_get, uvm_map_setup and uaddr set-up"),
            new CostEntry("uvm.vmspace_free", 300, "uvmspace_free() fixed part: refcount drop, uvm_map_teardown set-up (locks, uaddr destroy), pool_put",
                    "estimate"),
            new CostEntry("uvm.uarea", 400, "uvm_uarea_alloc()/uvm_uarea_free() fixed part: km_alloc/km_free of USPACE of kernel VA",
                    "estimate: kernel VA allocation and the kernel pmap_enter/remove of the u-area"),
            new CostEntry("pmr.compare", 15, "one key comparison in a uvm_pmemrange free-range tree (RBT compare callback + node visit)",
                    "estimate: an indirect call and a compare on a vm_page that is often not in L1 during a teardown"),
            new CostEntry("pmr.rotation", 25, "one red-black rotation in a free-range tree",
                    "estimate: ~6 pointer updates; every rotation the trees make is counted"),
            new CostEntry("pmr.insert", 35, "RBT_INSERT link and recolour of a free range, beyond its comparisons and rotations",
                    "estimate"),
            new CostEntry("pmr.remove", 45, "RBT_REMOVE of a free range, beyond its comparisons and rotations",
                    "estimate: successor search and relinking"),
            new CostEntry("pmr.list_op", 8, "TAILQ insert/remove on a single[] list of one-page ranges",
                    "estimate: four pointer stores"),
            new CostEntry("pmr.page", 25, "per-page bookkeeping of uvm_pagefree()/uvm_pmr_getpages(): flags, PQ_FREE, uvmexp counters",
                    "estimate"),
            new CostEntry("pmr.sort_compare", 4, "one comparison sorting a teardown's pages before a batch free (cache-hot local array)",
                    "estimate"),
            new CostEntry("pmr.cache", 60, "uvm_pmr_cache_get()/uvm_pmr_cache_put() on the per-CPU cache: splvm/splx, the magazine slot, atomic updates of uvmexp.percpucaches and pcphit",
                    "estimate: two locked read-modify-writes on global uvmexp counters (~20 cycles each, more when their line moves) plus the spl pair"),
            new CostEntry("pmr.mutex_enter", 40, "mtx_enter(&uvm.fpageqlock) uncontended: an atomic compare-and-swap",
                    "estimate: a locked cmpxchg on a line that moves between CPUs"),
            new CostEntry("pmr.mutex_leave", 20, "mtx_leave(&uvm.fpageqlock): a release store and bookkeeping",
                    "estimate"));

    private final CostTable table;
    final long fault;
    final long mapLookup;
    final long pageZero;
    final long pageCopy;
    final long anonAlloc;
    final long anonFree;
    final long amapAlloc;
    final long amapFree;
    final long amapSlot;
    final long mapEntryAlloc;
    final long mapEntryFree;
    final long heapGrow;
    final long vmspaceAlloc;
    final long vmspaceFree;
    final long uarea;
    final long pmrCompare;
    final long pmrRotation;
    final long pmrInsert;
    final long pmrRemove;
    final long pmrListOp;
    final long pmrPage;
    final long pmrSortCompare;
    final long pmrCache;
    final long mutexEnter;
    final long mutexLeave;

    private UvmCosts(CostTable table)
    {
        this.table = requireNonNull(table, "table is null");
        this.fault = table.cycles("uvm.fault");
        this.mapLookup = table.cycles("uvm.map_lookup");
        this.pageZero = table.cycles("uvm.page_zero");
        this.pageCopy = table.cycles("uvm.page_copy");
        this.anonAlloc = table.cycles("uvm.anon_alloc");
        this.anonFree = table.cycles("uvm.anon_free");
        this.amapAlloc = table.cycles("uvm.amap_alloc");
        this.amapFree = table.cycles("uvm.amap_free");
        this.amapSlot = table.cycles("uvm.amap_slot");
        this.mapEntryAlloc = table.cycles("uvm.map_entry_alloc");
        this.mapEntryFree = table.cycles("uvm.map_entry_free");
        this.heapGrow = table.cycles("uvm.heap_grow");
        this.vmspaceAlloc = table.cycles("uvm.vmspace_alloc");
        this.vmspaceFree = table.cycles("uvm.vmspace_free");
        this.uarea = table.cycles("uvm.uarea");
        this.pmrCompare = table.cycles("pmr.compare");
        this.pmrRotation = table.cycles("pmr.rotation");
        this.pmrInsert = table.cycles("pmr.insert");
        this.pmrRemove = table.cycles("pmr.remove");
        this.pmrListOp = table.cycles("pmr.list_op");
        this.pmrPage = table.cycles("pmr.page");
        this.pmrSortCompare = table.cycles("pmr.sort_compare");
        this.pmrCache = table.cycles("pmr.cache");
        this.mutexEnter = table.cycles("pmr.mutex_enter");
        this.mutexLeave = table.cycles("pmr.mutex_leave");
    }

    /** The default {@code uvm.*} and {@code pmr.*} rows. */
    public static CostTable defaultTable()
    {
        return CostTable.of(DEFAULTS);
    }

    public static UvmCosts defaults()
    {
        return new UvmCosts(defaultTable());
    }

    /** Reads the {@code uvm.*} and {@code pmr.*} rows of {@code table} (which may hold other rows too). */
    public static UvmCosts from(CostTable table)
    {
        return new UvmCosts(table);
    }

    /**
     * The defaults with the {@code uvm.*} and {@code pmr.*} entries of {@code overrides} (the
     * {@code --cost} values) applied; other keys are left to their own tables. An unknown
     * {@code uvm.}/{@code pmr.} key is rejected.
     */
    public static UvmCosts fromOverrides(Map<String, Long> overrides)
    {
        Map<String, Long> ours = new TreeMap<>();
        overrides.forEach((key, value) -> {
            if (isUvmKey(key)) {
                ours.put(key, value);
            }
        });
        return new UvmCosts(defaultTable().withOverrides(ours));
    }

    /** True for the keys this table owns. */
    public static boolean isUvmKey(String key)
    {
        return key.startsWith("uvm.") || key.startsWith("pmr.");
    }

    /** The table these costs were read from. */
    public CostTable table()
    {
        return table;
    }
}
