package dev.tangle.model;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceFormat;
import dev.tangle.trace.TraceHeader;
import dev.tangle.trace.TraceReader;
import dev.tangle.trace.TraceWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small traces event by event with the real {@link TraceWriter}, for tests of the model and the
 * detectors. Each event's site is {@code dev.example.App.run(App.java:LINE)} where LINE is the event's time, so
 * evidence can be checked. Threads' events are written in chunks of {@code chunkSize}, thread after thread, so
 * the reader sees them interleaved by chunk as in a real trace.
 */
public final class SyntheticTrace {
    public static final int DAEMON = EventFlags.DAEMON;
    public static final int TIMED = EventFlags.TIMED;
    public static final int TRY = EventFlags.TRY;
    public static final int READ = EventFlags.READ;
    public static final int WRITE = EventFlags.WRITE;
    public static final int INTERRUPTED = EventFlags.INTERRUPTED;
    public static final int TIMED_OUT = EventFlags.TIMED_OUT;
    public static final int FAILED = EventFlags.FAILED;
    public static final int PREEXISTING = EventFlags.PREEXISTING;
    public static final int SNAPSHOT = EventFlags.SNAPSHOT;
    public static final int WATCHED = EventFlags.WATCHED;

    private record Ev(long time, EventKind kind, long obj, int flags, long value, String text, int stack) {
    }

    private record Obj(long id, String className, long owner, long capacity) {
    }

    private final Map<Long, List<Ev>> events = new LinkedHashMap<>();
    private final List<Obj> objects = new ArrayList<>();
    private final List<String[]> stacks = new ArrayList<>();
    private long nextObject = 100;
    private long endTime = -1;
    private boolean complete = true;
    private int chunkSize = 3;
    private long timeScale = 1;

    /** The initialisation of class {@code dev.example.NAME} (its events make it a CLASS_INIT resource). */
    public long classInit(String name) {
        return object("dev.example." + name, 0);
    }

    public long monitor(String name) {
        return object("dev.example." + name, 0);
    }

    public long lock(String name) {
        return object("java.util.concurrent.locks.ReentrantLock", 0);
    }

    public long rwLock(String name) {
        return object("java.util.concurrent.locks.ReentrantReadWriteLock", 0);
    }

    public long condition(long lock) {
        return object("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", lock);
    }

    /** A {@code BlockingQueue} of this class and capacity ({@code Integer.MAX_VALUE} unbounded, 0 hand-off). */
    public long queue(String className, long capacity) {
        return object(className, 0, capacity);
    }

    public long latch(long count) {
        return object("java.util.concurrent.CountDownLatch", 0, count);
    }

    public long semaphore() {
        return object("java.util.concurrent.Semaphore", 0, -1);
    }

    public long barrier(long parties) {
        return object("java.util.concurrent.CyclicBarrier", 0, parties);
    }

    public long exchanger() {
        return object("java.util.concurrent.Exchanger", 0, -1);
    }

    /** A {@code FutureTask}: what {@code submit} queues, and the future it returns. */
    public long futureTask() {
        return object("java.util.concurrent.FutureTask", 0, -1);
    }

    public long completableFuture() {
        return object("java.util.concurrent.CompletableFuture", 0, -1);
    }

    /** A {@code ThreadPoolExecutor} of at most {@code maxSize} threads. */
    public long pool(long maxSize) {
        return object("java.util.concurrent.ThreadPoolExecutor", 0, maxSize);
    }

    private long object(String className, long owner) {
        return object(className, owner, -1);
    }

    private long object(String className, long owner, long capacity) {
        long id = nextObject++;
        objects.add(new Obj(id, className, owner, capacity));
        return id;
    }

    /** THREAD_BEGIN of {@code thread} (flags: DAEMON...). */
    public SyntheticTrace begin(long time, long thread, String name, int flags) {
        return ev(time, thread, EventKind.THREAD_BEGIN, 0, flags, 0, name);
    }

