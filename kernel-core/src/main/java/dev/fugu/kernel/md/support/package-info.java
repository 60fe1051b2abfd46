/**
 * Building blocks that several architecture plug-ins share (as sys/arch/x86 or sys/uvm's pmap
 * helpers are shared in OpenBSD): a tagged TLB model. Plug-ins may use this package and
 * {@code dev.fugu.kernel.md}, nothing else of kernel-core.
 */
package dev.fugu.kernel.md.support;
