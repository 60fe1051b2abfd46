package dev.fugu.kernel.uvm;

import dev.fugu.kernel.uvm.RangeTree.Range;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class TestRangeTree
{
    @Test
    void randomInsertsAndRemovesKeepTheInvariantsAndTheOrder()
    {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            RangeTree tree = new RangeTree(false);
            TreeMap<Long, Range> model = new TreeMap<>();
            for (int step = 0; step < 3000; step++) {
                if (model.isEmpty() || random.nextInt(5) < 3) {
                    Range range = new Range();
                    range.length = 2 + random.nextInt(50);
                    range.start = random.nextInt(1_000_000);
                    long key = range.length * 10_000_000L + range.start;
                    if (model.containsKey(key)) {
                        continue;
                    }
                    tree.insert(range.sizeNode);
                    model.put(key, range);
                }
                else {
                    List<Long> keys = new ArrayList<>(model.keySet());
                    Range range = model.remove(keys.get(random.nextInt(keys.size())));
                    tree.remove(range.sizeNode);
                    assertThat(range.sizeNode.linked).isFalse();
                }
                if (step % 50 == 0) {
                    List<String> problems = new ArrayList<>();
                    tree.validate("size", problems);
                    assertThat(problems).as("seed %s step %s", seed, step).isEmpty();
                    List<Range> inOrder = new ArrayList<>();
                    for (Range r = tree.first(); r != null; r = tree.next(r.sizeNode)) {
                        inOrder.add(r);
                    }
                    assertThat(inOrder).containsExactlyElementsOf(model.values());
                    List<Range> reversed = new ArrayList<>();
                    for (Range r = tree.last(); r != null; r = tree.prev(r.sizeNode)) {
                        reversed.add(0, r);
                    }
                    assertThat(reversed).containsExactlyElementsOf(model.values());
                }
            }
            assertThat(tree.size()).isEqualTo(model.size());
            assertThat(tree.rotations).isPositive();
        }
    }

    @Test
    void nfindFindsTheFirstRangeNotBeforeTheProbe()
    {
        RangeTree tree = new RangeTree(true);
        for (long start : new long[] {10, 20, 30, 40}) {
            Range range = new Range();
            range.start = start;
            range.length = 1;
            tree.insert(range.addrNode);
        }
        Range probe = new Range();
        probe.start = 25;
        assertThat(tree.nfind(probe).start).isEqualTo(30);
        probe.start = 40;
        assertThat(tree.nfind(probe).start).isEqualTo(40);
        probe.start = 41;
        assertThat(tree.nfind(probe)).isNull();
        assertThat(tree.prev(tree.nfind(probe(5)).addrNode)).isNull();
        assertThat(tree.comparisons).isPositive();
    }

    private static Range probe(long start)
    {
        Range range = new Range();
        range.start = start;
        return range;
    }
}