    /** {@code parent} starts {@code child} at {@code time}; the child begins 1 ns later. */
    public SyntheticTrace start(long time, long parent, long child, String name, int flags) {
        ev(time, parent, EventKind.THREAD_START, child, flags, 0, name);
        return begin(time + 1, child, name, flags);
    }

    public SyntheticTrace end(long time, long thread) {
        return ev(time, thread, EventKind.THREAD_END, 0, 0, 0, null);
    }

    public SyntheticTrace ev(long time, long thread, EventKind kind, long obj) {
        return ev(time, thread, kind, obj, 0, 0, null);
    }

    public SyntheticTrace ev(long time, long thread, EventKind kind, long obj, int flags, long value) {
        return ev(time, thread, kind, obj, flags, value, null);
    }

    public SyntheticTrace ev(long time, long thread, EventKind kind, long obj, int flags, long value,
                             String text) {
        return ev(time, thread, kind, obj, flags, value, text, 0);
    }

    /** An event with a stack made by {@link #stack}. */
    public SyntheticTrace ev(long time, long thread, EventKind kind, long obj, int flags, long value, String text,
                             int stack) {
        events.computeIfAbsent(thread, t -> new ArrayList<>())
                .add(new Ev(time, kind, obj, flags, value, text, stack));
        return this;
    }

    /** Defines a stack of frames {@code "pkg.Class.method"} (innermost first, no file); returns its id. */
    public int stack(String... frames) {
        stacks.add(frames);
        return stacks.size();
    }

    /** Like {@link #start} with a creation stack. */
    public SyntheticTrace start(long time, long parent, long child, String name, int flags, int stack) {
        ev(time, parent, EventKind.THREAD_START, child, flags, 0, name, stack);
        return begin(time + 1, child, name, flags);
    }

    /** MONITOR_REQUEST at {@code time} and MONITOR_ACQUIRED 1 ns later. */
    public SyntheticTrace enter(long time, long thread, long monitor) {
        ev(time, thread, EventKind.MONITOR_REQUEST, monitor);
        return ev(time + 1, thread, EventKind.MONITOR_ACQUIRED, monitor, 0, 1);
    }

    public SyntheticTrace exit(long time, long thread, long monitor) {
        return ev(time, thread, EventKind.MONITOR_RELEASE, monitor, 0, 1);
    }

    /** LOCK_REQUEST at {@code time} and LOCK_ACQUIRED 1 ns later, in the mode of {@code flags}. */
    public SyntheticTrace lock(long time, long thread, long lock, int flags) {
        ev(time, thread, EventKind.LOCK_REQUEST, lock, flags, 0);
        return ev(time + 1, thread, EventKind.LOCK_ACQUIRED, lock, flags, 1);
    }

    public SyntheticTrace unlock(long time, long thread, long lock, int flags) {
        return ev(time, thread, EventKind.LOCK_RELEASE, lock, flags, 1);
    }

    /** The trace ends at {@code time} (default: the last event's time). */
    public SyntheticTrace endAt(long time) {
        this.endTime = time;
        return this;
    }

    /** No END chunk: as if the JVM had been killed. */
    public SyntheticTrace incomplete() {
        this.complete = false;
        return this;
    }

    /**
     * Event times are multiplied by {@code scale} when written (the site lines keep the unscaled times), for
     * rules with thresholds in real time.
     */
    public SyntheticTrace timeScale(long scale) {
        this.timeScale = scale;
        return this;
    }

    public SyntheticTrace chunkSize(int size) {
        this.chunkSize = size;
        return this;
    }

