package dev.fugu.arch.i386;

import dev.fugu.kernel.md.contract.ArchPluginContract;

/** The shared ArchPlugin contract for i386 with PAE (the default). */
class I386PaeArchPluginContractTest
        extends ArchPluginContract
{
    @Override
    protected String archName()
    {
        return I386Plugin.NAME;
    }
}
