package dev.fugu.kernel.md;

/**
 * Where a plug-in reports what its operations cost and did. Implemented by the MI kernel; every
 * call is cheap and allocation-free on the kernel side.
 */
public interface MdSink
{
    /** Charges {@code cycles} of kernel work to {@code cpu}. */
    void charge(int cpu, long cycles);

    /** {@code cpu} dropped every non-global entry of the current context (a full flush). */
    void tlbFlush(int cpu);

    /** {@code cpu} invalidated {@code pages} single-page entries (invlpg, tlbi vae1). */
    void tlbInvalidate(int cpu, long pages);

    /** {@code fromCpu} sent a TLB shootdown IPI to {@code toCpu}. */
    void shootdownIpi(int fromCpu, int toCpu);

    /**
     * An invariant was broken. {@code invariant} is a short stable name
     * ({@code stale-tlb}, {@code ci-proc-pmap}, {@code destroyed-pmap}); the kernel panics.
     */
    void violation(String invariant, int cpu, String detail);
}
