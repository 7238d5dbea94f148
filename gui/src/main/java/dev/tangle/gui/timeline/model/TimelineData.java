package dev.tangle.gui.timeline.model;

import dev.tangle.model.Hold;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
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
    /** Groups with more lanes than this start collapsed. */
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
        groups.stream().filter(g -> g.lanes().size() > EXPAND_LIMIT).forEach(g -> collapsed.add(g.name()));
        rebuildRows();
    }

    /** Builds the lanes; {@code cancelled} is polled between threads (loading can be cancelled). */
    public static TimelineData of(TraceModel model, BooleanSupplier cancelled) {
        Map<Long, List<long[]>> holdsByThread = new HashMap<>();
        for (Hold h : model.holds(Long.MIN_VALUE, Long.MAX_VALUE)) {
            holdsByThread.computeIfAbsent(h.threadId(), k -> new ArrayList<>())
                    .add(new long[] {h.start(), h.open() ? model.endTime() : h.end()});
        }
        List<LaneData> lanes = new ArrayList<>();
        for (ThreadInfo t : model.threads()) {
            if (cancelled.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException();
            }
            List<StateInterval> states = model.states(t.id());
            long[] starts = new long[states.size()];
            byte[] cats = new byte[states.size()];
            for (int i = 0; i < starts.length; i++) {
                StateInterval s = states.get(i);
                starts[i] = s.start();
                cats[i] = (byte) StateCategory.of(s.state(), s.reason()).ordinal();
            }
            // a thread that ended shows as terminated up to the end of the trace
            long end = states.isEmpty() || states.get(states.size() - 1).state() == ThreadState.TERMINATED
                    ? model.endTime() : states.get(states.size() - 1).end();
            long[][] merged = merge(holdsByThread.getOrDefault(t.id(), new ArrayList<>()));
            lanes.add(new LaneData(t.id(), model.threadName(t.id()), starts, cats, end, merged[0], merged[1]));
        }
        return of(model.endTime(), lanes, virtualThreads(model));
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

    /** Sorted, non-overlapping [start, end) intervals covering the given ones. */
    private static long[][] merge(List<long[]> intervals) {
        intervals.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] s = new long[intervals.size()];
        long[] e = new long[intervals.size()];
        int n = 0;
        for (long[] iv : intervals) {
            if (n > 0 && iv[0] <= e[n - 1]) {
                e[n - 1] = Math.max(e[n - 1], iv[1]);
            } else {
                s[n] = iv[0];
                e[n] = iv[1];
                n++;
            }
        }
        return new long[][] {java.util.Arrays.copyOf(s, n), java.util.Arrays.copyOf(e, n)};
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
