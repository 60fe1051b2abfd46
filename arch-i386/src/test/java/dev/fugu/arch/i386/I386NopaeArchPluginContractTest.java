package dev.fugu.arch.i386;

import dev.fugu.kernel.md.contract.ArchPluginContract;

import java.util.Map;

/** The shared ArchPlugin contract for i386 with --arch-opt nopae. */
class I386NopaeArchPluginContractTest
        extends ArchPluginContract
{
    @Override
    protected String archName()
    {
        return I386Plugin.NAME;
    }

    @Override
    protected Map<String, String> archOptions()
    {
        return Map.of(I386Plugin.NOPAE, "");
    }
}
