package dev.fugu.kernel.uvm;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;

/** The contract on the fake MD, built as a real {@link Machine} (no pmap_purge). */
public class TestUvmContractOnFakeMd
        extends UvmContract
{
    @Override
    protected String archName()
    {
        return "fake";
    }

    @Override
    protected Machine buildMachine(int ncpu, long memBytes)
    {
        return Machine.build(new FakeArchPlugin(false), MachineConfig.of(archName(), ncpu, memBytes));
    }
}
