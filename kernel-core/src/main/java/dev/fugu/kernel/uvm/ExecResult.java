package dev.fugu.kernel.uvm;

import static java.util.Objects.requireNonNull;

/**
 * What {@link Uvm#uvmspaceExec} did.
 *
 * @param vmspace the new vmspace, now the process's (even if populating it ran out of memory)
 * @param oldTeardown the old vmspace's teardown, counted as {@code exec.*}
 * @param populate {@link FaultResult#OK}, or {@link FaultResult#OOM} if text or stack could not be faulted in
 */
public record ExecResult(Vmspace vmspace, TeardownLedger oldTeardown, FaultResult populate)
{
    public ExecResult
    {
        requireNonNull(vmspace, "vmspace is null");
        requireNonNull(oldTeardown, "oldTeardown is null");
        requireNonNull(populate, "populate is null");
    }
}
