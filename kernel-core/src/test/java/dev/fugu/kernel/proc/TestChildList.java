package dev.fugu.kernel.proc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestChildList
{
    private static List<KProcess> processes(int n)
    {
        List<KProcess> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new KProcess(100 + i, i, "p" + i));
        }
        return list;
    }

    private static List<KProcess> iterated(ChildList children)
    {
        List<KProcess> list = new ArrayList<>();
        children.forEach(list::add);
        return list;
    }

    /** The array list it replaced, add(0, child) and remove(child), is the reference. */
    @Test
    void keepsTheOrderOfAnArrayListWithInsertsAtTheHead()
    {
        SplittableRandom random = new SplittableRandom(5);
        List<KProcess> all = processes(40);
        ChildList children = new ChildList();
        List<KProcess> reference = new ArrayList<>();
        for (int step = 0; step < 5_000; step++) {
            KProcess p = all.get(random.nextInt(all.size()));
            if (random.nextBoolean()) {
                if (!reference.contains(p)) {
                    reference.add(0, p);
                    children.addFirst(p);
                }
            }
            else {
                assertThat(children.remove(p)).isEqualTo(reference.remove(p));
            }
            assertThat(children.size()).isEqualTo(reference.size());
            assertThat(children.isEmpty()).isEqualTo(reference.isEmpty());
            assertThat(children.contains(p)).isEqualTo(reference.contains(p));
        }
        assertThat(reference).isNotEmpty();
        assertThat(iterated(children)).containsExactlyElementsOf(reference);
        assertThat(children.toList()).containsExactlyElementsOf(reference);
    }

    @Test
    void aProcessIsOnOneChildrenListAtATime()
    {
        KProcess child = processes(1).get(0);
        ChildList first = new ChildList();
        ChildList second = new ChildList();
        first.addFirst(child);
        assertThatThrownBy(() -> second.addFirst(child)).isInstanceOf(IllegalStateException.class);
        assertThat(second.remove(child)).isFalse();
        assertThat(first.contains(child)).isTrue();
        assertThat(first.remove(child)).isTrue();
        second.addFirst(child);
        assertThat(iterated(first)).isEmpty();
        assertThat(iterated(second)).containsExactly(child);
    }

    @Test
    void theLoopBodyMayRemoveTheChildItWasGiven()
    {
        List<KProcess> all = processes(6);
        ChildList children = new ChildList();
        all.forEach(children::addFirst);
        List<KProcess> seen = new ArrayList<>();
        for (KProcess p : children) {
            seen.add(p);
            if (p.pid() % 2 == 0) {
                children.remove(p);
            }
        }
        List<KProcess> newestFirst = new ArrayList<>(all);
        Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(iterated(children)).extracting(KProcess::pid).containsExactly(105, 103, 101);
        Iterator<KProcess> it = new ChildList().iterator();
        assertThat(it.hasNext()).isFalse();
    }
}
