package dev.fugu.arch.i386;

import dev.fugu.kernel.uvm.UvmContract;

/** UVM's fork/exec/teardown chains on the i386 pmap with PAE (the default). */
class I386PaeUvmContractTest
        extends UvmContract
{
    @Override
    protected String archName()
    {
        return I386Plugin.NAME;
    }
}
