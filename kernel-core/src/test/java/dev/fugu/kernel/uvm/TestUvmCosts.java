package dev.fugu.kernel.uvm;

import dev.fugu.kernel.md.CostEntry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestUvmCosts
{
    @Test
    void everyRowIsUvmOrPmrAndExplained()
    {
        assertThat(UvmCosts.defaultTable().entries()).isNotEmpty().allSatisfy(entry -> {
            assertThat(UvmCosts.isUvmKey(entry.key())).isTrue();
            assertThat(entry.description()).isNotBlank();
            assertThat(entry.source()).isNotBlank();
        });
        assertThat(UvmCosts.defaultTable().entries()).extracting(CostEntry::key)
                .contains("uvm.fault", "uvm.page_zero", "uvm.page_copy", "pmr.compare", "pmr.rotation", "pmr.mutex_enter");
    }

    @Test
    void overridesApplyToOurKeysOnly()
    {
        UvmCosts costs = UvmCosts.fromOverrides(Map.of("pmr.compare", 99L, "md.cr3_load", 5L, "kern.fork1", 7L));
        assertThat(costs.pmrCompare).isEqualTo(99);
        assertThat(costs.table().contains("md.cr3_load")).isFalse();
        assertThatThrownBy(() -> UvmCosts.fromOverrides(Map.of("pmr.nonsense", 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pmr.nonsense");
    }

    @Test
    void chargesFollowTheTable()
    {
        FakeMachine m = FakeMachine.create(64);
        long t0 = m.clocks.now(0);
        long compares0 = m.physmem.treeComparisons();
        long rotations0 = m.physmem.treeRotations();
        m.physmem.allocate(0, FrameUse.USER);
        UvmCosts c = UvmCosts.defaults();
        // Taking a page off the end of the one big range: a size-tree remove and re-insert.
        long tree = (m.physmem.treeComparisons() - compares0) * c.pmrCompare + c.pmrRemove + c.pmrInsert
                + (m.physmem.treeRotations() - rotations0) * c.pmrRotation;
        assertThat(m.clocks.now(0) - t0).isEqualTo(c.mutexEnter + c.mutexLeave + c.pmrPage + tree);
    }
}
