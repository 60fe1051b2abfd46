package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.contract.MachineDependentContract;

class Arm64MachineDependentContractTest
        extends MachineDependentContract
{
    @Override
    protected String archName()
    {
        return "arm64";
    }
}