    public byte[] bytes() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TraceWriter w = new TraceWriter(out);
            w.writeHeader(new TraceHeader(dev.tangle.trace.TraceFormat.VERSION, "Test", "17", 1,
                    "java dev.example.App", 1_700_000_000_000L, 0,
                    Map.of()));
            List<String> strings = new ArrayList<>(List.of("dev.example.App", "run", "App.java"));
            for (Obj o : objects) {
                strings.add(o.className);
            }
            for (List<Ev> list : events.values()) {
                for (Ev e : list) {
                    if (e.text != null) {
                        strings.add(e.text);
                    }
                }
            }
            for (String[] st : stacks) {
                for (String f : st) {
                    strings.add(f.substring(0, f.lastIndexOf('.')));
                    strings.add(f.substring(f.lastIndexOf('.') + 1));
                }
            }
            w.writeStrings(1, strings.toArray(new String[0]), strings.size());
            long maxTime = 0;
            for (List<Ev> list : events.values()) {
                for (Ev e : list) {
                    maxTime = Math.max(maxTime, e.time);
                }
            }
            int frames = (int) maxTime + 1; // frame id = time + 1, line = time
            int[] cls = new int[frames];
            int[] method = new int[frames];
            int[] file = new int[frames];
            int[] line = new int[frames];
            for (int i = 0; i < frames; i++) {
                cls[i] = 1;
                method[i] = 2;
                file[i] = 3;
                line[i] = i;
            }
            w.writeFrames(1, cls, method, file, line, frames);
            int nextFrame = frames + 1;
            int[][] stackFrames = new int[stacks.size()][];
            for (int i = 0; i < stacks.size(); i++) {
                String[] st = stacks.get(i);
                int[] c = new int[st.length];
                int[] m = new int[st.length];
                stackFrames[i] = new int[st.length];
                for (int j = 0; j < st.length; j++) {
                    c[j] = strings.indexOf(st[j].substring(0, st[j].lastIndexOf('.'))) + 1;
                    m[j] = strings.indexOf(st[j].substring(st[j].lastIndexOf('.') + 1)) + 1;
                    stackFrames[i][j] = nextFrame++;
                }
                w.writeFrames(stackFrames[i].length == 0 ? nextFrame : stackFrames[i][0], c, m, new int[st.length],
                        filled(st.length, -1), st.length);
            }
            if (!stacks.isEmpty()) {
                w.writeStacks(1, stackFrames, stackFrames.length);
            }
            if (!objects.isEmpty()) {
                long[] ids = new long[objects.size()];
                int[] classIds = new int[objects.size()];
                int[] hashes = new int[objects.size()];
                long[] owners = new long[objects.size()];
                long[] capacities = new long[objects.size()];
                for (int i = 0; i < objects.size(); i++) {
                    ids[i] = objects.get(i).id;
                    classIds[i] = 4 + i;
                    hashes[i] = 0x1000 + i;
                    owners[i] = objects.get(i).owner;
                    capacities[i] = objects.get(i).capacity;
                }
                w.writeObjects(ids, classIds, hashes, owners, capacities, objects.size());
            }
            // chunks: round robin over threads, chunkSize events each, so threads interleave as in real traces
            Map<Long, Integer> pos = new LinkedHashMap<>();
            events.keySet().forEach(t -> pos.put(t, 0));
            long total = 0;
            boolean any = true;
            while (any) {
                any = false;
                for (Map.Entry<Long, List<Ev>> entry : events.entrySet()) {
                    List<Ev> list = entry.getValue();
                    int from = pos.get(entry.getKey());
                    if (from >= list.size()) {
                        continue;
                    }
                    any = true;
                    int to = Math.min(list.size(), from + chunkSize);
                    w.beginEvents(entry.getKey(), list.get(from).time * timeScale);
                    for (int i = from; i < to; i++) {
                        Ev e = list.get(i);
                        int text = e.text == null ? 0 : strings.indexOf(e.text) + 1;
                        w.event(e.kind.code(), e.time * timeScale, e.obj, (int) e.time + 1, e.stack, e.flags,
                                e.value, text);
                        total++;
                    }
                    w.endEvents();
                    pos.put(entry.getKey(), to);
                }
            }
            if (complete) {
                w.writeEnd((endTime >= 0 ? endTime : maxTime) * timeScale, total, 0);
            }
            w.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    public TraceModel model() {
        try (TraceReader reader = TraceReader.of(new ByteArrayInputStream(bytes()), "synthetic")) {
            return ModelBuilder.build(reader, "synthetic");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }
}
