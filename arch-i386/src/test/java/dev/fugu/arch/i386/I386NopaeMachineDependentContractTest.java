package dev.fugu.arch.i386;

import dev.fugu.kernel.md.contract.MachineDependentContract;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

/** The shared MachineDependent contract for i386 with --arch-opt nopae. */
@ExtendWith(ThirtyTwoBitContractGaps.class)
class I386NopaeMachineDependentContractTest
        extends MachineDependentContract
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
