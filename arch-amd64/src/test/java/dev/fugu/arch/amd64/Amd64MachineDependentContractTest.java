package dev.fugu.arch.amd64;

import dev.fugu.kernel.md.contract.MachineDependentContract;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

@ExtendWith(ContractDeviation.class)
public class Amd64MachineDependentContractTest
        extends MachineDependentContract
{
    @Override
    protected String archName()
    {
        return "amd64";
    }

    @Override
    protected Map<String, String> archOptions()
    {
        return Map.of();
    }
}
