package dev.fugu.kernel.uvm;

import dev.fugu.kernel.sim.CpuClocks;
import dev.fugu.kernel.stats.MachineStats;

/** A fake-MD machine for UVM unit tests: clocks, stats, the allocator, the fake MD and UVM. */
final class FakeMachine
{
    final CpuClocks clocks;
    final MachineStats stats;
    final PhysMem physmem;
    final FakeMd md;
    final Uvm uvm;

    private FakeMachine(int ncpu, long frames, PmrFreeMode mode, boolean pmapPurge)
    {
        this.clocks = new CpuClocks(ncpu);
        this.stats = new MachineStats(clocks);
        this.physmem = new PhysMem(4096, frames, stats, clocks, UvmCosts.defaults(), mode);
        this.md = new FakeMd(ncpu, physmem, stats, pmapPurge);
        this.uvm = new Uvm(md, physmem, stats, clocks);
    }

    static FakeMachine create(int ncpu, long frames, PmrFreeMode mode, boolean pmapPurge)
    {
        return new FakeMachine(ncpu, frames, mode, pmapPurge);
    }

    static FakeMachine create(long frames)
    {
        return create(2, frames, PmrFreeMode.SINGLE, false);
    }
}
