package dev.tangle.gui.timeline.model;

import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Everything the timeline draws, as columns built once from a {@link TraceModel}: a lane per thread, grouped by
 * pool, and the visible rows (groups can be collapsed). No JavaFX here: the raster and the benchmark use it
 * off-screen.
 */
public final class TimelineData {
    /** Groups with more lanes than this start collapsed (when there are other threads to see). */
    static final int EXPAND_LIMIT = 24;

    private final long endTime;
    private final List<LaneData> lanes;
    private final Map<Long, LaneData> byThread = new HashMap<>();
    private final List<LaneGroup> groups;
    private final Set<String> collapsed = new HashSet<>();
    private List<LaneRow> rows;

    private TimelineData(long endTime, List<LaneData> lanes, List<LaneGroup> groups) {
        this.endTime = endTime;
        this.lanes = List.copyOf(lanes);
        this.groups = List.copyOf(groups);
        lanes.forEach(l -> byThread.put(l.threadId(), l));
        // a large pool starts folded so the other threads show, unless it is all there is
        if (groups.size() > 1) {
            groups.stream().filter(g -> g.lanes().size() > EXPAND_LIMIT).forEach(g -> collapsed.add(g.name()));
        }
        rebuildRows();
    }

    /** Builds the lanes; {@code cancelled} is polled between threads (loading can be cancelled). */
    public static TimelineData of(TraceModel model, BooleanSupplier cancelled) {
        Map<Long, LongPairs> holdsByThread = new HashMap<>();
        model.forEachHold(new TraceModel.HoldVisitor() {
            private long lastThread = Long.MIN_VALUE;
            private LongPairs last;

            @Override
            public void visit(long threadId, long start, long end) {
                if (threadId != lastThread) {
                    lastThread = threadId;
                    last = holdsByThread.computeIfAbsent(threadId, k -> new LongPairs());
                }
                last.add(start, end);
            }
        });
        List<LaneData> lanes = new ArrayList<>();
        for (ThreadInfo t : model.threads()) {
            if (cancelled.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException();
            }
            LongPairs starts = new LongPairs();
            ByteList cats = new ByteList();
            long[] lastEnd = {-1};
            boolean[] terminated = {false};
            model.forEachState(t.id(), (start, end, state, reason) -> {
                starts.add(start, 0);
                cats.add((byte) StateCategory.of(state, reason).ordinal());
                lastEnd[0] = end;
                terminated[0] = state == ThreadState.TERMINATED;
            });
            // a thread that ended shows as terminated up to the end of the trace
            long end = starts.size == 0 || terminated[0] ? model.endTime() : lastEnd[0];
            LongPairs holds = holdsByThread.getOrDefault(t.id(), new LongPairs());
            long[][] merged = union(holds);
            lanes.add(new LaneData(t.id(), model.threadName(t.id()), starts.firsts(), cats.toArray(), end,
                    merged[0], merged[1]));
        }
        return of(model.endTime(), lanes, virtualThreads(model));
    }

    /** A growable pair of long columns. */
    private static final class LongPairs {
        long[] a = new long[16];
        long[] b = new long[16];
        int size;

        void add(long x, long y) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
                b = Arrays.copyOf(b, size * 2);
            }
            a[size] = x;
            b[size++] = y;
        }

        long[] firsts() {
            return Arrays.copyOf(a, size);
        }
    }

    private static final class ByteList {
        byte[] a = new byte[16];
        int size;

        void add(byte x) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = x;
        }

        byte[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /**
     * The union of the intervals [a[i], b[i]) as sorted, disjoint intervals: a sweep over the sorted starts and
     * the sorted ends (a start at the same time as an end comes first, so touching intervals merge).
     */
    private static long[][] union(LongPairs p) {
        long[] starts = Arrays.copyOf(p.a, p.size);
        long[] ends = Arrays.copyOf(p.b, p.size);
        Arrays.sort(starts);
        Arrays.sort(ends);
        long[] s = new long[p.size];
        long[] e = new long[p.size];
        int n = 0;
        int depth = 0;
        int i = 0;
        int j = 0;
        while (i < starts.length || j < ends.length) {
            if (i < starts.length && starts[i] <= ends[j]) {
                if (depth++ == 0) {
                    s[n] = starts[i];
                }
                i++;
            } else {
                if (--depth == 0) {
                    e[n++] = ends[j];
                }
                j++;
            }
        }
        return new long[][] {Arrays.copyOf(s, n), Arrays.copyOf(e, n)};
    }

    /** Lanes made elsewhere (tests, benchmarks); {@code virtual} names the virtual threads. */
    public static TimelineData of(long endTime, List<LaneData> lanes, Set<Long> virtual) {
        Map<String, List<LaneData>> byKey = new LinkedHashMap<>();
        for (LaneData l : lanes) {
            byKey.computeIfAbsent(LaneGroup.keyOf(l.name(), virtual.contains(l.threadId())), k -> new ArrayList<>())
                    .add(l);
        }
        List<LaneGroup> groups = new ArrayList<>();
        byKey.forEach((k, v) -> groups.add(new LaneGroup(v.size() >= 2 ? k : "", v)));
        return new TimelineData(endTime, lanes, groups);
    }

    private static Set<Long> virtualThreads(TraceModel model) {
        Set<Long> ids = new HashSet<>();
        model.threads().forEach(t -> {
            if (t.virtual()) {
                ids.add(t.id());
            }
        });
        return ids;
    }

    public long endTime() {
        return endTime;
    }

    /** The first event of any lane (a recording starts before the program's first lock). */
    public long startTime() {
        long first = endTime;
        for (LaneData l : lanes) {
            if (l.size() > 0) {
                first = Math.min(first, l.start(0));
            }
        }
        return Math.max(0, first);
    }

    public List<LaneData> lanes() {
        return lanes;
    }

    public LaneData lane(long threadId) {
        return byThread.get(threadId);
    }

    public List<LaneGroup> groups() {
        return groups;
    }

    /** The rows as they are shown: a header per group (named groups only) and the lanes of expanded groups. */
    public List<LaneRow> rows() {
        return rows;
    }

    public void setExpanded(LaneGroup group, boolean expanded) {
        if (expanded) {
            collapsed.remove(group.name());
        } else {
            collapsed.add(group.name());
        }
        rebuildRows();
    }

    /** Expands the group of the thread (so that it can be shown); true if something changed. */
    public boolean reveal(long threadId) {
        for (LaneGroup g : groups) {
            if (!g.name().isEmpty() && collapsed.contains(g.name())
                    && g.lanes().stream().anyMatch(l -> l.threadId() == threadId)) {
                setExpanded(g, true);
                return true;
            }
        }
        return false;
    }

    /** The row index of the thread's lane, or -1 when it is hidden in a collapsed group. */
    public int rowOf(long threadId) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) instanceof LaneRow.Lane l && l.lane().threadId() == threadId) {
                return i;
            }
        }
        return -1;
    }

    private void rebuildRows() {
        List<LaneRow> r = new ArrayList<>();
        for (LaneGroup g : groups) {
            if (g.name().isEmpty()) {
                g.lanes().forEach(l -> r.add(new LaneRow.Lane(l, false)));
            } else {
                boolean expanded = !collapsed.contains(g.name());
                r.add(new LaneRow.Header(g, expanded));
                if (expanded) {
                    g.lanes().forEach(l -> r.add(new LaneRow.Lane(l, true)));
                }
            }
        }
        rows = List.copyOf(r);
    }
}
