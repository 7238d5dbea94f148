package dev.tangle.model;

import java.util.Arrays;

/**
 * Rows of a column table grouped by resource, by a counting sort: the rows of resource {@code r} (dense index) are
 * {@code order[groupStart[r]]} to {@code order[groupStart[r + 1] - 1]}, in the order they were added. Shared by
 * the hold tables, which then sort each group by time.
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
}
