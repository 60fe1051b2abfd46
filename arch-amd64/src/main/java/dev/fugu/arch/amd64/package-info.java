/**
 * The amd64 machine-dependent plug-in: sys/arch/amd64's pmap, page tables, TLBs, PCIDs,
 * cpu_switchto() and TLB shootdowns, modelled on OpenBSD's sources. See docs/arch-amd64.md.
 */
package dev.fugu.arch.amd64;
