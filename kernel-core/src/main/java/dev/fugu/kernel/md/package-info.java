/**
 * The machine-dependent SPI: what an architecture plug-in (sys/arch/&lt;arch&gt; in OpenBSD)
 * provides to the machine-independent kernel (sys/kern, sys/uvm).
 *
 * <p>This package holds only interfaces and value types. Plug-ins depend on it and on nothing
 * else of kernel-core. The MI kernel calls a plug-in through {@link dev.fugu.kernel.md.MachineDependent}
 * and {@link dev.fugu.kernel.md.Pmap}; the plug-in calls back through
 * {@link dev.fugu.kernel.md.MachineContext}: physical frames, cycle charging, counters and
 * invariant violations.
 *
 * <p>Every operation names the CPU that executes it ({@code cpu}, 0-based): costs are charged to
 * that CPU's clock, and shootdowns start from it.
 */
package dev.fugu.kernel.md;
