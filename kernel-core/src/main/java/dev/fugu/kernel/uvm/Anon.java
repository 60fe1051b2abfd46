package dev.fugu.kernel.uvm;

/**
 * One page of anonymous memory and its reference count: models {@code struct vm_anon}
 * (sys/uvm/uvm_anon.h). Every amap slot pointing here holds one reference ({@code an_ref}); the
 * last one to go frees the page (uvm_anfree in sys/uvm/uvm_anon.c).
 */
final class Anon
{
    int refs;
    final long pfn;

    Anon(long pfn)
    {
        this.refs = 1;
        this.pfn = pfn;
    }
}
