package dev.fugu.arch.arm64;

import dev.fugu.kernel.md.Access;
import org.junit.jupiter.api.Test;

import static dev.fugu.kernel.md.Access.PROT_EXEC;
import static dev.fugu.kernel.md.Access.PROT_READ;
import static dev.fugu.kernel.md.Access.PROT_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Accesses through the MMU: faults, and referenced/modified state, which OpenBSD/arm64 keeps in
 * software (AF is always set in valid descriptors; a write to a page entered read-only takes an
 * emulation fault that pmap_fault_fixup() resolves by enabling write and marking it modified).
 */
class Arm64AccessTest
{
    private static final long VA = 0x1000_0000L;

    @Test
    void referencedAtEnterModifiedOnlyAfterTheFirstWrite()
    {
        Arm64Fixture f = new Arm64Fixture(2);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 300, PROT_READ | PROT_WRITE);
        f.run(0, pmap);
        // pmap_enter with an access type sets PG_PMAP_REF; nothing has written the page yet
        assertThat(pmap.isReferenced(VA)).isTrue();
        assertThat(pmap.isModified(VA)).isFalse();

        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(300L * 4096);
        assertThat(pmap.isModified(VA)).isFalse();
        assertThat(f.descriptor(pmap.rootPa(), VA, 3) & Descriptors.AP_RO).isNotZero();

        long before = f.machine.stats().sysCycles(0);
        long invalidationsBefore = f.machine.stats().tlbInvalidations();
        assertThat(f.md.access(0, VA + 4, Access.WRITE | Access.USER)).isEqualTo(300L * 4096 + 4);
        assertThat(pmap.isModified(VA)).isTrue();
        assertThat(f.descriptor(pmap.rootPa(), VA, 3) & Descriptors.AP_RO).isZero();
        // the emulation fault was charged, and its ttlb_flush reached both CPUs
        assertThat(f.machine.stats().sysCycles(0) - before)
                .isGreaterThanOrEqualTo(f.md.costs().cycles("md.arm64.fault_fixup") * 9 / 10);
        assertThat(f.machine.stats().tlbInvalidations() - invalidationsBefore).isEqualTo(2);
        // and the retried write filled a writable entry: the next write is a plain hit
        long hitBefore = f.machine.stats().sysCycles(0);
        assertThat(f.md.access(0, VA + 8, Access.WRITE | Access.USER)).isEqualTo(300L * 4096 + 8);
        assertThat(f.machine.stats().sysCycles(0) - hitBefore).isCloseTo(f.md.costs().cycles("md.tlb.hit"), withinPercentage(6));
    }

    @Test
    void enterWithoutAccessTypeWritesNoDescriptorUntilTheFirstAccess()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        assertThat(pmap.enter(0, VA, 42, PROT_READ | PROT_WRITE, 0)).isTrue();
        assertThat(f.descriptor(pmap.rootPa(), VA, 3)).isZero();
        assertThat(f.md.walk(pmap, VA)).isEqualTo(-1);
        assertThat(pmap.extract(VA)).isEqualTo(42L * 4096);
        assertThat(pmap.isReferenced(VA)).isFalse();

        f.run(0, pmap);
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(42L * 4096);
        assertThat(pmap.isReferenced(VA)).isTrue();
        assertThat(pmap.isModified(VA)).isFalse();
    }

    @Test
    void faults()
    {
        Arm64Fixture f = new Arm64Fixture(1);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 10, PROT_READ);
        pmap.enter(0, VA + 4096, 11, PROT_READ | PROT_EXEC);
        f.run(0, pmap);
        long kernelText = Arm64MachineDependent.KERNEL_MIN;

        assertThat(f.md.access(0, VA + 2 * 4096, Access.READ | Access.USER)).isEqualTo(Access.FAULT_INVALID);
        // write to a page UVM allows only reading: not emulation, a protection fault
        assertThat(f.md.access(0, VA, Access.WRITE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        // UXN: fetch from a user page without PROT_EXEC
        assertThat(f.md.access(0, VA, Access.EXECUTE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(f.md.access(0, VA + 4096, Access.EXECUTE | Access.USER)).isEqualTo(11L * 4096);
        // PXN: the kernel never executes user pages
        assertThat(f.md.access(0, VA + 4096, Access.EXECUTE)).isEqualTo(Access.FAULT_PROTECTION);
        // EL0 access to a kernel page (AP[1] = 0)
        assertThat(f.md.access(0, kernelText, Access.READ | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(f.md.access(0, kernelText, Access.EXECUTE)).isEqualTo(f.md.kernelImageFrames().get(0) * 4096);
        // kernel text is read-only
        assertThat(f.md.access(0, kernelText, Access.WRITE)).isEqualTo(Access.FAULT_PROTECTION);
        // neither half of the 39-bit address space
        assertThat(f.md.access(0, 1L << 40, Access.READ | Access.USER)).isEqualTo(Access.FAULT_INVALID);
        // the kernel may read user pages (no PAN in the model)
        assertThat(f.md.access(0, VA, Access.READ)).isEqualTo(10L * 4096);
    }

    @Test
    void protectDropsWriteAndExecuteAndFlushes()
    {
        Arm64Fixture f = new Arm64Fixture(2);
        Arm64Pmap pmap = f.createPmap();
        pmap.enter(0, VA, 10, PROT_READ | PROT_WRITE | PROT_EXEC);
        f.run(0, pmap);
        assertThat(f.md.access(0, VA, Access.WRITE | Access.USER)).isEqualTo(10L * 4096);
        assertThat(f.md.tlb(0).holds(pmap, VA)).isTrue();

        pmap.protect(0, VA, VA + 4096, PROT_READ);
        assertThat(f.md.tlb(0).holds(pmap, VA)).isFalse();
        assertThat(f.md.access(0, VA, Access.WRITE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(f.md.access(0, VA, Access.EXECUTE | Access.USER)).isEqualTo(Access.FAULT_PROTECTION);
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(10L * 4096);
        // protect to PROT_NONE is pmap_remove
        pmap.protect(0, VA, VA + 4096, Access.PROT_NONE);
        assertThat(pmap.residentCount()).isZero();
        assertThat(f.md.access(0, VA, Access.READ | Access.USER)).isEqualTo(Access.FAULT_INVALID);
    }
}
