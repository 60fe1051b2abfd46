package dev.fugu.kernel.uvm;

import dev.fugu.kernel.md.Access;
import dev.fugu.kernel.md.CostEntry;
import dev.fugu.kernel.md.CostTable;
import dev.fugu.kernel.md.MachineDependent;
import dev.fugu.kernel.md.MdCapability;
import dev.fugu.kernel.md.MdSink;
import dev.fugu.kernel.md.Pcb;
import dev.fugu.kernel.md.PhysicalMemory;
import dev.fugu.kernel.md.Pmap;
import dev.fugu.kernel.md.TlbView;
import dev.fugu.kernel.md.VmLayout;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A small but honest machine-dependent half for UVM unit tests: a software pmap keeping PTEs in
 * a map, with one page-table page per 512 pages of address space plus a root table, all real
 * frames from {@link PhysicalMemory}, and an MMU without TLB that faults when a page is
 * unmapped or write-protected.
 */
final class FakeMd
        implements MachineDependent
{
    static final VmLayout LAYOUT = new VmLayout(4096, 0x1000L, 0x7fff_ffff_f000L, 0x40_0000L, 0x7f7f_ffff_0000L, 2);
    private static final long PTES_PER_PTP = 512;

    private final int ncpu;
    private final PhysicalMemory physmem;
    private final MdSink sink;
    private final Set<MdCapability> capabilities;
    private final FakePmap kernel;
    private final FakePmap[] loaded;
    private long nextPmapId = 1;
    long accesses;

    FakeMd(int ncpu, PhysicalMemory physmem, MdSink sink, boolean pmapPurge)
    {
        this.ncpu = ncpu;
        this.physmem = requireNonNull(physmem, "physmem is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.capabilities = pmapPurge ? EnumSet.of(MdCapability.PMAP_PURGE) : EnumSet.noneOf(MdCapability.class);
        this.kernel = new FakePmap(0, true);
        this.loaded = new FakePmap[ncpu];
    }

    @Override
    public String arch()
    {
        return "fake";
    }

    @Override
    public int ncpu()
    {
        return ncpu;
    }

    @Override
    public Set<MdCapability> capabilities()
    {
        return capabilities;
    }

    @Override
    public VmLayout layout()
    {
        return LAYOUT;
    }

    @Override
    public int pagingLevels()
    {
        return 2;
    }

    @Override
    public String pagingMode()
    {
        return "2-level, software";
    }

    @Override
    public int clockMhz()
    {
        return 1000;
    }

    @Override
    public CostTable costs()
    {
        return CostTable.of(List.of(new CostEntry("md.fake_op", 10, "any fake pmap operation", "test")));
    }

    @Override
    public List<String> boot()
    {
        return List.of("real mem = " + physmem.totalFrames() * physmem.pageSize(), "mainbus0 at root", "cpu0 at mainbus0", "paging: 2-level, software");
    }

    @Override
    public Pmap pmapKernel()
    {
        return kernel;
    }

    @Override
    public Pmap pmapCreate(int cpu)
    {
        sink.charge(cpu, 10);
        return new FakePmap(nextPmapId++, false);
    }

    @Override
    public Pcb cpuFork(int cpu, Pcb parent, Pmap pmap, boolean system)
    {
        return new FakePcb((FakePmap) pmap, system);
    }

    @Override
    public void cpuExit(int cpu, Pcb pcb)
    {
        ((FakePcb) pcb).exited = true;
    }

    @Override
    public void cpuSwitchto(int cpu, Pcb old, Pcb next)
    {
        loaded[cpu] = ((FakePcb) next).pmap;
    }

    @Override
    public void pmapActivate(int cpu, Pcb pcb, Pmap pmap, boolean running)
    {
        ((FakePcb) pcb).pmap = (FakePmap) pmap;
        if (running) {
            loaded[cpu] = (FakePmap) pmap;
        }
    }

    @Override
    public void pmapDeactivate(int cpu, Pcb pcb)
    {
    }

    @Override
    public long access(int cpu, long va, int access)
    {
        accesses++;
        sink.charge(cpu, 1);
        FakePmap pmap = loaded[cpu];
        if (pmap == null || pmap.destroyed) {
            return Access.FAULT_INVALID;
        }
        Long pte = pmap.ptes.get(va >>> 12);
        if (pte == null) {
            return Access.FAULT_INVALID;
        }
        int prot = (int) (pte & 0xf);
        if ((access & Access.WRITE) != 0 && (prot & Access.PROT_WRITE) == 0) {
            return Access.FAULT_PROTECTION;
        }
        return ((pte >>> 4) << 12) | (va & 0xfff);
    }

    @Override
    public long walk(Pmap pmap, long va)
    {
        return pmap.extract(va);
    }

    @Override
    public Pmap currentPmap(int cpu)
    {
        return loaded[cpu];
    }

    @Override
    public Pmap loadedPmap(int cpu)
    {
        return loaded[cpu];
    }

    @Override
    public TlbView tlb(int cpu)
    {
        throw new UnsupportedOperationException("the fake MMU has no TLB");
    }

    static final class FakePcb
            implements Pcb
    {
        private FakePmap pmap;
        private final boolean system;
        private boolean exited;

        FakePcb(FakePmap pmap, boolean system)
        {
            this.pmap = pmap;
            this.system = system;
        }

        @Override
        public Pmap pmap()
        {
            return pmap;
        }

        @Override
        public boolean isSystem()
        {
            return system;
        }

        @Override
        public boolean isExited()
        {
            return exited;
        }
    }

    final class FakePmap
            implements Pmap
    {
        private final long id;
        private final boolean isKernel;
        private final long root;
        // vpn -> pfn << 4 | prot
        private final TreeMap<Long, Long> ptes = new TreeMap<>();
        // vpn / 512 -> {ptp pfn, valid entries}
        private final Map<Long, long[]> ptps = new HashMap<>();
        private int refs = 1;
        private boolean destroyed;

        FakePmap(long id, boolean isKernel)
        {
            this.id = id;
            this.isKernel = isKernel;
            this.root = physmem.allocPageTablePage(0);
            if (root == PhysicalMemory.NO_FRAME) {
                throw new IllegalStateException("no frame for a root table");
            }
        }

        @Override
        public long id()
        {
            return id;
        }

        @Override
        public boolean isKernel()
        {
            return isKernel;
        }

        @Override
        public long rootPa()
        {
            return root * physmem.pageSize();
        }

        @Override
        public void reference(int cpu)
        {
            check(cpu);
            refs++;
        }

        @Override
        public boolean destroy(int cpu)
        {
            check(cpu);
            if (--refs > 0) {
                return false;
            }
            for (long[] ptp : ptps.values()) {
                physmem.freePageTablePage(cpu, ptp[0]);
            }
            ptps.clear();
            ptes.clear();
            physmem.freePageTablePage(cpu, root);
            destroyed = true;
            return true;
        }

        @Override
        public int references()
        {
            return refs;
        }

        @Override
        public boolean isDestroyed()
        {
            return destroyed;
        }

        @Override
        public boolean enter(int cpu, long va, long pfn, int prot)
        {
            check(cpu);
            sink.charge(cpu, 10);
            long vpn = va >>> 12;
            long[] ptp = ptps.get(vpn / PTES_PER_PTP);
            if (ptp == null) {
                long frame = physmem.allocPageTablePage(cpu);
                if (frame == PhysicalMemory.NO_FRAME) {
                    return false;
                }
                ptp = new long[] {frame, 0};
                ptps.put(vpn / PTES_PER_PTP, ptp);
            }
            if (ptes.put(vpn, (pfn << 4) | prot) == null) {
                ptp[1]++;
            }
            return true;
        }

        @Override
        public long remove(int cpu, long sva, long eva)
        {
            check(cpu);
            long cleared = 0;
            Iterator<Long> it = ptes.subMap(sva >>> 12, true, (eva - 1) >>> 12, true).keySet().iterator();
            while (it.hasNext()) {
                long vpn = it.next();
                it.remove();
                cleared++;
                long[] ptp = ptps.get(vpn / PTES_PER_PTP);
                if (--ptp[1] == 0) {
                    ptps.remove(vpn / PTES_PER_PTP);
                    physmem.freePageTablePage(cpu, ptp[0]);
                }
            }
            sink.charge(cpu, 10 * (cleared + 1));
            return cleared;
        }

        @Override
        public void protect(int cpu, long sva, long eva, int prot)
        {
            check(cpu);
            for (Map.Entry<Long, Long> e : ptes.subMap(sva >>> 12, true, (eva - 1) >>> 12, true).entrySet()) {
                long pte = e.getValue();
                e.setValue((pte & ~0xfL) | (pte & prot & 0xf));
            }
            sink.charge(cpu, 10);
        }

        @Override
        public long extract(long va)
        {
            Long pte = ptes.get(va >>> 12);
            return pte == null ? -1 : ((pte >>> 4) << 12) | (va & 0xfff);
        }

        @Override
        public long residentCount()
        {
            return ptes.size();
        }

        @Override
        public long pageTablePages()
        {
            return destroyed ? 0 : 1 + ptps.size();
        }

        @Override
        public boolean isReferenced(long va)
        {
            return ptes.containsKey(va >>> 12);
        }

        @Override
        public boolean isModified(long va)
        {
            return ptes.containsKey(va >>> 12);
        }

        @Override
        public long purge(int cpu)
        {
            if (!capabilities.contains(MdCapability.PMAP_PURGE)) {
                return Pmap.super.purge(cpu);
            }
            return remove(cpu, 0, LAYOUT.maxUserAddress());
        }

        private void check(int cpu)
        {
            if (destroyed) {
                sink.violation("destroyed-pmap", cpu, "pmap " + id + " used after pmap_destroy");
            }
        }
    }
}
