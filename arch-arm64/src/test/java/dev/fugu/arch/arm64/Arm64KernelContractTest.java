package dev.fugu.arch.arm64;

import dev.fugu.kernel.contract.KernelContract;

class Arm64KernelContractTest
        extends KernelContract
{
    @Override
    protected String archName()
    {
        return "arm64";
    }
}
