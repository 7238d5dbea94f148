package dev.tangle.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link CountedHolds} of a trace as columns, with an index by resource built once the trace is read: each
 * resource's rows in time order, with running totals of their counts, so that the holds counted in a time range
 * are summed in O(log n).
 */
final class CountedHoldTable {
    private final Columns.Longs resource = new Columns.Longs(64);
    private final Columns.Longs thread = new Columns.Longs(64);
    private final Columns.Longs time = new Columns.Longs(64);
    private final Columns.Longs count = new Columns.Longs(64);
    private final Columns.Ints site = new Columns.Ints(64);
    /** 1 for reentrant rows (see {@link CountedHolds#reentrant()}). */
    private final Columns.Bytes reentrant = new Columns.Bytes(64);
    /** Row numbers grouped by resource (dense index), each group in time order. */
    private int[] order = new int[0];
    private int[] groupStart = new int[1];
    /** By position in {@link #order}: the counts of the group's non-reentrant rows up to it, its own included. */
    private long[] runningTotal = new long[0];

    void add(long res, long thr, long at, long holds, int siteId, boolean reentrantHolds) {
        resource.add(res);
        thread.add(thr);
        time.add(at);
        count.add(holds);
        site.add(siteId);
        reentrant.add(reentrantHolds ? 1 : 0);
    }

    int size() {
        return time.size;
    }

    /** Builds the per-resource index: a counting sort by resource, then each group sorted by time. */
    void finish(LongIntMap resourceIndex, int resourceCount) {
        resource.trim();
        thread.trim();
        time.trim();
        count.trim();
        site.trim();
        reentrant.trim();
        int n = time.size;
        ResourceGroups groups = ResourceGroups.of(resource.a, n, resourceIndex, resourceCount);
        groups.sortEachGroupBy(time.a);
        groupStart = groups.groupStart();
        order = groups.order();
        runningTotal = new long[n];
        for (int r = 0; r < resourceCount; r++) {
            long total = 0;
            for (int i = groupStart[r]; i < groupStart[r + 1]; i++) {
                total += reentrant.a[order[i]] != 0 ? 0 : count.a[order[i]];
                runningTotal[i] = total;
            }
        }
    }

    /** The rows of one resource (dense index) in time order. */
    List<CountedHolds> rowsOf(int resourceIdx, Interner interner) {
        if (resourceIdx < 0 || resourceIdx + 1 >= groupStart.length) {
            return List.of();
        }
        List<CountedHolds> rows = new ArrayList<>(groupStart[resourceIdx + 1] - groupStart[resourceIdx]);
        for (int i = groupStart[resourceIdx]; i < groupStart[resourceIdx + 1]; i++) {
            int row = order[i];
            rows.add(new CountedHolds(resource.a[row], thread.a[row], time.a[row], count.a[row],
                    interner.frame(site.a[row]), reentrant.a[row] != 0));
        }
        return rows;
    }

    /**
     * The holds of one resource counted at times strictly between {@code from} and {@code to}, all threads,
     * reentrant ones left out.
     */
    long countBetween(int resourceIdx, long from, long to) {
        if (resourceIdx < 0 || resourceIdx + 1 >= groupStart.length || to <= from + 1) {
            return 0;
        }
        int lo = firstAfter(resourceIdx, from);
        int hi = firstAfter(resourceIdx, to - 1); // rows at times < to end before hi
        if (hi <= lo) {
            return 0;
        }
        return runningTotal[hi - 1] - (lo > groupStart[resourceIdx] ? runningTotal[lo - 1] : 0);
    }

    /** The position of the group's first row whose time is after {@code t}. */
    private int firstAfter(int resourceIdx, long t) {
        int lo = groupStart[resourceIdx];
        int hi = groupStart[resourceIdx + 1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (time.a[order[mid]] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The holds counted in the whole trace. */
    long total() {
        long total = 0;
        for (int i = 0; i < time.size; i++) {
            total += count.a[i];
        }
        return total;
    }

    long retainedBytes() {
        return time.a.length * (8L * 4 + 4 + 1) + order.length * 12L;
    }
}
