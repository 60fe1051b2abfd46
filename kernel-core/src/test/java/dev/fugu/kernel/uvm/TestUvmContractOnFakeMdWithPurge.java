package dev.fugu.kernel.uvm;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;

/** The contract on the fake MD with {@code PMAP_PURGE}, as arm64 has it. */
public class TestUvmContractOnFakeMdWithPurge
        extends UvmContract
{
    @Override
    protected String archName()
    {
        return "fake-purge";
    }

    @Override
    protected Machine buildMachine(int ncpu, long memBytes)
    {
        return Machine.build(new FakeArchPlugin(true), MachineConfig.of(archName(), ncpu, memBytes));
    }
}
