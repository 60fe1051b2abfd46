package dev.fugu.kernel.uvm;

/**
 * The per-CPU cache of free pages in front of uvm_pmemrange (sys/uvm/uvm_percpu.h, OpenBSD 7.6
 * and later, compiled in when {@code MULTIPROCESSOR && __HAVE_UVM_PERCPU}, as on amd64, arm64 and
 * i386): uvm_pagealloc() takes a page with uvm_pmr_cache_get() and uvm_pagefree() gives it back
 * with uvm_pmr_cache_put(), each CPU keeping two magazines of {@value #MAGAZINE_PAGES} pages, so
 * the global {@code fpageq} mutex is taken once per magazine instead of once per page.
 *
 * @param ncpu CPUs with a cache; 0 turns the cache off (every page through {@code fpageq}, as
 *         before 7.6 or on a kernel without MULTIPROCESSOR)
 * @param constrainedBytes the end of the highest range in the architecture's
 *         {@code uvm_md_constraints[]}: uvm_pmr_init() raises the {@code use} count of the
 *         pmemranges below it, and uvm_pmr_cache_put() hands pages of such ranges straight back
 *         to the allocator ("to not accelerate their exhaustion"); 0 when there are none
 */
public record PmrCache(int ncpu, long constrainedBytes)
{
    /** UVM_PMR_CACHEMAGSZ: pages per magazine. */
    public static final int MAGAZINE_PAGES = 8;

    /** No cache: every allocation and free takes {@code fpageq}. */
    public static final PmrCache NONE = new PmrCache(0, 0);

    public PmrCache
    {
        if (ncpu < 0 || constrainedBytes < 0) {
            throw new IllegalArgumentException("ncpu and constrainedBytes must not be negative");
        }
    }

    public boolean enabled()
    {
        return ncpu > 0;
    }
}
