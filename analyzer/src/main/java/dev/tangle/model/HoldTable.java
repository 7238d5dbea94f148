package dev.tangle.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Holds or lock waits as columns, with an index by resource built once the trace is read. Rows are
 * {@link Hold}s when {@code waits} is false, else {@link LockWait}s (the outcome in the bits).
 */
final class HoldTable {
    private static final int OPEN = 1 << 2;
    private static final int TRIED = 1 << 3; // holds: a tryLock; waits: timed
    private static final LockWait.Outcome[] OUTCOMES = LockWait.Outcome.values();

    private final boolean waits;
    private final Columns.Longs resource = new Columns.Longs(1024);
    private final Columns.Longs thread = new Columns.Longs(1024);
    private final Columns.Longs start = new Columns.Longs(1024);
    private final Columns.Longs end = new Columns.Longs(1024);
    private final Columns.Ints bits = new Columns.Ints(1024);
    private final Columns.Ints site = new Columns.Ints(1024);
    private final Columns.Ints stack = new Columns.Ints(1024);
    /** Row numbers grouped by resource (dense index), each group in start order. */
    private int[] order;
    private int[] groupStart;
    /**
     * The ends of the closed rows by position in {@link #order}. Open rows (a lock held at the end, or whose
     * release was lost) are apart, in {@link #openPositions}.
     */
    private MaxEndIndex closedEnds;
    private int[][] openPositions;

    HoldTable(boolean waits) {
        this.waits = waits;
    }

    int size() {
        return start.size;
    }

    void addHold(long res, long thr, LockMode mode, long from, long to, boolean open, boolean tried, int siteId,
                 int stackId) {
        add(res, thr, from, to, mode.ordinal() | (open ? OPEN : 0) | (tried ? TRIED : 0), siteId, stackId);
    }

    void addWait(long res, long thr, LockMode mode, long from, long to, LockWait.Outcome outcome, boolean timed,
                 int siteId, int stackId) {
        add(res, thr, from, to, mode.ordinal() | (timed ? TRIED : 0) | outcome.ordinal() << 4, siteId, stackId);
    }

    private void add(long res, long thr, long from, long to, int b, int siteId, int stackId) {
        resource.add(res);
        thread.add(thr);
        start.add(from);
        end.add(to);
        bits.add(b);
        site.add(siteId);
        stack.add(stackId);
    }

    /** Builds the per-resource index: a counting sort by resource, then each group sorted by start. */
    void finish(LongIntMap resourceIndex, int resourceCount) {
        resource.trim();
        thread.trim();
        start.trim();
        end.trim();
        bits.trim();
        site.trim();
        stack.trim();
        int n = start.size;
        ResourceGroups groups = ResourceGroups.of(resource.a, n, resourceIndex, resourceCount);
        groups.sortEachGroupBy(start.a);
        groupStart = groups.groupStart();
        order = groups.order();
        long[] ends = new long[n];
        openPositions = new int[resourceCount][];
        for (int r = 0; r < resourceCount; r++) {
            Columns.Ints open = new Columns.Ints(1);
            for (int i = groupStart[r]; i < groupStart[r + 1]; i++) {
                int row = order[i];
                if (open(row)) {
                    open.add(i);
                    ends[i] = Long.MIN_VALUE;
                } else {
                    ends[i] = end.a[row];
                }
            }
            openPositions[r] = Arrays.copyOf(open.a, open.size);
        }
        closedEnds = new MaxEndIndex(ends);
    }

    /** The position in {@link #order} of the last row of the group that starts at or before {@code time}. */
    private int lastStartingBy(int resourceIdx, long time) {
        int lo = groupStart[resourceIdx];
        int hi = groupStart[resourceIdx + 1] - 1;
        int found = lo - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (start.a[order[mid]] <= time) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * Rows of one resource going on at {@code time} (start &lt;= time &lt; end, or open), in start order.
     */
    List<Integer> rowsAt(int resourceIdx, long time) {
        if (resourceIdx < 0) {
            return List.of();
        }
        List<Integer> positions = new ArrayList<>();
        int first = groupStart[resourceIdx];
        int last = lastStartingBy(resourceIdx, time);
        for (int i = closedEnds.lastEndingAtOrAfter(first, last, time + 1); i >= 0;
             i = closedEnds.lastEndingAtOrAfter(first, i - 1, time + 1)) {
            positions.add(i);
        }
        for (int i : openPositions[resourceIdx]) {
            if (i <= last) {
                positions.add(i);
            }
        }
        Collections.sort(positions);
        List<Integer> rows = new ArrayList<>(positions.size());
        positions.forEach(i -> rows.add(order[i]));
        return rows;
    }

    /**
     * The closed row of one resource, not of {@code thread}, whose end is latest within [from, to] (the first in
     * start order among equal ends), or -1.
     */
    int lastEndedWithin(int resourceIdx, long thread, long from, long to) {
        if (resourceIdx < 0) {
            return -1;
        }
        int best = -1;
        // a row that ends by 'to' started by then
        int first = groupStart[resourceIdx];
        for (int i = closedEnds.lastEndingAtOrAfter(first, lastStartingBy(resourceIdx, to), from); i >= 0;
             i = closedEnds.lastEndingAtOrAfter(first, i - 1, from)) {
            int row = order[i];
            long e = end.a[row];
            if (this.thread.a[row] != thread && e <= to && (best < 0 || e >= end.a[best])) {
                best = row;
            }
        }
        return best;
    }

    /** Rows of one resource (dense index), in start order. */
    List<Integer> rowsOf(int resourceIdx) {
        if (resourceIdx < 0) {
            return List.of();
        }
        List<Integer> rows = new ArrayList<>(groupStart[resourceIdx + 1] - groupStart[resourceIdx]);
        for (int i = groupStart[resourceIdx]; i < groupStart[resourceIdx + 1]; i++) {
            rows.add(order[i]);
        }
        return rows;
    }

    long start(int row) {
        return start.a[row];
    }

    long end(int row) {
        return end.a[row];
    }

    long thread(int row) {
        return thread.a[row];
    }

    boolean open(int row) {
        return (bits.a[row] & OPEN) != 0;
    }

    Hold hold(int row, Interner interner) {
        int b = bits.a[row];
        return new Hold(resource.a[row], thread.a[row], LockMode.ofOrdinal(b & 3), start.a[row], end.a[row],
                (b & OPEN) != 0, (b & TRIED) != 0, interner.frame(site.a[row]), interner.stack(stack.a[row]));
    }

    LockWait lockWait(int row, Interner interner) {
        int b = bits.a[row];
        return new LockWait(resource.a[row], thread.a[row], LockMode.ofOrdinal(b & 3), start.a[row], end.a[row],
                OUTCOMES[(b >> 4) & 7], (b & TRIED) != 0, interner.frame(site.a[row]),
                interner.stack(stack.a[row]));
    }

    long retainedBytes() {
        return start.a.length * (8L * 4 + 4 * 3) + (order == null ? 0 : order.length * 4L);
    }
}
