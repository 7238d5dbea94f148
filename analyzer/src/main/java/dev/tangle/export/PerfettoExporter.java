package dev.tangle.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tangle.detect.Evidence;
import dev.tangle.detect.Finding;
import dev.tangle.model.BlockReason;
import dev.tangle.model.Causality;
import dev.tangle.model.Pool;
import dev.tangle.model.Resource;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;
import dev.tangle.model.TraceSummary;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a trace model and its findings in the Chrome JSON Trace Event Format, which ui.perfetto.dev and
 * chrome://tracing open: {@code {"displayTimeUnit": "ns", "otherData": {...}, "traceEvents": [...]}}.
 *
 * <ul>
 *   <li>One track per thread ({@code tid} = the trace's thread id). Threads are grouped by pool as
 *       <em>processes</em> ({@code pid}): the format has no other grouping that both viewers show (a process is a
 *       collapsible, named, ordered group in both). Group 1 holds the threads of no pool, then one group per pool
 *       (its workers, by {@link TraceModel#poolOf}), then one for virtual threads. Names and order come from
 *       {@code M} events ({@code process_name}, {@code process_sort_index}, {@code thread_name},
 *       {@code thread_sort_index}).</li>
 *   <li>A complete slice ({@code X}) for every interval in which a thread was not running: blocked, waiting,
 *       timed waiting, parked, sleeping, idle in its pool; named by its state and resource as the viewer's
 *       tooltip names it ("blocked on ...Value@1b6d3586 (#3)", "waiting (waiting in take() on
 *       SynchronousQueue@... (#7, capacity 0))"). A thread has one state at a time, so its slices never
 *       overlap.</li>
 *   <li>Flow arrows for the links the viewer draws ({@link Causality#of}): who woke a wait (category
 *       {@code wake}: release → acquire, notify → waiter, send → receive, count-down → await, end → join...) and
 *       who held what a thread waited for (category {@code held}). Each end is a zero-length slice at the link's
 *       time on its thread, carrying the flow as {@code bind_id} with {@code flow_out} or {@code flow_in} (the
 *       "v2" flow events Chrome itself writes): an arrow binds to a slice, and a waker is usually running, with no
 *       slice of its own at that moment.</li>
 *   <li>Instant events ({@code i}, thread scope) for the findings, on the track of every thread a finding names,
 *       with the finding as {@code tangle analyze --format json} writes it in {@code args}; and for each thread's
 *       first and last event.</li>
 * </ul>
 *
 * <p>Timestamps are microseconds since the start of recording, written as exact decimals ({@code 1234.567}):
 * the nanoseconds are kept as the fraction. Events are written per thread, in time order, through a streaming
 * generator: the JSON never exists as a tree in memory (the links and findings of one trace do).
 */
public final class PerfettoExporter {
    /** What an export wrote. */
    public record Stats(int processes, int threads, long slices, long flows, long findingEvents) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final TraceModel model;
    private final List<Finding> findings;
    private final Map<Long, Integer> pidOf = new HashMap<>();
    private final Map<Integer, String> processNames = new LinkedHashMap<>();
    /** Zero-length slices (flow ends, findings, thread begin and end) of each thread, in no order yet. */
    private final Map<Long, List<Mark>> marks = new HashMap<>();
    private long flows;
    private long findingEvents;

    /** A zero-length event on one thread's track: a flow end (a slice) or an instant. */
    private record Mark(long time, String name, String cat, long flow, boolean in, boolean instant, Object args) {
    }

    private PerfettoExporter(TraceModel model, List<Finding> findings) {
        this.model = model;
        this.findings = findings;
    }

    /** Writes {@code model} and its {@code findings} to {@code out} (left open), as UTF-8 JSON. */
    public static Stats write(TraceModel model, List<Finding> findings, OutputStream out) throws IOException {
        return new PerfettoExporter(model, findings).write(out);
    }

    private Stats write(OutputStream out) throws IOException {
        group();
        link();
        mark();
        long slices = 0;
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ns");
            writeOtherData(g, model.summary());
            g.writeArrayFieldStart("traceEvents");
            int order = 0;
            for (Map.Entry<Integer, String> p : processNames.entrySet()) {
                metadata(g, "process_name", p.getKey(), 0, "name", p.getValue());
                metadata(g, "process_sort_index", p.getKey(), 0, "sort_index", p.getKey());
            }
            for (ThreadInfo t : model.threads()) {
                int pid = pidOf.get(t.id());
                metadata(g, "thread_name", pid, t.id(), "name", trackName(t));
                metadata(g, "thread_sort_index", pid, t.id(), "sort_index", order++);
                slices += writeTrack(g, t, pid);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return new Stats(processNames.size(), model.threads().size(), slices, flows, findingEvents);
    }

    // ---- groups

    private void group() {
        int threadsPid = 1;
        int nextPid = 2;
        Map<Long, Integer> poolPids = new LinkedHashMap<>();
        for (Pool p : model.pools()) {
            poolPids.put(p.id(), nextPid++);
        }
        int virtualPid = nextPid;
        for (ThreadInfo t : model.threads()) {
            Pool pool = model.poolOf(t.id()).orElse(null);
            pidOf.put(t.id(), t.virtual() ? virtualPid : pool != null ? poolPids.get(pool.id()) : threadsPid);
        }
        // named in pid order, only the groups that have a thread
        if (pidOf.containsValue(threadsPid)) {
            processNames.put(threadsPid, "threads");
        }
        for (Pool p : model.pools()) {
            if (pidOf.containsValue(poolPids.get(p.id()))) {
                processNames.put(poolPids.get(p.id()), "pool " + shortLabel(model.resource(p.id()), p.className()));
            }
        }
        if (pidOf.containsValue(virtualPid)) {
            processNames.put(virtualPid, "virtual threads");
        }
    }

    /** {@code ThreadPoolExecutor@1b6d3586 (#7, max 4 threads)}. */
    private static String shortLabel(Resource r, String className) {
        String name = "?".equals(r.className()) && className != null ? className : r.className();
        String note = r.capacityNote();
        return name.substring(name.lastIndexOf('.') + 1) + "@" + Integer.toHexString(r.identityHash()) + " (#"
                + r.id() + (note == null ? "" : ", " + note) + ")";
    }

    private String trackName(ThreadInfo t) {
        String name = model.threadName(t.id());
        return name.isEmpty() ? "thread #" + t.id() : name;
    }

    // ---- flows: the viewer's links, both ends as zero-length slices

    private void link() {
        for (ThreadInfo t : model.threads()) {
            for (StateInterval s : model.states(t.id())) {
                if (!shown(s)) {
                    continue;
                }
                for (Causality.Link l : Causality.of(model, s)) {
                    if (!pidOf.containsKey(l.fromThread()) || !pidOf.containsKey(l.toThread())) {
                        continue; // an end on a thread the trace does not show: no track to draw it on
                    }
                    long id = ++flows;
                    String cat = l.kind() == Causality.Kind.WOKE ? "wake" : "held";
                    Map<String, Object> args = Map.of("link", l.label(), "from", model.threadName(l.fromThread()),
                            "to", model.threadName(l.toThread()));
                    // the source's track says whom it concerns, the target's says by whom (the viewer's label)
                    add(l.fromThread(), new Mark(l.fromTime(), l.label() + " → " + model.threadName(l.toThread()),
                            cat, id, false, false, args));
                    add(l.toThread(), new Mark(l.toTime(), l.label(), cat, id, true, false, args));
                }
            }
        }
    }

    private void add(long thread, Mark m) {
        marks.computeIfAbsent(thread, k -> new ArrayList<>()).add(m);
    }

    // ---- instants: findings, thread begin and end

    private void mark() {
        Map<String, List<Long>> byName = new HashMap<>();
        for (ThreadInfo t : model.threads()) {
            byName.computeIfAbsent(model.threadName(t.id()), k -> new ArrayList<>()).add(t.id());
            if (t.beginTime() >= 0) {
                add(t.id(), new Mark(t.beginTime(), "thread begins", "thread", 0, false, true,
                        beginArgs(t)));
            }
            if (t.endTime() >= 0) {
                add(t.id(), new Mark(t.endTime(), "thread ends", "thread", 0, false, true,
                        t.uncaught() == null ? Map.of() : Map.of("uncaught", t.uncaught())));
            }
        }
        for (Finding f : findings) {
            for (String name : f.threads()) {
                for (long thread : byName.getOrDefault(name, List.of())) {
                    add(thread, new Mark(f.time(), f.type().name() + ": " + f.summary(), "finding", 0, false, true,
                            f));
                    findingEvents++;
                }
            }
        }
    }

    private Map<String, Object> beginArgs(ThreadInfo t) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("id", t.id());
        args.put("daemon", t.daemon());
        args.put("virtual", t.virtual());
        if (t.parentId() != 0) {
            args.put("startedBy", model.threadName(t.parentId()));
        }
        if (t.startSite() != null) {
            args.put("startedAt", Evidence.format(t.startSite()));
        }
        if (t.snapshot()) {
            args.put("snapshot", true);
        }
        return args;
    }

    // ---- one thread's track, in time order

    private long writeTrack(JsonGenerator g, ThreadInfo t, int pid) throws IOException {
        List<Mark> ms = marks.getOrDefault(t.id(), List.of());
        ms.sort(Comparator.comparingLong(Mark::time)); // stable: a flow's ends keep their order
        long slices = 0;
        int m = 0;
        for (StateInterval s : model.states(t.id())) {
            if (!shown(s)) {
                continue;
            }
            // a mark at the slice's start comes after it (inside it), one before comes before
            while (m < ms.size() && ms.get(m).time() < s.start()) {
                writeMark(g, ms.get(m++), pid, t.id());
            }
            writeSlice(g, s, pid);
            slices++;
        }
        while (m < ms.size()) {
            writeMark(g, ms.get(m++), pid, t.id());
        }
        return slices;
    }

    /** Only intervals in which the thread was not running are slices; running is the empty track. */
    private static boolean shown(StateInterval s) {
        return s.state() != ThreadState.RUNNING && s.state() != ThreadState.TERMINATED && s.end() >= s.start();
    }

    private void writeSlice(JsonGenerator g, StateInterval s, int pid) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "X");
        g.writeStringField("cat", category(s));
        g.writeStringField("name", name(s));
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", s.threadId());
        g.writeFieldName("ts");
        g.writeNumber(micros(s.start()));
        g.writeFieldName("dur");
        g.writeNumber(micros(s.end() - s.start()));
        g.writeObjectFieldStart("args");
        g.writeStringField("state", s.state().name());
        g.writeStringField("reason", s.reason().name());
        if (s.resource() != 0) {
            g.writeStringField(s.reason().resourceIsThread() ? "thread" : "resource",
                    s.reason().resourceIsThread() ? model.threadName(s.resource()) : model.resource(s.resource())
                            .describe());
        }
        if (s.mode() != null) {
            g.writeStringField("mode", s.mode().name());
        }
        flag(g, "timed", s.timed());
        flag(g, "timedOut", s.timedOut());
        flag(g, "interrupted", s.interrupted());
        flag(g, "failed", s.failed());
        flag(g, "untilTheEnd", s.open());
        if (s.site() != null) {
            g.writeStringField("at", Evidence.format(s.site()));
        }
        if (s.stack() != null && !s.stack().frames().isEmpty()) {
            g.writeArrayFieldStart("stack");
            for (var f : s.stack().frames()) {
                g.writeString(Evidence.format(f));
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void flag(JsonGenerator g, String name, boolean value) throws IOException {
        if (value) {
            g.writeBooleanField(name, true);
        }
    }

    private void writeMark(JsonGenerator g, Mark m, int pid, long tid) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", m.instant() ? "i" : "X");
        g.writeStringField("cat", m.cat());
        g.writeStringField("name", m.name());
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", tid);
        g.writeFieldName("ts");
        g.writeNumber(micros(m.time()));
        if (m.instant()) {
            g.writeStringField("s", "t");
        } else {
            g.writeNumberField("dur", 0);
            g.writeStringField("bind_id", "0x" + Long.toHexString(m.flow()));
            g.writeBooleanField(m.in() ? "flow_in" : "flow_out", true);
        }
        g.writeFieldName("args");
        g.writeObject(m.args());
        g.writeEndObject();
    }

    private static void metadata(JsonGenerator g, String name, int pid, long tid, String key, Object value)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "M");
        g.writeStringField("name", name);
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        g.writeObjectField(key, value);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeOtherData(JsonGenerator g, TraceSummary s) throws IOException {
        g.writeObjectFieldStart("otherData");
        g.writeStringField("exportedBy", "tangle export --format perfetto");
        g.writeStringField("source", String.valueOf(s.source()));
        g.writeStringField("command", String.valueOf(s.command()));
        g.writeStringField("jvm", String.valueOf(s.jvm()));
        g.writeStringField("startEpochMillis", Long.toString(s.startEpochMillis()));
        g.writeStringField("events", Long.toString(s.events()));
        g.writeStringField("complete", Boolean.toString(s.complete()));
        g.writeStringField("lostEvents", Long.toString(s.lostEvents()));
        g.writeEndObject();
    }

    // ---- names

    /** The slice's category: what the viewer's legend calls its state. */
    static String category(StateInterval s) {
        if (s.reason() == BlockReason.PARK) {
            return "parked";
        }
        return switch (s.state()) {
            case BLOCKED -> "blocked";
            case WAITING -> "waiting";
            case TIMED_WAITING -> "timed waiting";
            case SLEEPING -> "sleeping";
            case IDLE -> "idle";
            default -> s.state().name().toLowerCase(Locale.ROOT);
        };
    }

    /** "blocked on ...Value@1b6d3586 (#3)", "waiting (waiting in take() on ...)", "timed waiting for thread x". */
    private String name(StateInterval s) {
        String waitText = Causality.waitText(model, s);
        if (waitText != null) {
            return category(s) + " (" + waitText + ")";
        }
        if (s.resource() == 0) {
            return category(s);
        }
        return category(s) + (s.reason().resourceIsThread() ? " for thread " + model.threadName(s.resource())
                : " on " + model.resource(s.resource()).label());
    }

    /** Nanoseconds as exact decimal microseconds: 1234567 → "1234.567", 5000 → "5". */
    static String micros(long nanos) {
        long whole = nanos / 1000;
        long frac = Math.abs(nanos % 1000);
        String sign = nanos < 0 && whole == 0 ? "-" : "";
        if (frac == 0) {
            return sign + whole;
        }
        String digits = String.format(Locale.ROOT, "%03d", frac);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return sign + whole + "." + digits.substring(0, end);
    }
}
