package dev.fugu.kernel.uvm;

/**
 * The shape exec gives a new process: pages of text and of stack, faulted in at exec.
 *
 * @param textPages pages of program text (read/execute)
 * @param stackPages pages of user stack below USRSTACK (read/write)
 */
public record ExecImage(int textPages, int stackPages)
{
    public ExecImage
    {
        if (textPages < 1 || stackPages < 1) {
            throw new IllegalArgumentException("an image needs at least one text and one stack page");
        }
    }
}
