package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.contract.ArchPluginContract;

import java.util.Map;

public class Amd64NopcidArchPluginContractTest
        extends ArchPluginContract
{
    @Override
    protected String archName()
    {
        return "amd64";
    }

    @Override
    protected Map<String, String> archOptions()
    {
        return Map.of("nopcid", "");
    }
}
