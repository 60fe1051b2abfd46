package dev.fugu.arch.i386;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.testing.TestMachines;
import dev.fugu.kernel.uvm.UvmContract;

import java.util.Map;

/** UVM's fork/exec/teardown chains on the i386 pmap with --arch-opt nopae. */
class I386NopaeUvmContractTest
        extends UvmContract
{
    @Override
    protected String archName()
    {
        return I386Plugin.NAME;
    }

    @Override
    protected Machine buildMachine(int ncpu, long memBytes)
    {
        return TestMachines.build(MachineConfig.of(archName(), ncpu, memBytes).withArchOptions(Map.of(I386Plugin.NOPAE, "")));
    }
}
