package dev.fugu.arch.i386;

import dev.fugu.kernel.boot.MachineConfig;
import dev.fugu.kernel.contract.KernelContract;

import java.util.Map;

/** The MI kernel's contract run on i386 with --arch-opt nopae. */
class I386NopaeKernelContractTest
        extends KernelContract
{
    @Override
    protected String archName()
    {
        return I386Plugin.NAME;
    }

    @Override
    protected MachineConfig machine(int ncpu, String... injects)
    {
        return super.machine(ncpu, injects).withArchOptions(Map.of(I386Plugin.NOPAE, ""));
    }
}
