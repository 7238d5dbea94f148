package dev.tangle.jfr;

import dev.tangle.dump.DumpMapper;
import dev.tangle.dump.TextThreadDumpParser;
import dev.tangle.dump.ThreadDump;
import dev.tangle.dump.ThreadDumpFormatException;
import dev.tangle.model.ImportedEvents;
import dev.tangle.trace.CallStack;
import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.Frame;
import dev.tangle.trace.ObjectInfo;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps a JFR recording, read with the JDK's own {@code jdk.jfr.consumer.RecordingFile}, to trace events:
 *
 * <ul>
 *   <li>{@code jdk.ThreadStart} / {@code jdk.ThreadEnd}, {@code jdk.VirtualThreadStart} / {@code End}: the thread's
 *       THREAD_START (by its parent), THREAD_BEGIN and THREAD_END; a thread seen without a start existed before the
 *       recording (PREEXISTING);</li>
 *   <li>{@code jdk.JavaMonitorEnter}: a MONITOR_REQUEST at its start and MONITOR_ACQUIRED at its end (released at
 *       once: JFR does not say for how long it was held); its {@code previousOwner} held the monitor just before
 *       (a hold, flagged SNAPSHOT: it makes no lock order);</li>
 *   <li>{@code jdk.JavaMonitorWait}: WAIT_BEGIN / WAIT_END (TIMED, TIMED_OUT), and its {@code notifier}'s NOTIFY
 *       just before the end;</li>
 *   <li>{@code jdk.ThreadPark}: PARK_BEGIN / PARK_END on the blocker ({@code parkedClass}, {@code address});
 *       {@code jdk.ThreadSleep}: SLEEP_BEGIN / SLEEP_END; {@code jdk.VirtualThreadPinned}: a park of the virtual
 *       thread with no blocker (it blocked while pinned to its carrier);</li>
 *   <li>{@code jdk.ThreadDump}: its text is a thread dump ({@link TextThreadDumpParser}); the last one gives what
 *       each thread held and waited for at that moment ({@link DumpMapper}), every one a THREAD_SAMPLE per thread.
 *       A wait that never ends is never written as an event (JFR writes one when it ends), so a deadlock shows
 *       only there.</li>
 * </ul>
 * Monitors of JFR events are told apart by their {@code address}, the objects of dumps by theirs: the two are not
 * matched.
 */
public final class JfrMapper {
    static final Set<String> THRESHOLD_EVENTS = Set.of("jdk.JavaMonitorEnter", "jdk.JavaMonitorWait",
            "jdk.ThreadPark", "jdk.ThreadSleep", "jdk.VirtualThreadPinned");

    /** What was read: the events, the JVM, when it began, and what the recording could not show. */
    public record Mapped(ImportedEvents events, String jvm, long startEpochMillis, long endTime,
                         List<String> blindSpots) {
    }

    private final ImportedEvents out = new ImportedEvents();
    private final Path file;
    private final Map<Long, ThreadFacts> threads = new LinkedHashMap<>();
    private final TreeMap<Long, List<ThreadDump>> dumps = new TreeMap<>();
    private final Map<Long, String> thresholds = new HashMap<>(); // event type id -> threshold
    private final Map<Long, String> typeNames = new HashMap<>();
    private Instant start;
    private long lastEventTime;
    private String jvm = "";
    private int dumpCount;

    private JfrMapper(Path file) {
        this.file = file;
    }

    /** What JFR said about one thread. */
    private static final class ThreadFacts {
        final long id;
        String name;
        long firstSeen = Long.MAX_VALUE;
        long started = -1;
        long parent;
        long ended = -1;
        boolean virtual;
        Frame startSite;
        CallStack startStack;

        ThreadFacts(long id) {
            this.id = id;
        }
    }

