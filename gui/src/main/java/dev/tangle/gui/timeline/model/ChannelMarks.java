package dev.tangle.gui.timeline.model;

import dev.tangle.model.Operation;
import dev.tangle.model.OperationKind;
import dev.tangle.model.TraceModel;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * When each thread sent to or received from a channel (a completed {@link OperationKind#SEND} or
 * {@link OperationKind#RECEIVE}, at its end), as sorted times per thread, for the lanes' tick marks. The pixel
 * columns with a mark are found by galloping: one binary search per marked column, however many events fall
 * into one column, so a zoomed-out lane with millions of sends costs its width at most.
 */
public final class ChannelMarks {
    /** Which end of a channel. */
    public enum Kind { SEND, RECEIVE }

    private static final long[] NONE = new long[0];
    private final Map<Long, long[]> sends;
    private final Map<Long, long[]> receives;

    private ChannelMarks(Map<Long, long[]> sends, Map<Long, long[]> receives) {
        this.sends = sends;
        this.receives = receives;
    }

    public static ChannelMarks of(TraceModel model) {
        Map<Long, long[]> sends = new HashMap<>();
        Map<Long, long[]> receives = new HashMap<>();
        Map<Long, int[]> counts = new HashMap<>();
        for (Operation op : model.operations()) {
            if (op.outcome() != Operation.Outcome.COMPLETED) {
                continue;
            }
            int k = op.kind() == OperationKind.SEND ? 0 : op.kind() == OperationKind.RECEIVE ? 1 : -1;
            if (k < 0) {
                continue;
            }
            Map<Long, long[]> into = k == 0 ? sends : receives;
            int[] n = counts.computeIfAbsent(op.threadId() * 2 + k, x -> new int[1]);
            long[] times = into.computeIfAbsent(op.threadId(), x -> new long[8]);
            if (n[0] == times.length) {
                times = Arrays.copyOf(times, times.length * 2);
                into.put(op.threadId(), times);
            }
            times[n[0]++] = op.end();
        }
        for (Map.Entry<Long, long[]> e : sends.entrySet()) {
            e.setValue(sorted(e.getValue(), counts.get(e.getKey() * 2)[0]));
        }
        for (Map.Entry<Long, long[]> e : receives.entrySet()) {
            e.setValue(sorted(e.getValue(), counts.get(e.getKey() * 2 + 1)[0]));
        }
        return new ChannelMarks(sends, receives);
    }

    private static long[] sorted(long[] times, int n) {
        long[] t = Arrays.copyOf(times, n);
        Arrays.sort(t);
        return t;
    }

    /** The mark times of one thread, sorted. */
    public long[] times(long threadId, Kind kind) {
        return (kind == Kind.SEND ? sends : receives).getOrDefault(threadId, NONE);
    }

    /**
     * The pixel columns (0 to {@code width - 1}) of {@code view} that hold at least one mark, written into
     * {@code columns}; returns how many.
     */
    public int columns(long threadId, Kind kind, Viewport view, int width, int[] columns) {
        long[] t = times(threadId, kind);
        int n = 0;
        int i = lowerBound(t, view.start());
        while (i < t.length && n < columns.length) {
            int x = (int) Math.floor(view.xOf(t[i], width));
            if (x >= width) {
                break;
            }
            columns[n++] = x;
            // the first mark at or after the next column's start
            i = lowerBound(t, view.timeAt(x + 1, width));
        }
        return n;
    }

    private static int lowerBound(long[] t, double time) {
        int lo = 0;
        int hi = t.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
