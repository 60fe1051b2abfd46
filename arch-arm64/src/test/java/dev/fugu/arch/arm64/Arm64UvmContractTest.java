package dev.fugu.arch.arm64;

import dev.fugu.kernel.uvm.UvmContract;

class Arm64UvmContractTest
        extends UvmContract
{
    @Override
    protected String archName()
    {
        return "arm64";
    }
}
