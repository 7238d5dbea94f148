package dev.tangle.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MaxEndIndexTest {
    /** Against the plain backward scan it replaces, on random ends (some left out), ranges and thresholds. */
    @Test
    void findsWhatAScanFinds() {
        Random random = new Random(13);
        for (int round = 0; round < 200; round++) {
            long[] ends = new long[random.nextInt(40)];
            for (int i = 0; i < ends.length; i++) {
                ends[i] = random.nextInt(10) == 0 ? Long.MIN_VALUE : random.nextInt(100);
            }
            MaxEndIndex index = new MaxEndIndex(ends);
            for (int q = 0; q < 50; q++) {
                int lo = random.nextInt(ends.length + 2) - 1;
                int hi = random.nextInt(ends.length + 2) - 1;
                long min = random.nextInt(110) - 5;
                int expected = -1;
                for (int i = Math.min(hi, ends.length - 1); i >= Math.max(lo, 0); i--) {
                    if (ends[i] >= min) {
                        expected = i;
                        break;
                    }
                }
                assertThat(index.lastEndingAtOrAfter(lo, hi, min)).as("lo %d hi %d min %d", lo, hi, min)
                        .isEqualTo(expected);
            }
        }
    }
}
