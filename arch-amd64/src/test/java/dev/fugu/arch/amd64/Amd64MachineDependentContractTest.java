package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.contract.MachineDependentContract;

import java.util.Map;

public class Amd64MachineDependentContractTest
        extends MachineDependentContract
{
    @Override
    protected String archName()
    {
        return "amd64";
    }

    @Override
    protected Map<String, String> archOptions()
    {
        return Map.of();
    }
}
