package dev.tangle.model;

import java.util.Arrays;

/**
 * Rows of a column table grouped by resource, by a counting sort: the rows of resource {@code r} (dense index) are
 * {@code order[groupStart[r]]} to {@code order[groupStart[r + 1] - 1]}, in the order they were added until
 * {@link #sortEachGroupBy}. Shared by the hold tables, which sort each group by time.
 */
record ResourceGroups(int[] groupStart, int[] order) {
    static ResourceGroups of(long[] resourceOfRow, int rows, LongIntMap resourceIndex, int resourceCount) {
        int[] groupStart = new int[resourceCount + 1];
        int[] group = new int[rows];
        for (int i = 0; i < rows; i++) {
            group[i] = resourceIndex.get(resourceOfRow[i]);
            groupStart[group[i] + 1]++;
        }
        for (int r = 0; r < resourceCount; r++) {
            groupStart[r + 1] += groupStart[r];
        }
        int[] next = Arrays.copyOf(groupStart, resourceCount);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[next[group[i]]++] = i;
        }
        return new ResourceGroups(groupStart, order);
    }

    /**
     * Sorts the rows of each group by {@code key[row]}, stably; rows are added nearly in order, so this rarely
     * sorts.
     */
    void sortEachGroupBy(long[] key) {
        for (int r = 0; r + 1 < groupStart.length; r++) {
            sortBy(key, groupStart[r], groupStart[r + 1]);
        }
    }

    private void sortBy(long[] key, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (key[order[i - 1]] > key[order[i]]) {
                Integer[] rows = new Integer[to - from];
                for (int k = from; k < to; k++) {
                    rows[k - from] = order[k];
                }
                Arrays.sort(rows, (x, y) -> Long.compare(key[x], key[y]));
                for (int k = from; k < to; k++) {
                    order[k] = rows[k - from];
                }
                return;
            }
        }
    }
}
