package dev.tangle.model;

/**
 * A max segment tree over the ends of intervals listed in start order: finds, from a position backwards, the
 * intervals that end at or after a time, in O(log n) each, skipping those that end earlier. Answers "which
 * intervals started by {@code t} are still going on at {@code t}" without walking back over every earlier
 * interval (one long interval early in a trace would otherwise make each search walk back to it).
 */
final class MaxEndIndex {
    private final int leaves;
    private final long[] tree;

    /** {@code ends[i]} is the end of the i-th interval; {@code Long.MIN_VALUE} leaves one out of every search. */
    MaxEndIndex(long[] ends) {
        int size = 1;
        while (size < Math.max(1, ends.length)) {
            size <<= 1;
        }
        leaves = size;
        tree = new long[2 * size];
        java.util.Arrays.fill(tree, Long.MIN_VALUE);
        System.arraycopy(ends, 0, tree, size, ends.length);
        for (int i = size - 1; i >= 1; i--) {
            tree[i] = Math.max(tree[2 * i], tree[2 * i + 1]);
        }
    }

    /** The largest position in [lo, hi] whose end is at least {@code min}, or -1. */
    int lastEndingAtOrAfter(int lo, int hi, long min) {
        if (lo > hi || hi < 0) {
            return -1;
        }
        return search(1, 0, leaves - 1, Math.max(lo, 0), hi, min);
    }

    private int search(int node, int nodeLo, int nodeHi, int lo, int hi, long min) {
        if (nodeHi < lo || nodeLo > hi || tree[node] < min) {
            return -1;
        }
        if (nodeLo == nodeHi) {
            return nodeLo;
        }
        int mid = (nodeLo + nodeHi) >>> 1;
        int right = search(2 * node + 1, mid + 1, nodeHi, lo, hi, min);
        return right >= 0 ? right : search(2 * node, nodeLo, mid, lo, hi, min);
    }
}
