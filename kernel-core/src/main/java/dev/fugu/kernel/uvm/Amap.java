package dev.fugu.kernel.uvm;

import java.util.Arrays;

/**
 * An anonymous map: one map entry's slots of anons, with a reference count for map entries
 * sharing it. Models {@code struct vm_amap} (sys/uvm/uvm_amap.c), one slot per page of the entry.
 */
final class Amap
{
    int refs = 1;
    Anon[] slots;

    Amap(int slots)
    {
        this.slots = new Anon[Math.max(slots, 4)];
    }

    /** Makes room for {@code count} slots (amap_extend() when the heap grows). */
    void ensure(int count)
    {
        if (count > slots.length) {
            slots = Arrays.copyOf(slots, Math.max(count, slots.length * 2));
        }
    }
}
