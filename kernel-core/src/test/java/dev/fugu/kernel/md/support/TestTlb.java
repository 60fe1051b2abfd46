package dev.fugu.kernel.md.support;

import dev.fugu.kernel.md.Pmap;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLB against a plain model: an array of entries scanned in full, with the same round-robin
 * replacement. Random operations over few tags and pages, so that entries collide, are replaced
 * and are shadowed by global ones.
 */
class TestTlb
{
    private static final int CAPACITY = 8;

    @Test
    void behavesLikeAScannedArrayOfEntries()
    {
        Pmap[] pmaps = {pmap(), pmap(), pmap()};
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Tlb tlb = new Tlb(CAPACITY);
            Model model = new Model();
            for (int op = 0; op < 5_000; op++) {
                int tag = random.nextInt(3);
                long vpn = random.nextInt(12);
                String what = "seed " + seed + " op " + op;
                switch (random.nextInt(10)) {
                    case 0, 1, 2, 3 -> {
                        int perms = random.nextInt(8) == 0 ? Tlb.GLOBAL | Tlb.WRITABLE : Tlb.USER;
                        long pa = random.nextLong(1 << 20) << 12;
                        Pmap owner = pmaps[random.nextInt(pmaps.length)];
                        assertThat(tlb.insert(tag, vpn, pa, perms, owner)).as(what).isEqualTo(model.insert(tag, vpn, pa, perms, owner));
                    }
                    case 4 -> assertThat(tlb.invalidate(tag, vpn)).as(what).isEqualTo(model.invalidate(tag, vpn));
                    case 5 -> assertThat(tlb.invalidateAllTags(vpn)).as(what).isEqualTo(model.invalidateAllTags(vpn));
                    case 6 -> assertThat(tlb.flushTag(tag)).as(what).isEqualTo(model.flushTag(tag));
                    case 7 -> {
                        int kind = random.nextInt(6);
                        if (kind == 0) {
                            assertThat(tlb.flushAll()).as(what).isEqualTo(model.flushAll());
                        }
                        else if (kind == 1) {
                            assertThat(tlb.flushNonGlobal()).as(what).isEqualTo(model.flushNonGlobal());
                        }
                        else {
                            Pmap owner = pmaps[random.nextInt(pmaps.length)];
                            assertThat(tlb.flushOwner(owner)).as(what).isEqualTo(model.flushOwner(owner));
                        }
                    }
                    default -> {
                    }
                }
                // Every lookup agrees after every operation.
                for (int t = 0; t < 3; t++) {
                    for (long v = 0; v < 12; v++) {
                        int entry = tlb.lookup(t, v);
                        assertThat(entry).as("%s lookup(%d, %d)", what, t, v).isEqualTo(model.lookup(t, v));
                        if (entry >= 0) {
                            assertThat(tlb.pa(entry)).isEqualTo(model.pa[entry]);
                            assertThat(tlb.perms(entry)).isEqualTo(model.perms[entry]);
                            assertThat(tlb.owner(entry)).isSameAs(model.owners[entry]);
                        }
                    }
                }
                assertThat(tlb.size()).as(what).isEqualTo(model.size());
            }
        }
    }

    private static Pmap pmap()
    {
        return (Pmap) Proxy.newProxyInstance(Pmap.class.getClassLoader(), new Class<?>[] {Pmap.class}, (proxy, method, args) -> {
            if (method.getName().equals("equals")) {
                return proxy == args[0];
            }
            if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    /** Entries in an array, found by scanning; global ones match under any tag. */
    private static final class Model
    {
        final boolean[] valid = new boolean[CAPACITY];
        final boolean[] global = new boolean[CAPACITY];
        final int[] tags = new int[CAPACITY];
        final long[] vpns = new long[CAPACITY];
        final long[] pa = new long[CAPACITY];
        final int[] perms = new int[CAPACITY];
        final Pmap[] owners = new Pmap[CAPACITY];
        int next;

        int lookup(int tag, long vpn)
        {
            for (int e = 0; e < CAPACITY; e++) {
                if (valid[e] && !global[e] && tags[e] == tag && vpns[e] == vpn) {
                    return e;
                }
            }
            return findGlobal(vpn);
        }

        int findGlobal(long vpn)
        {
            for (int e = 0; e < CAPACITY; e++) {
                if (valid[e] && global[e] && vpns[e] == vpn) {
                    return e;
                }
            }
            return -1;
        }

        int insert(int tag, long vpn, long entryPa, int entryPerms, Pmap owner)
        {
            boolean isGlobal = (entryPerms & Tlb.GLOBAL) != 0;
            for (int e = 0; e < CAPACITY; e++) {
                if (valid[e] && global[e] == isGlobal && vpns[e] == vpn && (isGlobal || tags[e] == tag)) {
                    valid[e] = false;
                }
            }
            int victim = next;
            next = (next + 1) % CAPACITY;
            valid[victim] = true;
            global[victim] = isGlobal;
            tags[victim] = tag;
            vpns[victim] = vpn;
            pa[victim] = entryPa;
            perms[victim] = entryPerms;
            owners[victim] = owner;
            return victim;
        }

        boolean invalidate(int tag, long vpn)
        {
            boolean dropped = false;
            for (int e = 0; e < CAPACITY; e++) {
                if (valid[e] && vpns[e] == vpn && (global[e] || tags[e] == tag)) {
                    valid[e] = false;
                    dropped = true;
                }
            }
            return dropped;
        }

        int invalidateAllTags(long vpn)
        {
            int n = 0;
            for (int e = 0; e < CAPACITY; e++) {
                if (valid[e] && vpns[e] == vpn) {
                    valid[e] = false;
                    n++;
                }
            }
            return n;
        }

        int flushTag(int tag)
        {
            int n = 0;
            for (int e = 0; e < CAPACITY; e++) {
                if (valid[e] && !global[e] && tags[e] == tag) {
                    valid[e] = false;
                    n++;
                }
            }
            return n;
        }

        int flushNonGlobal()
        {
            int n = 0;
            for (int e = 0; e < CAPACITY; e++) {
                if (valid[e] && !global[e]) {
                    valid[e] = false;
                    n++;
                }
            }
            return n;
        }

        int flushAll()
        {
            int n = size();
            java.util.Arrays.fill(valid, false);
            return n;
        }

        int flushOwner(Pmap owner)
        {
            int n = 0;
            for (int e = 0; e < CAPACITY; e++) {
                if (valid[e] && owners[e] == owner) {
                    valid[e] = false;
                    n++;
                }
            }
            return n;
        }

        int size()
        {
            int n = 0;
            for (boolean v : valid) {
                n += v ? 1 : 0;
            }
            return n;
        }
    }
}
