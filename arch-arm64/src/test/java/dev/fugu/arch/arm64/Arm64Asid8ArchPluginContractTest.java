package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.contract.ArchPluginContract;

import java.util.Map;

class Arm64Asid8ArchPluginContractTest
        extends ArchPluginContract
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
