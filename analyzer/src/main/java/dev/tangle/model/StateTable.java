package dev.tangle.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The state intervals of one thread, as columns: interval {@code i} runs from {@code start[i]} to
 * {@code start[i + 1]} (the last one to the thread's end or the trace's end).
 */
final class StateTable {
    // bits: state 0-2, reason 3-7, mode 8-9, then the flags
    private static final int REASON_SHIFT = 3;
    private static final int MODE_SHIFT = 8;
    private static final int TIMED = 1 << 10;
    private static final int INTERRUPTED = 1 << 11;
    private static final int TIMED_OUT = 1 << 12;
    private static final int HAS_MODE = 1 << 13;
    private static final int FAILED = 1 << 14;
    private static final ThreadState[] STATES = ThreadState.values();
    private static final BlockReason[] REASONS = BlockReason.values();

    final long threadId;
    private final Columns.Longs start = new Columns.Longs(4);
    private final Columns.Ints bits = new Columns.Ints(4);
    private final Columns.Longs resource = new Columns.Longs(4);
    private final Columns.Ints site = new Columns.Ints(4);
    private final Columns.Ints stack = new Columns.Ints(4);
    /** Timeouts, made only when the first interval with one comes (most threads never have one). */
    private Columns.Longs timeout;
    /** Where the last interval ends: the thread's end, else the trace's end (then it is open). */
    private long end;
    private boolean lastOpen;

    StateTable(long threadId) {
        this.threadId = threadId;
    }

    int size() {
        return start.size;
    }

    /** Appends an interval beginning at {@code time}; an earlier one at the same time is replaced. */
    void add(long time, ThreadState state, BlockReason reason, long res, LockMode mode, boolean timed, int siteId,
             int stackId) {
        add(time, state, reason, res, mode, timed, siteId, stackId, 0);
    }

    /** As above, with the wait's timeout (ns, or a deadline for a park). */
    void add(long time, ThreadState state, BlockReason reason, long res, LockMode mode, boolean timed, int siteId,
             int stackId, long timeoutValue) {
        int b = state.ordinal() | reason.ordinal() << REASON_SHIFT | (timed ? TIMED : 0);
        if (mode != null) {
            b |= HAS_MODE | mode.ordinal() << MODE_SHIFT;
        }
        int n = start.size;
        if (n > 0 && start.a[n - 1] == time) {
            // a zero-length interval (e.g. a wait that ended in the same tick) is replaced
            n--;
            start.size = bits.size = resource.size = site.size = stack.size = n;
            if (timeout != null) {
                timeout.size = n;
            }
        }
        if (n > 0 && bitsState(bits.a[n - 1]) == ThreadState.RUNNING && state == ThreadState.RUNNING
                && resource.a[n - 1] == 0) {
            return; // running after running: one interval
        }
        start.add(time);
        bits.add(b);
        resource.add(res);
        site.add(siteId);
        stack.add(stackId);
        if (timeoutValue != 0 && timeout == null) {
            timeout = new Columns.Longs(start.a.length);
            timeout.size = n;
        }
        if (timeout != null) {
            timeout.add(timeoutValue);
        }
    }

    /** Marks how the last interval (a wait) ended. */
    void markLastEnded(boolean interrupted, boolean timedOut) {
        markLastEnded(interrupted, timedOut, false);
    }

    void markLastEnded(boolean interrupted, boolean timedOut, boolean failed) {
        int n = start.size;
        if (n > 0) {
            bits.a[n - 1] |= (interrupted ? INTERRUPTED : 0) | (timedOut ? TIMED_OUT : 0) | (failed ? FAILED : 0);
        }
    }

    /** The reason of the last interval, or null. */
    long lastResource() {
        return resource.size == 0 ? 0 : resource.a[resource.size - 1];
    }

    BlockReason lastReason() {
        return start.size == 0 ? null : REASONS[(bits.a[start.size - 1] >> REASON_SHIFT) & 0x1F];
    }

    ThreadState lastState() {
        return start.size == 0 ? null : bitsState(bits.a[start.size - 1]);
    }

    long lastStart() {
        return start.size == 0 ? -1 : start.a[start.size - 1];
    }

    void finish(long endTime, boolean open) {
        end = endTime;
        lastOpen = open;
        start.trim();
        bits.trim();
        resource.trim();
        site.trim();
        stack.trim();
        if (timeout != null) {
            timeout.trim();
        }
    }

    /** The index of the interval containing {@code time}, or -1 when the thread had not begun. */
    int indexAt(long time) {
        int lo = 0;
        int hi = start.size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (start.a[mid] <= time) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    StateInterval get(int i, Interner interner) {
        int b = bits.a[i];
        boolean last = i == start.size - 1;
        long e = last ? Math.max(end, start.a[i]) : start.a[i + 1];
        return new StateInterval(threadId, start.a[i], e, bitsState(b), REASONS[(b >> REASON_SHIFT) & 0x1F],
                resource.a[i], (b & HAS_MODE) != 0 ? LockMode.ofOrdinal((b >> MODE_SHIFT) & 3) : null,
                (b & TIMED) != 0, (b & INTERRUPTED) != 0, (b & TIMED_OUT) != 0, last && lastOpen,
                interner.frame(site.a[i]), interner.stack(stack.a[i]), (b & FAILED) != 0,
                timeout == null ? 0 : timeout.a[i]);
    }

    /** The intervals overlapping [from, to). */
    List<StateInterval> between(long from, long to, Interner interner) {
        List<StateInterval> result = new ArrayList<>();
        int first = Math.max(0, indexAt(from));
        for (int i = first; i < start.size && start.a[i] < to; i++) {
            StateInterval s = get(i, interner);
            if (s.end() > from || s.open() || s.start() >= from) {
                result.add(s);
            }
        }
        return result;
    }

    /** Every interval's times, state and reason, in order, without making records. */
    void forEach(TraceModel.StateVisitor visitor) {
        int n = start.size;
        for (int i = 0; i < n; i++) {
            int b = bits.a[i];
            long e = i == n - 1 ? Math.max(end, start.a[i]) : start.a[i + 1];
            visitor.visit(start.a[i], e, bitsState(b), REASONS[(b >> 3) & 0xF]);
        }
    }

    long retainedBytes() {
        return 16L + start.a.length * 28L + (timeout == null ? 0 : timeout.a.length * 8L);
    }

    private static ThreadState bitsState(int b) {
        return STATES[b & 7];
    }
}
