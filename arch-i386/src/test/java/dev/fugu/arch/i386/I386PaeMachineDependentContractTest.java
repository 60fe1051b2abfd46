package dev.fugu.arch.i386;

import dev.fugu.kernel.md.contract.MachineDependentContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared MachineDependent contract for i386 with PAE (the default). */
@ExtendWith(ThirtyTwoBitContractGaps.class)
class I386PaeMachineDependentContractTest
        extends MachineDependentContract
{
    @Override
    protected String archName()
    {
        return I386Plugin.NAME;
    }
}
