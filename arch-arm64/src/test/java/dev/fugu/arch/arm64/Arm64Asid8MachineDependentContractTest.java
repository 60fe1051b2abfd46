package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.contract.MachineDependentContract;

import java.util.Map;

class Arm64Asid8MachineDependentContractTest
        extends MachineDependentContract
{
    @Override
    protected String archName()
    {
        return "arm64";
    }

    @Override
    protected Map<String, String> archOptions()
    {
        return Map.of("asid8", "");
    }
}
