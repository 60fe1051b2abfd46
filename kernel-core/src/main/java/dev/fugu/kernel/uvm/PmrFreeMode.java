package dev.fugu.kernel.uvm;

/**
 * How a teardown returns its pages to uvm_pmemrange ({@code --pmr-free}).
 */
public enum PmrFreeMode
{
    /**
     * Page by page, as uvm_pagefree() does: each page takes and releases the fpageq mutex and is
     * inserted into the trees on its own (uvm_pmr_freepages with a count of one).
     */
    SINGLE,
    /**
     * The seed's announced next step, like uvm_pmr_freepageq(): the teardown's pages are sorted,
     * contiguous runs coalesced, and each run inserted once, all under one mutex hold.
     */
    BATCH,
}
