package dev.fugu.arch.arm64;

import dev.fugu.kernel.boot.Machine;
import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.testing.TestMachines;
import dev.fugu.kernel.uvm.UvmContract;

import java.util.Map;

class Arm64Asid8UvmContractTest
        extends UvmContract
{
    @Override
    protected String archName()
    {
        return "arm64";
    }

    @Override
    protected Machine buildMachine(int ncpu, long memBytes)
    {
        return TestMachines.build(MachineConfig.of("arm64", ncpu, memBytes).withArchOptions(Map.of("asid8", "")));
    }
}