    /** Reads the whole recording; a file JFR cannot read fails with its reason. */
    public static Mapped read(Path file) throws IOException {
        JfrMapper m = new JfrMapper(file);
        List<RecordedEvent> events = new ArrayList<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            for (EventType type : recording.readEventTypes()) {
                m.typeNames.put(type.getId(), type.getName());
            }
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String name = e.getEventType().getName();
                if (m.start == null || e.getStartTime().isBefore(m.start)) {
                    m.start = e.getStartTime();
                }
                switch (name) {
                    case "jdk.ThreadStart", "jdk.ThreadEnd", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait",
                         "jdk.ThreadPark", "jdk.ThreadSleep", "jdk.VirtualThreadStart", "jdk.VirtualThreadEnd",
                         "jdk.VirtualThreadPinned", "jdk.ThreadDump" -> events.add(e);
                    case "jdk.JVMInformation" -> m.jvm = e.getString("jvmName") + " " + e.getString("jvmVersion");
                    case "jdk.ActiveSetting" -> {
                        if ("threshold".equals(e.getString("name"))) {
                            m.thresholds.put(e.getLong("id"), e.getString("value"));
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new JfrFormatException(file + ": not a readable JFR recording (" + describe(e) + ")");
        }
        if (m.start == null) {
            throw new JfrFormatException(file + ": a JFR recording without events");
        }
        events.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
        for (RecordedEvent e : events) {
            m.map(e);
        }
        return m.finish();
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private long nanos(Instant t) {
        return Math.max(0, Duration.between(start, t).toNanos());
    }

    private ThreadFacts thread(RecordedThread t, long time) {
        if (t == null || t.getJavaThreadId() <= 0) {
            return null;
        }
        ThreadFacts f = threads.computeIfAbsent(t.getJavaThreadId(), ThreadFacts::new);
        if (t.getJavaName() != null) {
            f.name = t.getJavaName();
        }
        f.firstSeen = Math.min(f.firstSeen, time);
        return f;
    }

    private void map(RecordedEvent e) throws ThreadDumpFormatException {
        String name = e.getEventType().getName();
        long begin = nanos(e.getStartTime());
        long end = Math.max(begin, nanos(e.getEndTime()));
        lastEventTime = Math.max(lastEventTime, end);
        if (name.equals("jdk.ThreadDump")) {
            String text = e.getString("result");
            if (text != null && TextThreadDumpParser.looksLikeDump(text)) {
                dumpCount++;
                List<ThreadDump> parsed = TextThreadDumpParser.parse(text, file + " (jdk.ThreadDump at "
                        + e.getStartTime() + ")");
                dumps.computeIfAbsent(begin, k -> new ArrayList<>()).addAll(parsed);
            }
            return;
        }
        ThreadFacts t = thread(e.getThread(), begin);
        CallStack stack = stack(e.getStackTrace());
        Frame site = stack == null ? null : appFrame(stack);
        switch (name) {
            case "jdk.ThreadStart" -> {
                ThreadFacts child = thread(e.getThread("thread"), begin);
                if (child != null) {
                    child.started = begin;
                    ThreadFacts parent = e.hasField("parentThread") ? thread(e.getThread("parentThread"), begin)
                            : null;
                    child.parent = parent == null ? 0 : parent.id;
                    child.startSite = site;
                    child.startStack = stack;
                }
            }
            case "jdk.ThreadEnd" -> {
                ThreadFacts ended = thread(e.getThread("thread"), begin);
                if (ended != null) {
                    ended.ended = begin;
                }
            }
            case "jdk.VirtualThreadStart", "jdk.VirtualThreadEnd" -> {
                if (t != null) {
                    t.virtual = true;
                    if (name.endsWith("Start")) {
                        t.started = begin;
                    } else {
                        t.ended = begin;
                    }
                }
            }
            case "jdk.JavaMonitorEnter" -> {
                if (t == null) {
                    return;
                }
                ObjectInfo monitor = monitor(e, "monitorClass");
                out.add(begin, t.id, EventKind.MONITOR_REQUEST, monitor, 0, site, stack, 0, 0, null);
                ThreadFacts previous = e.hasField("previousOwner") ? thread(e.getThread("previousOwner"), begin)
                        : null;
                if (previous != null && previous.id != t.id && end - begin >= 3) {
                    // it held the monitor until just before this thread got it
                    out.add(end - 2, previous.id, EventKind.MONITOR_ACQUIRED, monitor, 0, null, null,
                            EventFlags.SNAPSHOT, 1, null);
                    out.add(end - 1, previous.id, EventKind.MONITOR_RELEASE, monitor, 0, null, null, 0, 1, null);
                }
                out.add(end, t.id, EventKind.MONITOR_ACQUIRED, monitor, 0, site, null, 0, 1, null);
                out.add(end, t.id, EventKind.MONITOR_RELEASE, monitor, 0, site, null, 0, 1, null);
            }
            case "jdk.JavaMonitorWait" -> {
                if (t == null) {
                    return;
                }
                ObjectInfo monitor = monitor(e, "monitorClass");
                long timeoutMillis = e.hasField("timeout") ? e.getLong("timeout") : 0;
                boolean timedOut = e.hasField("timedOut") && e.getBoolean("timedOut");
                int timed = timeoutMillis > 0 ? EventFlags.TIMED : 0;
                out.add(begin, t.id, EventKind.WAIT_BEGIN, monitor, 0, site, stack, timed, timeoutMillis * 1_000_000,
                        null);
                ThreadFacts notifier = e.hasField("notifier") ? thread(e.getThread("notifier"), begin) : null;
                if (notifier != null && notifier.id != t.id && end - begin >= 2) {
                    out.add(end - 1, notifier.id, EventKind.NOTIFY, monitor, 0, null, null, 0, 0, null);
                }
                out.add(end, t.id, EventKind.WAIT_END, monitor, 0, site, null, timed
                        | (timedOut ? EventFlags.TIMED_OUT : 0), 1, null);
            }
            case "jdk.ThreadPark" -> {
                if (t == null) {
                    return;
                }
                ObjectInfo blocker = e.hasField("parkedClass") && e.getClass("parkedClass") != null
                        ? monitor(e, "parkedClass") : null;
                long timeout = e.hasField("timeout") ? e.getLong("timeout") : 0;
                boolean until = e.hasField("until") && e.getLong("until") != Long.MIN_VALUE;
                int timed = timeout > 0 || until ? EventFlags.TIMED : 0;
                out.add(begin, t.id, EventKind.PARK_BEGIN, blocker, 0, site, stack, timed, Math.max(0, timeout), null);
                out.add(end, t.id, EventKind.PARK_END, blocker, 0, site, null, 0, 0, null);
            }
            case "jdk.ThreadSleep" -> {
                if (t == null) {
                    return;
                }
                long requested = e.hasField("time") ? e.getLong("time") : 0;
                out.add(begin, t.id, EventKind.SLEEP_BEGIN, null, 0, site, stack, 0, requested, null);
                out.add(end, t.id, EventKind.SLEEP_END, null, 0, site, null, 0, 0, null);
            }
            case "jdk.VirtualThreadPinned" -> {
                if (t == null) {
                    return;
                }
                t.virtual = true;
                out.add(begin, t.id, EventKind.PARK_BEGIN, null, 0, site, stack, 0, 0, "pinned");
                out.add(end, t.id, EventKind.PARK_END, null, 0, site, null, 0, 0, null);
            }
            default -> {
            }
        }
    }

    /** A monitor or blocker by its class and address (JFR's address of the monitor, not the object's). */
    private ObjectInfo monitor(RecordedEvent e, String classField) {
        RecordedClass c = e.getClass(classField);
        String className = c == null ? "?" : c.getName();
        long address = e.hasField("address") ? e.getLong("address") : 0;
        return out.object("jfr:" + className + "@" + Long.toHexString(address), className, (int) address);
    }

    private CallStack stack(RecordedStackTrace trace) {
        if (trace == null) {
            return null;
        }
        List<Frame> frames = new ArrayList<>();
        for (RecordedFrame f : trace.getFrames()) {
            if (f.getMethod() == null || !f.isJavaFrame()) {
                continue;
            }
            frames.add(new Frame(f.getMethod().getType().getName(), f.getMethod().getName(), null,
                    f.getLineNumber() > 0 ? f.getLineNumber() : -1));
        }
        return out.stack(frames);
    }

    /** The first frame outside the JDK: where the program called what blocked it. */
    private static Frame appFrame(CallStack stack) {
        for (Frame f : stack.frames()) {
            String c = f.className();
            if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun."))) {
                return f;
            }
        }
        return stack.frames().get(0);
    }

    private Mapped finish() {
        // the last dump gives the state at its time; every dump gives samples
        Map<Long, Boolean> daemon = new HashMap<>();
        Set<Long> dumped = new java.util.HashSet<>();
        dumps.values().forEach(list -> list.forEach(d -> d.threads().forEach(t -> {
            daemon.put(t.id(), t.daemon());
            dumped.add(t.id());
            threads.computeIfAbsent(t.id(), ThreadFacts::new);
            ThreadFacts f = threads.get(t.id());
            if (f.name == null) {
                f.name = t.name();
            }
        })));
        DumpMapper states = new DumpMapper(out, false);
        long stateTime = lastEventTime + 10;
        if (!dumps.isEmpty()) {
            var lastEntry = dumps.lastEntry();
            dumps.forEach((time, list) -> list.forEach(d -> {
                if (d != lastEntry.getValue().get(lastEntry.getValue().size() - 1)) {
                    states.sample(d, time);
                }
            }));
            List<ThreadDump> last = lastEntry.getValue();
            stateTime = Math.max(lastEntry.getKey(), stateTime);
            states.add(last.get(last.size() - 1), stateTime);
        }
        for (ThreadFacts t : threads.values()) {
            boolean started = t.started >= 0;
            long begin = started ? t.started : 0;
            if (started && t.parent != 0) {
                out.add(begin, t.parent, EventKind.THREAD_START, null, t.id, t.startSite, t.startStack,
                        daemon.getOrDefault(t.id, false) ? EventFlags.DAEMON : 0, 0, t.name);
            }
            out.add(begin, t.id, EventKind.THREAD_BEGIN, null, 0, null, null,
                    // always PREEXISTING: a recording ends while the program may run on, so threads alive at its
                    // end are no leak, and what came before it is unknown
                    EventFlags.PREEXISTING | (dumped.contains(t.id) ? EventFlags.SNAPSHOT : 0)
                            | (daemon.getOrDefault(t.id, false) ? EventFlags.DAEMON : 0)
                            | (t.virtual ? EventFlags.VIRTUAL : 0), 0, t.name);
            if (t.ended >= 0) {
                out.add(Math.max(t.ended, begin), t.id, EventKind.THREAD_END, null, 0, null, null, 0, 0, null);
            }
        }
        return new Mapped(out, jvm, start.toEpochMilli(), Math.max(stateTime, lastEventTime), blindSpots());
    }

    private List<String> blindSpots() {
        List<String> spots = new ArrayList<>();
        Map<String, String> byName = new TreeMap<>();
        thresholds.forEach((id, value) -> {
            String type = typeNames.get(id);
            if (type != null && THRESHOLD_EVENTS.contains(type)) {
                byName.put(type, value);
            }
        });
        spots.add("thresholds: JFR writes a monitor entry, wait, park or sleep only when it lasted at least its"
                + " threshold (20 ms in default.jfc, 10 ms in profile.jfc); shorter ones are not seen"
                + (byName.isEmpty() ? "" : " (this recording: " + String.join(", ", byName.entrySet().stream()
                .map(en -> en.getKey() + " " + en.getValue()).toList()) + ")"));
        spots.add("holds: JFR records contended monitor entries, not holds: who held a monitor is known only as"
                + " the previous owner of a contended entry, for how long is not known, and monitors never contended"
                + " are not seen; java.util.concurrent locks appear only as parks on their synchronizer");
        spots.add("lockOrder: a recording has no lock order (no POTENTIAL_DEADLOCK), and it ends while the program may"
                + " run on (no THREAD_LEAK)");
        if (dumps.values().stream().flatMap(List::stream).anyMatch(d -> !d.listsOwnableSynchronizers())) {
            spots.add("synchronizers: JFR's thread dumps do not list ownable synchronizers: who holds a"
                    + " ReentrantLock is not known, so a deadlock of java.util.concurrent locks is not seen");
        }
        spots.add("hangs: JFR writes a wait when it ends, so a wait that never ends (a deadlock) shows only in"
                + " jdk.ThreadDump events (default.jfc: at the start and end of each chunk; profile.jfc: every"
                + " 60 s; add e.g. jdk.ThreadDump#period=10s)" + (dumpCount == 0
                ? "; this recording has none, so no deadlock can be seen in it"
                : "; this recording has " + dumpCount + ", the last one gives the state at its time"));
        return spots;
    }
}
