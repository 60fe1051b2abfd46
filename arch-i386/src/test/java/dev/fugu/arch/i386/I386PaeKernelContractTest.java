package dev.fugu.arch.i386;

import dev.fugu.kernel.contract.KernelContract;

/** The MI kernel's contract run on i386 with PAE (the default). */
class I386PaeKernelContractTest
        extends KernelContract
{
    @Override
    protected String archName()
    {
        return I386Plugin.NAME;
    }
}
