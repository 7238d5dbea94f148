package dev.tangle.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadMergeTest {
    /** Gives every event of every thread in time order, ties to the lower thread index, as the replay needs. */
    @Test
    void mergesThreadsByTimeThenIndex() {
        Random random = new Random(42);
        int threads = 37;
        long[][] times = new long[threads][];
        List<long[]> expected = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            times[t] = new long[random.nextInt(50)];
            long time = random.nextInt(5);
            for (int i = 0; i < times[t].length; i++) {
                time += random.nextInt(3); // repeats: ties within and across threads
                times[t][i] = time;
                expected.add(new long[] {time, t});
            }
        }
        expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));

        ThreadMerge merge = new ThreadMerge(threads);
        int[] next = new int[threads];
        for (int t = 0; t < threads; t++) {
            if (times[t].length > 0) {
                merge.add(t, times[t][0]);
            }
        }
        List<long[]> merged = new ArrayList<>();
        while (!merge.isEmpty()) {
            int t = merge.top();
            long othersFirst = Long.MAX_VALUE;
            for (int o = 0; o < threads; o++) {
                if (o != t && next[o] < times[o].length) {
                    othersFirst = Math.min(othersFirst, times[o][next[o]]);
                }
            }
            assertThat(merge.nextTimeOfOthers()).isEqualTo(othersFirst);
            merged.add(new long[] {times[t][next[t]], t});
            next[t]++;
            if (next[t] < times[t].length) {
                merge.replaceTop(times[t][next[t]]);
            } else {
                merge.removeTop();
            }
        }
        assertThat(merged).containsExactlyElementsOf(expected);
    }
}
