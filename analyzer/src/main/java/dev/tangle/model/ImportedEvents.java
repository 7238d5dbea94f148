package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.Frame;
import dev.tangle.trace.ObjectInfo;
import dev.tangle.trace.TraceEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events in the trace's vocabulary made from other evidence (thread dumps, JFR recordings), for
 * {@link ModelBuilder#build(dev.tangle.trace.TraceHeader, Iterable, long, String, String, List, List)}: gives
 * objects their ids, interns frames and stacks (the builder tells them apart by identity and id, as a reader's),
 * and hands the events out in time order.
 */
public final class ImportedEvents {
    private final List<TraceEvent> events = new ArrayList<>();
    private final Map<String, ObjectInfo> objects = new HashMap<>();
    private final Map<Frame, Frame> frames = new HashMap<>();
    private final Map<List<Frame>, CallStack> stacks = new HashMap<>();
    private long nextObjectId = 1;

    /** The object known by {@code key} (unique per source of identities), made on first use. */
    public ObjectInfo object(String key, String className, int identityHash) {
        return objects.computeIfAbsent(key, k -> new ObjectInfo(nextObjectId++, className, identityHash, 0));
    }

    public Frame frame(Frame frame) {
        return frame == null ? null : frames.computeIfAbsent(frame, f -> f);
    }

    /** The stack of these frames, innermost first; null when empty. */
    public CallStack stack(List<Frame> innermostFirst) {
        if (innermostFirst.isEmpty()) {
            return null;
        }
        List<Frame> interned = innermostFirst.stream().map(this::frame).toList();
        return stacks.computeIfAbsent(interned, f -> new CallStack(stacks.size() + 1, f));
    }

    /** Adds one event; {@code object} is null for thread kinds and events without one ({@code otherThread} then). */
    public void add(long time, long thread, EventKind kind, ObjectInfo object, long otherThread, Frame site,
                    CallStack stack, int flags, long value, String text) {
        events.add(new TraceEvent(time, thread, kind, object != null ? object.id() : otherThread, object,
                frame(site), stack, flags, value, text));
    }

    public int size() {
        return events.size();
    }

    /** The events in time order (ties keep the order they were added in). */
    public List<TraceEvent> events() {
        List<TraceEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(TraceEvent::time));
        return sorted;
    }
}
