package dev.fugu.kernel.sim;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSimRandom
{
    @Test
    void drawsWhatSplittableRandomDrawsThroughSplitsAndBoundedCalls()
    {
        for (long seed : new long[] {0, 1, 42, -7, Long.MIN_VALUE}) {
            SimRandom ours = new SimRandom(seed);
            SplittableRandom theirs = new SplittableRandom(seed);
            for (int i = 0; i < 2_000; i++) {
                String what = "seed " + seed + " step " + i;
                switch (i % 9) {
                    case 0 -> assertThat(ours.nextLong()).as(what).isEqualTo(theirs.nextLong());
                    case 1 -> assertThat(ours.nextInt()).as(what).isEqualTo(theirs.nextInt());
                    case 2 -> assertThat(ours.nextInt(99_998)).as(what).isEqualTo(theirs.nextInt(99_998));
                    case 3 -> assertThat(ours.nextInt(64)).as(what).isEqualTo(theirs.nextInt(64));
                    case 4 -> assertThat(ours.nextLong(1_000_003)).as(what).isEqualTo(theirs.nextLong(1_000_003));
                    case 5 -> assertThat(ours.nextLong(-5, 17)).as(what).isEqualTo(theirs.nextLong(-5, 17));
                    case 6 -> assertThat(ours.nextLong(Long.MIN_VALUE + 1, Long.MAX_VALUE)).as(what)
                            .isEqualTo(theirs.nextLong(Long.MIN_VALUE + 1, Long.MAX_VALUE));
                    case 7 -> assertThat(ours.nextInt(Integer.MAX_VALUE)).as(what).isEqualTo(theirs.nextInt(Integer.MAX_VALUE));
                    default -> {
                        // Splits go on drawing alike, and so do the parents after them.
                        SimRandom ourChild = ours.split();
                        SplittableRandom theirChild = theirs.split();
                        for (int k = 0; k < 5; k++) {
                            assertThat(ourChild.nextLong(3, 1_000)).as(what).isEqualTo(theirChild.nextLong(3, 1_000));
                        }
                    }
                }
            }
        }
    }

    @Test
    void badBoundsAreRejected()
    {
        SimRandom random = new SimRandom(1);
        assertThatThrownBy(() -> random.nextInt(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> random.nextLong(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> random.nextLong(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
