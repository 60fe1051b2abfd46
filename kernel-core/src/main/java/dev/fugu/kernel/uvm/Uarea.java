package dev.fugu.kernel.uvm;

/**
 * A thread's u-area: UPAGES frames of kernel stack and PCB, from uvm_uarea_alloc() in
 * sys/uvm/uvm_glue.c (km_alloc of USPACE with kp_zero).
 */
public final class Uarea
        implements FrameOwner
{
    private final long[] pfns;
    boolean freed;

    Uarea(long[] pfns)
    {
        this.pfns = pfns;
    }

    public int pages()
    {
        return pfns.length;
    }

    public long pfn(int i)
    {
        return pfns[i];
    }

    public boolean isFreed()
    {
        return freed;
    }

    long[] frames()
    {
        return pfns;
    }

    @Override
    public void claimFrames(FrameClaims claims)
    {
        if (!freed) {
            for (long pfn : pfns) {
                claims.claim(pfn, FrameUse.KERNEL_STACK);
            }
        }
    }
}
