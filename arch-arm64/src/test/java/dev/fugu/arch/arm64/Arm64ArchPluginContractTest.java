package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.contract.ArchPluginContract;

class Arm64ArchPluginContractTest
        extends ArchPluginContract
{
    @Override
    protected String archName()
    {
        return "arm64";
    }
}
