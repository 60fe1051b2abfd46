package dev.fugu.arch.amd64;

import dev.fugu.kernel.contract.KernelContract;

public class Amd64KernelContractTest
        extends KernelContract
{
    @Override
    protected String archName()
    {
        return "amd64";
    }
}
