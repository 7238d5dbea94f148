package dev.tangle.trace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectTableTest {
    @Test
    void findsEveryObjectAfterGrowingIncludingIdZeroAndReplacements() {
        ObjectTable table = new ObjectTable();
        int n = 10_000;
        for (long id = -n; id <= n; id++) {
            table.put(id * 7919, info(id * 7919, "C" + id));
        }
        table.put(7919 * 5, info(7919 * 5, "replaced"));
        for (long id = -n; id <= n; id++) {
            assertThat(table.get(id * 7919).className()).isEqualTo(id == 5 ? "replaced" : "C" + id);
        }
        assertThat(table.get(1)).isNull();
        assertThat(table.get(Long.MIN_VALUE)).isNull();
    }

    @Test
    void idZeroIsAbsentUntilPut() {
        ObjectTable table = new ObjectTable();
        assertThat(table.get(0)).isNull();
        table.put(0, info(0, "Zero"));
        assertThat(table.get(0).className()).isEqualTo("Zero");
    }

    private static ObjectInfo info(long id, String className) {
        return new ObjectInfo(id, className, 0, 0, -1);
    }
}
