package dev.tangle.gui.timeline.model;

import java.util.Arrays;

/**
 * One thread's lane as primitive columns, built once from the model so that drawing never allocates: interval
 * {@code i} has category {@code categories[i]} from {@code starts[i]} to {@code starts[i + 1]} (the last to
 * {@link #end()}); {@code holdStarts/holdEnds} are the merged times when the thread held at least one lock.
 *
 * <p>{@code blockMasks} keep, per {@link #BLOCK} intervals, the set of categories in it (bit = ordinal), so that a
 * pixel column covering thousands of intervals still learns in a few steps that one of them was BLOCKED.
 */
public final class LaneData {
    public static final int BLOCK = 32;

    private final long threadId;
    private final String name;
    private final long[] starts;
    private final byte[] categories;
    private final int[] blockMasks;
    private final long end;
    private final long[] holdStarts;
    private final long[] holdEnds;

    public LaneData(long threadId, String name, long[] starts, byte[] categories, long end, long[] holdStarts,
                    long[] holdEnds) {
        if (starts.length != categories.length || holdStarts.length != holdEnds.length) {
            throw new IllegalArgumentException("column lengths differ");
        }
        this.threadId = threadId;
        this.name = name;
        this.starts = starts;
        this.categories = categories;
        this.end = end;
        this.holdStarts = holdStarts;
        this.holdEnds = holdEnds;
        this.blockMasks = new int[(starts.length + BLOCK - 1) / BLOCK];
        for (int i = 0; i < categories.length; i++) {
            blockMasks[i / BLOCK] |= 1 << categories[i];
        }
    }

    public long threadId() {
        return threadId;
    }

    public String name() {
        return name;
    }

    public int size() {
        return starts.length;
    }

    public long start(int i) {
        return starts[i];
    }

    /** Where interval {@code i} ends. */
    public long end(int i) {
        return i + 1 < starts.length ? starts[i + 1] : Math.max(end, starts[i]);
    }

    public long end() {
        return end;
    }

    public StateCategory category(int i) {
        return StateCategory.ofOrdinal(categories[i]);
    }

    int categoryOrdinal(int i) {
        return categories[i];
    }

    /** The interval containing {@code time}, or -1 before the first one. */
    public int indexAt(long time) {
        int i = Arrays.binarySearch(starts, time);
        if (i >= 0) {
            while (i + 1 < starts.length && starts[i + 1] == time) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }

    /** The first index after {@code from} (at least {@code from}) whose interval contains {@code time}: galloping. */
    int advance(int from, long time) {
        int n = starts.length;
        if (from + 1 >= n || starts[from + 1] > time) {
            return from;
        }
        return lastAtOrBefore(starts, from + 1, time);
    }

    /**
     * Galloping search: the last index {@code i >= from} with {@code a[i] <= time}, for ascending {@code a} and
     * {@code a[from] <= time}. Costs the log of the distance moved, so stepping through a lane column by column
     * stays cheap however many intervals a column holds.
     */
    private static int lastAtOrBefore(long[] a, int from, long time) {
        int n = a.length;
        int step = 1;
        int lo = from;
        int hi = from + 1;
        while (hi < n && a[hi] <= time) {
            lo = hi;
            hi = lo + step;
            step <<= 1;
        }
        hi = Math.min(hi, n);
        // a[lo] <= time, a[hi] > time (or hi == n)
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= time) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The set of category ordinals (bit = ordinal) among intervals {@code from..to} inclusive. */
    int maskBetween(int from, int to) {
        int mask = 0;
        int i = from;
        while (i <= to && i % BLOCK != 0) {
            mask |= 1 << categories[i++];
        }
        while (i + BLOCK - 1 <= to) {
            mask |= blockMasks[i / BLOCK];
            i += BLOCK;
        }
        while (i <= to) {
            mask |= 1 << categories[i++];
        }
        return mask;
    }

    public int holdCount() {
        return holdStarts.length;
    }

    public long holdStart(int i) {
        return holdStarts[i];
    }

    public long holdEnd(int i) {
        return holdEnds[i];
    }

    /** From hold {@code k}, the first merged hold whose end is after {@code time} (galloping), or holdCount(). */
    int advanceHold(int k, long time) {
        int n = holdEnds.length;
        if (k >= n || holdEnds[k] > time) {
            return k;
        }
        return lastAtOrBefore(holdEnds, k, time) + 1;
    }

    /** The merged hold containing or following {@code time}: the first whose end is after it. */
    int holdIndexFrom(long time) {
        int lo = 0;
        int hi = holdEnds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (holdEnds[mid] <= time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
