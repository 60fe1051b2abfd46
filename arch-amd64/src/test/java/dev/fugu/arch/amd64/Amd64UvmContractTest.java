package dev.fugu.arch.amd64;

import dev.fugu.kernel.uvm.UvmContract;

public class Amd64UvmContractTest
        extends UvmContract
{
    @Override
    protected String archName()
    {
        return "amd64";
    }
}
