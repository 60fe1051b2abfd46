package dev.fugu.kernel.md;

/**
 * Where user space lies and what a page is, as the MD vmparam.h defines it.
 *
 * @param pageSize PAGE_SIZE
 * @param minUserAddress VM_MIN_ADDRESS
 * @param maxUserAddress VM_MAXUSER_ADDRESS (exclusive)
 * @param textStart where a program's text is mapped
 * @param stackTop USRSTACK: the user stack grows down from here
 * @param uareaPages UPAGES: pages of a thread's kernel stack and PCB (the u-area)
 */
public record VmLayout(int pageSize, long minUserAddress, long maxUserAddress, long textStart, long stackTop,
        int uareaPages)
{
    public VmLayout
    {
        if (Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two");
        }
        if (Long.compareUnsigned(minUserAddress, maxUserAddress) >= 0
                || Long.compareUnsigned(textStart, minUserAddress) < 0
                || Long.compareUnsigned(stackTop, maxUserAddress) > 0
                || Long.compareUnsigned(textStart, stackTop) >= 0) {
            throw new IllegalArgumentException("inconsistent user address layout");
        }
        if (uareaPages < 1) {
            throw new IllegalArgumentException("uareaPages must be positive");
        }
    }
}
