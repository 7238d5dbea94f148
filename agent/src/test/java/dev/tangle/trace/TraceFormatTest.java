package dev.tangle.trace;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class TraceFormatTest {

    // ------------------------------------------------------------------ a trace builder that knows what it wrote

    /**
     * Writes a trace through {@link TraceWriter} and keeps, next to it, the events a reader must return and the
     * byte offset at which every chunk ends.
     */
    static final class Built {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TraceWriter writer = new TraceWriter(bytes);
        final List<String> strings = new ArrayList<>(List.of(""));
        final List<Frame> frames = new ArrayList<>(Arrays.asList((Frame) null));
        final List<CallStack> stacks = new ArrayList<>(Arrays.asList((CallStack) null));
        final Map<Long, ObjectInfo> objects = new HashMap<>();
        final List<TraceEvent> expected = new ArrayList<>();
        /** Offsets where chunks start/end (the first is the end of the magic). */
        final List<Long> boundaries = new ArrayList<>();
        /** For each boundary, how many events the chunks before it hold. */
        final List<Integer> eventsBefore = new ArrayList<>();
        TraceHeader header;
        private long thread;

        Built header(TraceHeader h) throws IOException {
            header = h;
            boundaries.add((long) TraceFormat.MAGIC.length);
            eventsBefore.add(0);
            writer.writeHeader(h); // the magic, then the header chunk
            mark();
            return this;
        }

        private void mark() {
            boundaries.add(writer.bytesWritten());
            eventsBefore.add(expected.size());
        }

        int string(String s) throws IOException {
            int id = strings.size();
            strings.add(s);
            writer.writeStrings(id, new String[] {s}, 1);
            mark();
            return id;
        }

        int[] strings(String... ss) throws IOException {
            int first = strings.size();
            int[] ids = new int[ss.length];
            for (int i = 0; i < ss.length; i++) {
                ids[i] = first + i;
                strings.add(ss[i]);
            }
            writer.writeStrings(first, ss, ss.length);
            mark();
            return ids;
        }

        /** Frames given as {classId, methodId, fileId, line} rows. */
        int[] frames(int[]... rows) throws IOException {
            int first = frames.size();
            int n = rows.length;
            int[] c = new int[n];
            int[] m = new int[n];
            int[] f = new int[n];
            int[] l = new int[n];
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                c[i] = rows[i][0];
                m[i] = rows[i][1];
                f[i] = rows[i][2];
                l[i] = rows[i][3];
                ids[i] = first + i;
                frames.add(new Frame(strings.get(c[i]), strings.get(m[i]), f[i] == 0 ? null : strings.get(f[i]),
                        l[i]));
            }
            writer.writeFrames(first, c, m, f, l, n);
            mark();
            return ids;
        }

        int[] stacks(int[]... frameIds) throws IOException {
            int first = stacks.size();
            int[] ids = new int[frameIds.length];
            for (int i = 0; i < frameIds.length; i++) {
                ids[i] = first + i;
                List<Frame> fs = new ArrayList<>();
                for (int f : frameIds[i]) {
                    fs.add(frames.get(f));
                }
                stacks.add(new CallStack(ids[i], fs));
            }
            writer.writeStacks(first, frameIds, frameIds.length);
            mark();
            return ids;
        }

        void objects(ObjectInfo... infos) throws IOException {
            int n = infos.length;
            long[] ids = new long[n];
            int[] cls = new int[n];
            int[] hash = new int[n];
            long[] owner = new long[n];
            long[] capacity = new long[n];
            for (int i = 0; i < n; i++) {
                capacity[i] = infos[i].capacity();
                ids[i] = infos[i].id();
                cls[i] = strings.indexOf(infos[i].className());
                assertThat(cls[i]).isPositive();
                hash[i] = infos[i].identityHash();
                owner[i] = infos[i].ownerId();
                objects.put(ids[i], infos[i]);
            }
            writer.writeObjects(ids, cls, hash, owner, capacity, n);
            mark();
        }

        void beginEvents(long threadId, long baseTime) {
            thread = threadId;
            writer.beginEvents(threadId, baseTime);
        }

        void event(EventKind kind, long time, long objectId, int site, int stack, int flags, long value, int text) {
            writer.event(kind.code(), time, objectId, site, stack, flags, value, text);
            ObjectInfo object = objectId == 0 || kind.objectIsThread() ? null : objects.get(objectId);
            expected.add(new TraceEvent(time, thread, kind, objectId, object,
                    frames.get(site), stacks.get(stack), flags, value, text == 0 ? null : strings.get(text)));
        }

        void endEvents() throws IOException {
            writer.endEvents();
            mark();
        }

        void end(long endTime, long lost) throws IOException {
            writer.writeEnd(endTime, expected.size(), lost);
            mark();
        }

        byte[] toByteArray() {
            byte[] b = bytes.toByteArray();
            assertThat((long) b.length).isEqualTo(writer.bytesWritten());
            return b;
        }
    }

    static TraceHeader header() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("agent.options", "out=/tmp/t.tngl,stacks=first");
        props.put("blind.spots", "");
        props.put("ünïcødé", "☃ snow");
        return new TraceHeader(TraceFormat.VERSION, "Eclipse Adoptium", "17.0.9+9", 123456789L,
                "java -javaagent:tangle-agent.jar -jar app.jar --flag", 1_700_000_000_123L, -987_654_321_000L, props);
    }

    static final long MAIN = 1;
    static final long WORKER = 1L << 33; // a thread id that needs a long varint

    /** A trace with every chunk type, every event kind and every field, including extreme values. */
    static Built fullTrace() throws IOException {
        Built b = new Built().header(header());
        int[] s = b.strings("com.example.Bank", "transfer", "Bank.java", "run",
                "java.util.concurrent.locks.ReentrantLock",
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "main",
                "worker-1 ☃ ünïcødé \u0000 tab\t", "java.lang.IllegalStateException", "", "renamed-worker",
                "java.util.concurrent.LinkedBlockingQueue", "java.util.concurrent.SynchronousQueue");
        int sBank = s[0], sTransfer = s[1], sFile = s[2], sRun = s[3], sLock = s[4], sCond = s[5], sMain = s[6],
                sWorker = s[7], sExc = s[8], sEmpty = s[9], sRenamed = s[10];
        int[] f = b.frames(new int[] {sBank, sTransfer, sFile, 42}, new int[] {sBank, sRun, 0, -1},
                new int[] {sBank, sEmpty, sFile, Integer.MAX_VALUE}, new int[] {sLock, sRun, sFile, 0});
        int[] deep = new int[9];
        for (int i = 0; i < deep.length; i++) {
            deep[i] = f[i % f.length];
        }
        int[] k = b.stacks(new int[] {f[0], f[1]}, new int[] {f[1]}, deep, new int[0]);
        ObjectInfo lock = new ObjectInfo(1, "java.util.concurrent.locks.ReentrantLock", 0x1b6d3586, 0);
        ObjectInfo cond = new ObjectInfo(2, "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
                -1, 1);
        ObjectInfo big = new ObjectInfo(Long.MAX_VALUE, "com.example.Bank", Integer.MIN_VALUE, 0);
        ObjectInfo ownedByBig = new ObjectInfo(1L << 40, "java.util.concurrent.locks.ReentrantLock", 0,
                Long.MAX_VALUE);
        ObjectInfo unbounded = new ObjectInfo(4, "java.util.concurrent.LinkedBlockingQueue", 7, 0,
                Integer.MAX_VALUE);
        ObjectInfo handOff = new ObjectInfo(5, "java.util.concurrent.SynchronousQueue", 8, 0, 0);
        b.objects(lock, cond, big, ownedByBig, unbounded, handOff);
        // a definition after some other chunks: strings ids keep counting
        int sLate = b.string("late string");

        int all = EventFlags.READ | EventFlags.WRITE | EventFlags.TIMED | EventFlags.INTERRUPTED
                | EventFlags.TIMED_OUT | EventFlags.DAEMON | EventFlags.VIRTUAL | EventFlags.PREEXISTING
                | EventFlags.DEADLINE | EventFlags.TRY | EventFlags.FAILED | EventFlags.SNAPSHOT;

        long t = 1_000_000_000_000L;
        b.beginEvents(MAIN, t);
        b.event(EventKind.THREAD_BEGIN, t, 0, 0, 0, EventFlags.PREEXISTING, 0, sMain);
        b.event(EventKind.THREAD_START, t += 10, WORKER, f[0], k[0], EventFlags.DAEMON | EventFlags.VIRTUAL, 0,
                sWorker);
        b.event(EventKind.MONITOR_REQUEST, t += 0, 3, f[0], k[2], 0, 0, 0); // undefined object 3: object null
        b.event(EventKind.MONITOR_ACQUIRED, t += 1, 3, f[0], 0, 0, 1, 0);
        b.event(EventKind.MONITOR_ACQUIRED, t += 127, 3, f[0], 0, 0, 2, 0);
        b.event(EventKind.WAIT_BEGIN, t += 128, 3, f[1], k[1], EventFlags.TIMED, 2, 0);
        b.event(EventKind.WAIT_END, t += 1L << 40, 3, f[1], 0, EventFlags.INTERRUPTED, 2, 0);
        b.event(EventKind.NOTIFY, t += 5, 3, f[1], 0, 0, 0, 0);
        b.event(EventKind.NOTIFY_ALL, t += 5, 3, f[1], 0, 0, 0, 0);
        b.event(EventKind.MONITOR_RELEASE, t += 5, 3, f[2], 0, 0, 2, 0);
        b.event(EventKind.MONITOR_RELEASE, t += 5, 3, f[2], 0, 0, 1, 0);
        b.event(EventKind.LOCK_REQUEST, t += 5, 1, f[3], k[3], EventFlags.TIMED | EventFlags.TRY, 1_000_000, 0);
        b.event(EventKind.LOCK_ACQUIRED, t += 5, 1, f[3], 0, EventFlags.WRITE, 1, 0);
        b.event(EventKind.CONDITION_AWAIT_BEGIN, t += 5, 2, f[3], k[0], EventFlags.TIMED, Long.MAX_VALUE, 0);
        b.event(EventKind.CONDITION_AWAIT_END, t += 5, 2, f[3], 0, EventFlags.TIMED_OUT, 0, 0);
        b.event(EventKind.CONDITION_SIGNAL, t += 5, 2, f[3], 0, 0, 0, 0);
        b.event(EventKind.CONDITION_SIGNAL_ALL, t += 5, 2, f[3], 0, 0, 0, 0);
        b.event(EventKind.LOCK_RELEASE, t += 5, 1, f[3], 0, EventFlags.WRITE, 1, 0);
        b.event(EventKind.LOCK_TRY_FAILED, t += 5, Long.MAX_VALUE, f[0], 0, EventFlags.READ | EventFlags.TIMED_OUT,
                -1, 0);
        b.endEvents();

        long w = t - 3_000; // another thread's chunk, earlier in time: readers merge by time
        b.beginEvents(WORKER, w);
        b.event(EventKind.THREAD_BEGIN, w, 0, 0, 0, 0, 0, sWorker);
        b.event(EventKind.PARK_BEGIN, w += 300, 1L << 40, f[1], 0, EventFlags.TIMED | EventFlags.DEADLINE,
                1_700_000_000_999L, 0);
        b.event(EventKind.PARK_END, w += 300, 1L << 40, f[1], 0, 0, 0, 0);
        b.event(EventKind.UNPARK, w += 1, MAIN, f[1], 0, 0, 0, 0);
        b.event(EventKind.JOIN_BEGIN, w += 1, MAIN, f[1], 0, EventFlags.TIMED, 50, 0);
        b.event(EventKind.JOIN_END, w += 1, MAIN, f[1], 0, EventFlags.TIMED_OUT, 0, 0);
        b.event(EventKind.SLEEP_BEGIN, w += 1, 0, f[1], 0, 0, Long.MIN_VALUE, 0);
        b.event(EventKind.SLEEP_END, w += 1, 0, f[1], 0, EventFlags.INTERRUPTED, 0, 0);
        b.event(EventKind.INTERRUPT, w += 1, MAIN, f[1], 0, 0, 0, 0);
        b.event(EventKind.THREAD_RENAME, w += 1, WORKER, f[1], 0, 0, 0, sRenamed);
        b.event(EventKind.LOST_EVENTS, w += 1, 0, 0, 0, 0, 17, 0);
        b.event(EventKind.LEAF_HOLDS, w += 1, 1, f[0], 0, 0, 4096, 0); // version 3
        b.event(EventKind.LOCK_REQUEST, w += 1, 1, f[0], 0, all, -123_456_789, sLate);
        b.event(EventKind.LOCK_REQUEST, w += 1, 1, f[0], 0, Integer.MAX_VALUE, Long.MIN_VALUE + 1, sEmpty);
        // version 2 kinds: each once, with the fields the format table gives it
        b.event(EventKind.CHANNEL_SEND_BEGIN, w += 1, 5, f[2], k[0], EventFlags.TIMED, 1_000_000, sLate);
        b.event(EventKind.CHANNEL_SEND_END, w += 1, 5, f[2], 0, EventFlags.TIMED_OUT, 0, sLate);
        b.event(EventKind.CHANNEL_RECV_BEGIN, w += 1, 4, f[2], 0, EventFlags.TRY, 0, sEmpty);
        b.event(EventKind.CHANNEL_RECV_END, w += 1, 4, f[2], 0, EventFlags.TRY | EventFlags.FAILED, 0, sEmpty);
        b.event(EventKind.EXCHANGE_BEGIN, w += 1, Long.MAX_VALUE, f[2], 0, 0, 0, 0);
        b.event(EventKind.EXCHANGE_END, w += 1, Long.MAX_VALUE, f[2], 0, EventFlags.INTERRUPTED, 0, 0);
        b.event(EventKind.LATCH_COUNT_DOWN, w += 1, Long.MAX_VALUE, f[2], 0, 0, 2, 0);
        b.event(EventKind.LATCH_AWAIT_BEGIN, w += 1, Long.MAX_VALUE, f[2], 0, 0, 0, 0);
        b.event(EventKind.LATCH_AWAIT_END, w += 1, Long.MAX_VALUE, f[2], 0, 0, 0, 0);
        b.event(EventKind.SEMAPHORE_ACQUIRE_BEGIN, w += 1, Long.MAX_VALUE, f[2], 0, EventFlags.TRY, 3, 0);
        b.event(EventKind.SEMAPHORE_ACQUIRE_END, w += 1, Long.MAX_VALUE, f[2], 0,
                EventFlags.TRY | EventFlags.FAILED, 3, 0);
        b.event(EventKind.SEMAPHORE_RELEASE, w += 1, Long.MAX_VALUE, f[2], 0, 0, 1, 0);
        b.event(EventKind.BARRIER_AWAIT_BEGIN, w += 1, Long.MAX_VALUE, f[2], 0, 0, 0, sLate);
        b.event(EventKind.BARRIER_AWAIT_END, w += 1, Long.MAX_VALUE, f[2], 0, EventFlags.FAILED, 4, sLate);
        b.event(EventKind.PHASER_ARRIVE, w += 1, Long.MAX_VALUE, f[2], 0, 0, 9, sLate);
        b.event(EventKind.PHASER_REGISTER, w += 1, Long.MAX_VALUE, f[2], 0, 0, 2, 0);
        b.event(EventKind.FUTURE_GET_BEGIN, w += 1, Long.MAX_VALUE, f[2], 0, 0, 0, sLate);
        b.event(EventKind.FUTURE_GET_END, w += 1, Long.MAX_VALUE, f[2], 0, EventFlags.FAILED, 0, sLate);
        b.event(EventKind.FUTURE_COMPLETE, w += 1, Long.MAX_VALUE, f[2], 0, 0, 0, sLate);
        b.event(EventKind.POOL_CREATE, w += 1, Long.MAX_VALUE, f[2], k[1], 0, 4, sLate);
        b.event(EventKind.TASK_SUBMIT, w += 1, 1L << 40, f[2], 0, 0, Long.MAX_VALUE, 0);
        b.event(EventKind.TASK_BEGIN, w += 1, 1L << 40, 0, 0, 0, Long.MAX_VALUE, 0);
        b.event(EventKind.TASK_END, w += 1, 1L << 40, 0, 0, EventFlags.FAILED, 0, 0);
        b.event(EventKind.WORKER_IDLE_BEGIN, w += 1, Long.MAX_VALUE, 0, 0, 0, 0, 0);
        b.event(EventKind.WORKER_IDLE_END, w += 1, Long.MAX_VALUE, 0, 0, 0, 0, 0);
        b.event(EventKind.POOL_SHUTDOWN, w += 1, Long.MAX_VALUE, f[2], 0, 0, 0, sLate);
        b.event(EventKind.POOL_AWAIT_BEGIN, w += 1, Long.MAX_VALUE, f[2], 0, EventFlags.TIMED, 5, 0);
        b.event(EventKind.POOL_AWAIT_END, w += 1, Long.MAX_VALUE, f[2], 0,
                EventFlags.TIMED_OUT | EventFlags.SNAPSHOT, 0, 0);
        b.event(EventKind.TEST_BEGIN, w += 1, 0, 0, 0, 0, 1, sLate);
        b.event(EventKind.TEST_END, w += 1, 0, 0, 0, EventFlags.FAILED, 1, sLate);
        b.event(EventKind.CLASS_INIT_BEGIN, w += 1, Long.MAX_VALUE, f[2], 0, 0, 0, 0);
        b.event(EventKind.CLASS_INIT_END, w += 1, Long.MAX_VALUE, f[2], 0, EventFlags.FAILED, 0, 0);
        b.event(EventKind.THREAD_STATE, w += 1, 0, 0, 0, EventFlags.WATCHED, 2, sLate);
        b.event(EventKind.CLASS_INIT_WAIT, w, Long.MAX_VALUE, f[2], 0, EventFlags.WATCHED, WORKER, 0);
        // never written by the agent (made from thread dumps), but a reader of the format reads it
        b.event(EventKind.THREAD_SAMPLE, w += 1, 0, f[2], k[1], EventFlags.SNAPSHOT, Thread.State.RUNNABLE.ordinal(),
                0);
        b.event(EventKind.THREAD_END, w += 1, 0, 0, 0, 0, 0, sExc);
        b.endEvents();

        b.beginEvents(MAIN, t);
        b.event(EventKind.THREAD_END, t + 1, 0, 0, 0, 0, 0, 0);
        b.endEvents();
        b.beginEvents(MAIN, t + 1); // an empty event chunk is legal
        b.endEvents();
        b.end(t + 100, 17);
        return b;
    }

    // ------------------------------------------------------------------ reading helpers

    record Read(List<TraceEvent> events, TraceReader reader) {
    }

    static TraceReader open(byte[] bytes) throws IOException {
        return TraceReader.of(new ByteArrayInputStream(bytes), "test.tngl");
    }

    static Read readAll(byte[] bytes) throws IOException {
        TraceReader r = open(bytes);
        List<TraceEvent> events = new ArrayList<>();
        for (TraceEvent e = r.next(); e != null; e = r.next()) {
            events.add(e);
        }
        assertThat(r.next()).isNull(); // stays at the end
        return new Read(events, r);
    }

    /** One raw chunk with a correct checksum. */
    static byte[] rawChunk(int type, byte[] payload) {
        byte[] c = new byte[TraceFormat.CHUNK_HEAD_BYTES + payload.length + TraceFormat.CHUNK_TAIL_BYTES];
        c[0] = (byte) type;
        putU32(c, 1, payload.length);
        System.arraycopy(payload, 0, c, 5, payload.length);
        CRC32C crc = new CRC32C();
        crc.update(c, 0, 5 + payload.length);
        putU32(c, 5 + payload.length, (int) crc.getValue());
        return c;
    }

    static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] prefix(byte[] b, long n) {
        return Arrays.copyOf(b, (int) n);
    }

    /** A minimal valid trace prefix (magic + header) and a builder positioned after it, for malformed tails. */
    static Built minimal() throws IOException {
        return new Built().header(header());
    }

    // ------------------------------------------------------------------ round trip

    @Test
    void roundTripsEveryKindAndField() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        Read read = readAll(bytes);
        TraceReader r = read.reader();

        assertThat(r.header()).isEqualTo(b.header);
        assertThat(r.header().properties()).containsEntry("ünïcødé", "☃ snow").containsEntry("blind.spots", "");
        assertThat(read.events()).containsExactlyElementsOf(b.expected);
        assertThat(read.events()).extracting(TraceEvent::kind).containsAll(Arrays.asList(EventKind.values()));

        assertThat(r.isComplete()).isTrue();
        assertThat(r.truncatedBytes()).isZero();
        assertThat(r.lostEvents()).isEqualTo(17);
        assertThat(r.eventsRead()).isEqualTo(b.expected.size());
        assertThat(r.endTime()).isEqualTo(b.expected.get(18).time() + 100);
        assertThat(r.warnings()).singleElement().asString().contains("could not record 17 events");
        assertThat(r.threadName(MAIN)).isEqualTo("main");
        assertThat(r.threadName(WORKER)).isEqualTo("renamed-worker");
        assertThat(r.threadNames()).containsEntry(MAIN, "main").containsEntry(WORKER, "renamed-worker");
        assertThat(r.object(2)).isEqualTo(new ObjectInfo(2,
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", -1, 1));
        assertThat(r.object(1L << 40).ownerId()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.object(1L << 40).capacity()).isEqualTo(-1);
        assertThat(r.object(4).capacity()).isEqualTo(Integer.MAX_VALUE);
        assertThat(r.object(5).capacity()).isZero();
        assertThat(r.object(3)).isNull();

        TraceEvent deep = read.events().get(2);
        assertThat(deep.stack().frames()).hasSize(9);
        assertThat(deep.object()).isNull();
        TraceEvent first = read.events().get(1);
        assertThat(first.site().toString()).isEqualTo("com.example.Bank.transfer(Bank.java:42)");
        assertThat(read.events().get(5).site().toString()).isEqualTo("com.example.Bank.run(Unknown Source)");
    }

    @Test
    void readsFromAFileAndClosesIt() throws IOException {
        Path file = Files.createTempFile("tangle", ".tngl");
        try {
            Built b = fullTrace();
            Files.write(file, b.toByteArray());
            List<TraceEvent> events = new ArrayList<>();
            try (TraceReader r = TraceReader.open(file)) {
                for (TraceEvent e = r.next(); e != null; e = r.next()) {
                    events.add(e);
                }
                assertThat(r.isComplete()).isTrue();
            }
            assertThat(events).containsExactlyElementsOf(b.expected);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aTraceWithoutEndChunkIsReadButNotComplete() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        byte[] noEnd = prefix(bytes, b.boundaries.get(b.boundaries.size() - 2));
        Read read = readAll(noEnd);
        assertThat(read.events()).containsExactlyElementsOf(b.expected);
        assertThat(read.reader().isComplete()).isFalse();
        assertThat(read.reader().truncatedBytes()).isZero();
        assertThat(read.reader().endTime()).isEqualTo(-1);
        assertThat(read.reader().warnings()).anySatisfy(w -> assertThat(w).contains("no end marker"));
    }

    // ------------------------------------------------------------------ truncation

    @Test
    void truncationAtEveryOffsetYieldsTheCompleteChunks() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        long headerEnd = b.boundaries.get(1);
        for (long cut = headerEnd; cut < bytes.length; cut++) {
            int chunk = 0; // the last boundary at or before cut
            while (chunk + 1 < b.boundaries.size() && b.boundaries.get(chunk + 1) <= cut) {
                chunk++;
            }
            long boundary = b.boundaries.get(chunk);
            Read read;
            try {
                read = readAll(prefix(bytes, cut));
            } catch (Exception e) {
                throw new AssertionError("cut at " + cut + ": " + e, e);
            }
            TraceReader r = read.reader();
            assertThat(read.events()).as("events when cut at %d", cut)
                    .containsExactlyElementsOf(b.expected.subList(0, b.eventsBefore.get(chunk)));
            assertThat(r.truncatedBytes()).as("truncated bytes when cut at %d", cut).isEqualTo(cut - boundary);
            assertThat(r.isComplete()).isFalse();
            assertThat(r.warnings()).as("warnings when cut at %d", cut).isNotEmpty();
            if (cut > boundary) {
                assertThat(r.warnings().get(0)).contains("truncated", "dropped the last " + (cut - boundary)
                        + " bytes");
            } else {
                assertThat(r.warnings().get(0)).contains("no end marker");
            }
        }
    }

    @Test
    void truncationInsideTheHeaderIsAnError() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        for (int cut = TraceFormat.MAGIC.length; cut < b.boundaries.get(1); cut++) {
            byte[] cutBytes = prefix(bytes, cut);
            assertThatThrownBy(() -> open(cutBytes)).isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("no trace header");
        }
    }

    @Test
    void zeroFilledTailIsTruncation() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        long endStart = b.boundaries.get(b.boundaries.size() - 2);
        byte[] zeroed = concat(prefix(bytes, endStart), new byte[4096]);
        Read read = readAll(zeroed);
        assertThat(read.events()).containsExactlyElementsOf(b.expected);
        assertThat(read.reader().truncatedBytes()).isEqualTo(4096);
        assertThat(read.reader().warnings()).isNotEmpty();
    }

    @Test
    void zeroedChunkHeadFollowedByDataIsCorruptionNotTruncation() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        // zero the head (type and length) of the first event chunk: the chunks after it are still there
        int firstEvents = -1;
        for (int i = 0; i < b.boundaries.size() - 1; i++) {
            if (b.eventsBefore.get(i + 1) > 0) {
                firstEvents = i;
                break;
            }
        }
        long start = b.boundaries.get(firstEvents);
        byte[] bad = bytes.clone();
        Arrays.fill(bad, (int) start, (int) start + TraceFormat.CHUNK_HEAD_BYTES, (byte) 0);
        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(TraceFormatException.class)
                .satisfies(e -> assertThat(((TraceFormatException) e).offset()).isEqualTo(start))
                .hasMessageContaining("at byte offset " + start);
    }

    // ------------------------------------------------------------------ corruption

    @Test
    void aFlippedByteInAnyChunkIsReportedAtThatChunksStart() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        for (int c = 0; c + 1 < b.boundaries.size(); c++) {
            long start = b.boundaries.get(c);
            long end = b.boundaries.get(c + 1);
            // the type byte, the payload and the checksum (a changed length may look like truncation)
            for (long at = start; at < end; at++) {
                if (at > start && at < start + TraceFormat.CHUNK_HEAD_BYTES) {
                    continue;
                }
                for (int bit : new int[] {0x01, 0x80, 0xFF}) {
                    byte[] bad = bytes.clone();
                    bad[(int) at] ^= (byte) bit;
                    final long offset = at;
                    assertThatThrownBy(() -> readAll(bad)).as("byte %d flipped with %x", offset, bit)
                            .isInstanceOf(TraceFormatException.class)
                            .hasMessageContaining("at byte offset " + start)
                            .satisfies(e -> assertThat(((TraceFormatException) e).offset()).isEqualTo(start));
                }
            }
        }
    }

    @Test
    void aChecksumErrorSaysSo() throws IOException {
        Built b = fullTrace();
        byte[] bad = b.toByteArray();
        long start = b.boundaries.get(3);
        bad[(int) start + TraceFormat.CHUNK_HEAD_BYTES] ^= 0x10;
        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(TraceFormatException.class)
                .hasMessage("corrupt chunk: checksum mismatch at byte offset " + start);
    }

    @Test
    void anImpossibleChunkLengthIsAnError() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        long start = b.boundaries.get(2);
        for (int length : new int[] {-1, Integer.MIN_VALUE, TraceFormat.MAX_CHUNK_PAYLOAD + 1}) {
            byte[] bad = bytes.clone();
            putU32(bad, (int) start + 1, length);
            assertThatThrownBy(() -> readAll(bad)).isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("impossible length " + (length & 0xFFFFFFFFL))
                    .satisfies(e -> assertThat(((TraceFormatException) e).offset()).isEqualTo(start));
        }
    }

    @Test
    void anEmptyFileIsNotATrace() {
        assertThatThrownBy(() -> open(new byte[0])).isInstanceOf(TraceFormatException.class)
                .hasMessage("test.tngl is not a Tangle trace (wrong magic: file too short) at byte offset 0");
    }

    @Test
    void aWrongMagicIsNotATrace() throws IOException {
        byte[] bytes = fullTrace().toByteArray();
        byte[] text = "TNGL\n\u001a\n and more text".getBytes(StandardCharsets.US_ASCII); // a text-mode copy
        assertThatThrownBy(() -> open(text)).isInstanceOf(TraceFormatException.class)
                .hasMessage("test.tngl is not a Tangle trace (wrong magic) at byte offset 0");
        byte[] bad = bytes.clone();
        bad[0] = 'X';
        assertThatThrownBy(() -> open(bad)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("not a Tangle trace (wrong magic)");
        assertThatThrownBy(() -> open(prefix(bytes, 3))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("file too short");
    }

    @Test
    void magicWithoutHeaderIsNotATrace() throws IOException {
        assertThatThrownBy(() -> open(TraceFormat.MAGIC.clone())).isInstanceOf(TraceFormatException.class)
                .hasMessage("test.tngl has no trace header at byte offset 8");
        byte[] eventsFirst = concat(TraceFormat.MAGIC, rawChunk(TraceFormat.CHUNK_END, new byte[] {0, 0, 0}));
        assertThatThrownBy(() -> open(eventsFirst)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("no trace header");
    }

    @Test
    void olderFormatVersionsAreStillRead() throws IOException {
        for (int v = TraceFormat.OLDEST_READABLE_VERSION; v < TraceFormat.VERSION; v++) {
            Built b = new Built();
            TraceHeader h = header();
            b.header(new TraceHeader(v, h.jvmVendor(), h.jvmVersion(), h.pid(), h.command(),
                    h.startEpochMillis(), h.startNanoTime(), h.properties()));
            byte[] bytes = b.toByteArray();
            try (TraceReader r = open(bytes)) {
                assertThat(r.header().formatVersion()).isEqualTo(v);
                assertThat(r.next()).isNull();
            }
        }
    }

    /**
     * Version 4 stores hold counts less one (count 1, nearly every hold, then costs no byte); traces of older
     * versions stored the count itself and read back as they were written.
     */
    @Test
    void holdCountsAreStoredLessOneSinceVersionFourAndOlderTracesReadAsWritten() throws IOException {
        int[] kinds = {EventKind.MONITOR_ACQUIRED.code(), EventKind.LOCK_RELEASE.code(),
                EventKind.MONITOR_RELEASE.code(), EventKind.LEAF_HOLDS.code(), EventKind.WAIT_END.code(),
                EventKind.LOCK_ACQUIRED.code(), EventKind.LOCK_REQUEST.code()};
        long[] counts = {1, 2, 0, 4096, 1, -5, 7};
        for (int version : new int[] {3, 4, TraceFormat.VERSION}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TraceWriter w = new TraceWriter(bytes);
            TraceHeader h = header();
            w.writeHeader(new TraceHeader(version, h.jvmVendor(), h.jvmVersion(), h.pid(), h.command(),
                    h.startEpochMillis(), h.startNanoTime(), h.properties()));
            w.beginEvents(MAIN, 0);
            for (int i = 0; i < kinds.length; i++) {
                // a version 3 writer stored the count itself; this writer stores one less for these kinds
                boolean lessOne = TraceFormat.storesCountLessOne(kinds[i]);
                w.event(kinds[i], i, 0, 0, 0, 0, version < 4 && lessOne ? counts[i] + 1 : counts[i], 0);
            }
            w.endEvents();
            w.writeEnd(kinds.length, kinds.length, 0);
            try (TraceReader r = open(bytes.toByteArray())) {
                for (int i = 0; i < kinds.length; i++) {
                    TraceEvent e = r.next();
                    assertThat(e.kind().code()).isEqualTo(kinds[i]);
                    assertThat(e.value()).as("version %d, %s", version, e.kind()).isEqualTo(counts[i]);
                }
            }
        }
        // a hold count of 1 costs nothing: an acquisition is as long as a request
        TraceWriter w = new TraceWriter(new ByteArrayOutputStream());
        long[] chunkBytes = new long[2];
        int[] kindOfChunk = {EventKind.LOCK_REQUEST.code(), EventKind.LOCK_ACQUIRED.code()};
        for (int c = 0; c < 2; c++) {
            long before = w.bytesWritten();
            w.beginEvents(MAIN, 0);
            w.event(kindOfChunk[c], 0, 1, 1, 0, 0, c, 0); // a request without value, an acquisition of count 1
            w.endEvents();
            chunkBytes[c] = w.bytesWritten() - before;
        }
        assertThat(chunkBytes[1]).isEqualTo(chunkBytes[0]);
    }

    /**
     * Version 5 stores a LEAF_HOLDS count right after the site, without an extension byte or zigzag: a row of
     * 4096 holds takes two bytes less than in version 4, a row of one hold one byte more; version 4 traces still
     * read as written, and a version 5 LEAF_HOLDS with its value in the extension is corrupt.
     */
    @Test
    void leafHoldsStoreTheirCountAfterTheSiteSinceVersionFive() throws IOException {
        long[][] sizes = new long[2][];
        int[] versions = {4, 5};
        long[] counts = {4096, 1, 10_000};
        for (int v = 0; v < 2; v++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TraceWriter w = new TraceWriter(bytes);
            TraceHeader h = header();
            w.writeHeader(new TraceHeader(versions[v], h.jvmVendor(), h.jvmVersion(), h.pid(), h.command(),
                    h.startEpochMillis(), h.startNanoTime(), h.properties()));
            sizes[v] = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                long before = w.bytesWritten();
                w.beginEvents(MAIN, 0);
                w.event(EventKind.LEAF_HOLDS.code(), 1_000_000, 0, 0, 0, 0, counts[i], 0);
                w.endEvents();
                sizes[v][i] = w.bytesWritten() - before;
            }
            w.writeEnd(1_000_000, counts.length, 0);
            try (TraceReader r = open(bytes.toByteArray())) {
                for (long count : counts) {
                    TraceEvent e = r.next();
                    assertThat(e.kind()).isEqualTo(EventKind.LEAF_HOLDS);
                    assertThat(e.value()).as("version %d", versions[v]).isEqualTo(count);
                }
                assertThat(r.next()).isNull();
            }
        }
        // 4095 takes 2 bytes as a plain varint; in version 4 an extension byte and 8190 zigzagged (2 bytes)
        assertThat(sizes[0][0] - sizes[1][0]).isEqualTo(1);
        assertThat(sizes[1][1] - sizes[0][1]).isEqualTo(1); // count 1: version 4 wrote no value at all
        assertThat(sizes[0][2] - sizes[1][2]).isEqualTo(2); // 9,999: 3 bytes zigzagged, 2 plain, and the ext

        // a version 5 LEAF_HOLDS whose value is (also) in the extension is corrupt
        assertEventChunkFails(new byte[] {(byte) (EventKind.LEAF_HOLDS.code() | TraceFormat.EVENT_HAS_EXTENSION), 0,
                0, 0, 5, (byte) TraceFormat.EXT_VALUE, 2}, "not in the extension");
    }

    /**
     * Version 6 stores a call that never blocks as one paired record, read back as its BEGIN and its END: same
     * time, object, site and text; the BEGIN without the outcome flags, with value 0 for a channel and the END's
     * for a semaphore. It takes fewer bytes than the two events, counts as two events read, and its code is an
     * unknown kind in a version 5 trace (whose writer refuses to write it).
     */
    @Test
    void aCallThatNeverBlocksIsOnePairedRecordReadAsItsBeginAndEnd() throws IOException {
        Built b = minimal();
        int[] names = b.strings("poll", "A", "m", "A.java");
        int text = names[0];
        int site = b.frames(new int[] {names[1], names[2], names[3], 7})[0];
        long before = b.writer.bytesWritten();
        b.writer.beginEvents(MAIN, 0);
        b.writer.event(TraceFormat.pairedCode(EventKind.CHANNEL_RECV_END), 40, 9, site, 0,
                EventFlags.TRY | EventFlags.FAILED, 3, text);
        b.endEvents();
        long paired = b.writer.bytesWritten() - before;
        b.writer.beginEvents(MAIN, 41);
        b.writer.event(TraceFormat.pairedCode(EventKind.CHANNEL_SEND_END), 41, 9, site, 0, EventFlags.TRY, 4,
                text);
        b.writer.event(TraceFormat.pairedCode(EventKind.SEMAPHORE_ACQUIRE_END), 42, 10, site, 0, EventFlags.TRY,
                2, 0);
        b.endEvents();
        before = b.writer.bytesWritten();
        b.writer.beginEvents(MAIN, 50);
        b.writer.event(EventKind.CHANNEL_RECV_BEGIN.code(), 50, 9, site, 0, EventFlags.TRY, 0, text);
        b.writer.event(EventKind.CHANNEL_RECV_END.code(), 50, 9, site, 0, EventFlags.TRY | EventFlags.FAILED, 3,
                text);
        b.endEvents();
        long unpaired = b.writer.bytesWritten() - before;
        // the BEGIN written out costs 8 bytes: kind, time, object, site, extension, flags (2) and text; its END
        // then repeats object, site and text as the paired record wrote them
        assertThat(unpaired - paired).isEqualTo(8);
        TraceReader r = open(b.toByteArray());
        List<TraceEvent> events = new ArrayList<>();
        for (TraceEvent e = r.next(); e != null; e = r.next()) {
            events.add(e);
        }
        assertThat(events).extracting(TraceEvent::kind).containsExactly(EventKind.CHANNEL_RECV_BEGIN,
                EventKind.CHANNEL_RECV_END, EventKind.CHANNEL_SEND_BEGIN, EventKind.CHANNEL_SEND_END,
                EventKind.SEMAPHORE_ACQUIRE_BEGIN, EventKind.SEMAPHORE_ACQUIRE_END, EventKind.CHANNEL_RECV_BEGIN,
                EventKind.CHANNEL_RECV_END);
        assertThat(events).extracting(TraceEvent::time).containsExactly(40L, 40L, 41L, 41L, 42L, 42L, 50L, 50L);
        assertThat(events).extracting(TraceEvent::flags).containsExactly(EventFlags.TRY,
                EventFlags.TRY | EventFlags.FAILED, EventFlags.TRY, EventFlags.TRY, EventFlags.TRY, EventFlags.TRY,
                EventFlags.TRY, EventFlags.TRY | EventFlags.FAILED);
        assertThat(events).extracting(TraceEvent::value).containsExactly(0L, 3L, 0L, 4L, 2L, 2L, 0L, 3L);
        assertThat(events).extracting(TraceEvent::text).containsExactly("poll", "poll", "poll", "poll", null, null,
                "poll", "poll");
        assertThat(events).extracting(TraceEvent::objectId).containsExactly(9L, 9L, 9L, 9L, 10L, 10L, 9L, 9L);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.site()).isEqualTo(events.get(0).site());
            assertThat(e.stack()).isNull();
        });
        // the first pair reads exactly as the two events written out in full after it
        assertThat(events.get(0)).isEqualTo(withTime(events.get(6), 40));
        assertThat(events.get(1)).isEqualTo(withTime(events.get(7), 40));
        assertThat(r.eventsRead()).isEqualTo(8);

        // in a version 5 trace the code is no kind at all, and a version 5 writer refuses it
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TraceWriter w = new TraceWriter(bytes);
        TraceHeader h = header();
        w.writeHeader(new TraceHeader(5, h.jvmVendor(), h.jvmVersion(), h.pid(), h.command(),
                h.startEpochMillis(), h.startNanoTime(), h.properties()));
        w.beginEvents(MAIN, 0);
        int code = TraceFormat.pairedCode(EventKind.CHANNEL_SEND_END);
        assertThatThrownBy(() -> w.event(code, 0, 0, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 5");
        byte[] v5 = concat(bytes.toByteArray(), rawChunk(TraceFormat.CHUNK_EVENTS,
                new byte[] {1, 0, 0, 0, 0, 1, (byte) code, 0, 0, 0}));
        assertThatThrownBy(() -> readAll(v5)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("unknown event kind " + code);

        // a paired record never has a stack: its BEGIN never blocks
        Built s = minimal();
        int[] f = s.strings("A", "m");
        int frame = s.frames(new int[] {f[0], f[1], 0, 1})[0];
        int stack = s.stacks(new int[] {frame})[0];
        s.writer.beginEvents(MAIN, 0);
        s.writer.event(code, 0, 9, frame, stack, EventFlags.TRY, 0, 0);
        s.endEvents();
        byte[] withStack = s.toByteArray();
        assertThatThrownBy(() -> readAll(withStack)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("a paired record has a stack");
    }

    private static TraceEvent withTime(TraceEvent e, long time) {
        return new TraceEvent(time, e.threadId(), e.kind(), e.objectId(), e.object(), e.site(), e.stack(), e.flags(),
                e.value(), e.text());
    }

    /** Version 4 stores an object, site, flags or text that repeats the previous event's in the chunk as one byte. */
    @Test
    void repeatedObjectsAndSitesCostAByteEach() throws IOException {
        TraceWriter w = new TraceWriter(new ByteArrayOutputStream());
        long[] sizes = new long[2];
        for (int c = 0; c < 2; c++) {
            long before = w.bytesWritten();
            w.beginEvents(MAIN, 0);
            // object 100000 (3 bytes), site 300, flags TRY, text 300 (2 bytes each); then an end on the same
            // ones, or a begin on others of the same sizes
            w.event(EventKind.CHANNEL_RECV_BEGIN.code(), 0, 100_000, 300, 0, EventFlags.TRY, 0, 300);
            w.event(c == 0 ? EventKind.CHANNEL_RECV_BEGIN.code() : EventKind.CHANNEL_RECV_END.code(), 0,
                    c == 0 ? 100_001 : 100_000, c == 0 ? 301 : 300, 0,
                    c == 0 ? EventFlags.TRY | EventFlags.TIMED : EventFlags.TRY, 0, c == 0 ? 301 : 300);
            w.endEvents();
            sizes[c] = w.bytesWritten() - before;
        }
        assertThat(sizes[0] - sizes[1]).isEqualTo(5);

        // the first event of a chunk has nothing to repeat: corrupt
        assertEventChunkFails(new byte[] {(byte) EventKind.LOCK_REQUEST.code(), 0,
                (byte) TraceFormat.SAME_AS_PREVIOUS, 0}, "repeats a previous one");
    }

    /**
     * A trace of the current version's header and one event chunk of thread 1 (base time 0) holding one event,
     * {@code event} (raw bytes): reading it fails with {@code message}.
     */
    private static void assertEventChunkFails(byte[] event, String message) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        new TraceWriter(header).writeHeader(header());
        byte[] chunk = concat(new byte[] {1, 0, 0, 0, 0, 1}, event); // thread 1, base time 0, u32 count 1
        byte[] bad = concat(header.toByteArray(), rawChunk(TraceFormat.CHUNK_EVENTS, chunk));
        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aNewerFormatVersionIsRefused() throws IOException {
        Built b = new Built();
        TraceHeader h = header();
        b.header(new TraceHeader(TraceFormat.VERSION + 1, h.jvmVendor(), h.jvmVersion(), h.pid(), h.command(),
                h.startEpochMillis(), h.startNanoTime(), h.properties()));
        byte[] bytes = b.toByteArray();
        assertThatThrownBy(() -> open(bytes)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("unsupported trace format version " + (TraceFormat.VERSION + 1))
                .hasMessageContaining("at byte offset 8");
    }

    @Test
    void aSecondHeaderIsAnError() throws IOException {
        Built b = minimal();
        b.writer.writeHeader(header()); // writes the magic again, then a header chunk
        byte[] bytes = b.toByteArray();
        byte[] twoHeaders = concat(prefix(bytes, b.boundaries.get(1)),
                Arrays.copyOfRange(bytes, (int) (long) b.boundaries.get(1) + 8, bytes.length));
        assertThatThrownBy(() -> readAll(twoHeaders)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("second header chunk");
    }

    @Test
    void unknownChunkTypesAreSkipped() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        int mid = (int) (long) b.boundaries.get(4);
        byte[] future = rawChunk(99, "a future chunk".getBytes(StandardCharsets.UTF_8));
        byte[] emptyFuture = rawChunk(200, new byte[0]);
        byte[] withUnknown = concat(prefix(bytes, mid), future, emptyFuture,
                Arrays.copyOfRange(bytes, mid, bytes.length));
        Read read = readAll(withUnknown);
        assertThat(read.events()).containsExactlyElementsOf(b.expected);
        assertThat(read.reader().isComplete()).isTrue();
        assertThat(read.reader().warnings()).noneMatch(w -> w.contains("truncated"));
    }

    /** The live stream's own chunks: GAP counts skipped events (and says so), FLUSH is read and ignored. */
    @Test
    void gapAndFlushChunksOfALiveStream() throws IOException {
        Built b = fullTrace();
        byte[] bytes = b.toByteArray();
        int mid = (int) (long) b.boundaries.get(4);
        java.io.ByteArrayOutputStream live = new java.io.ByteArrayOutputStream();
        TraceWriter w = new TraceWriter(live);
        w.writeFlush(1234);
        w.writeGap(300, 2);
        w.writeGap(5, 1);
        w.writeFlush(99_999);
        byte[] liveChunks = live.toByteArray();
        assertThat(liveChunks[0]).isEqualTo((byte) TraceFormat.CHUNK_FLUSH);
        Read read = readAll(concat(prefix(bytes, mid), liveChunks, Arrays.copyOfRange(bytes, mid, bytes.length)));

        assertThat(read.events()).containsExactlyElementsOf(b.expected);
        assertThat(read.reader().isComplete()).isTrue();
        assertThat(read.reader().gapEvents()).isEqualTo(305);
        assertThat(read.reader().warnings()).as("the gap's warning, then the sample's own (lost events)")
                .hasSize(readAll(bytes).reader().warnings().size() + 1);
        assertThat(read.reader().warnings().get(0))
                .endsWith(": the live stream skipped 305 events in 3 chunks (the collector fell behind); the agent's"
                        + " trace file has them");
        assertThat(readAll(bytes).reader().gapEvents()).isZero();
    }

    @Test
    void anUnknownEventKindIsAnError() throws IOException {
        for (int code : new int[] {0, 5, 99, 127}) {
            Built b = minimal();
            b.writer.beginEvents(1, 0);
            b.writer.event(EventKind.THREAD_BEGIN.code(), 0, 0, 0, 0, 0, 0, 0);
            b.writer.event(code, 1, 0, 0, 0, EventFlags.TIMED, 5, 0);
            b.endEvents();
            long start = b.boundaries.get(1);
            TraceReader r = open(b.toByteArray());
            assertThat(r.next().kind()).isEqualTo(EventKind.THREAD_BEGIN);
            assertThatThrownBy(r::next).isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("unknown event kind " + code)
                    .hasMessageContaining("at byte offset " + start);
        }
    }

    /** Writes one event chunk after the given definitions and expects it to fail with this message. */
    private static void assertEventFails(Built b, int site, int stack, int text, String message) throws IOException {
        b.writer.beginEvents(1, 0);
        b.writer.event(EventKind.MONITOR_REQUEST.code(), 0, 1, site, stack, 0, 0, text);
        b.endEvents();
        byte[] bytes = b.toByteArray();
        assertThatThrownBy(() -> readAll(bytes)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void referencesToUndefinedDefinitionsAreErrors() throws IOException {
        assertEventFails(minimal(), 0, 0, 1, "reference to undefined string 1");
        assertEventFails(minimal(), 1, 0, 0, "reference to undefined frame 1");
        assertEventFails(minimal(), 0, 1, 0, "reference to undefined stack 1");
        assertEventFails(minimal(), 0, 0, Integer.MAX_VALUE, "reference to undefined string " + Integer.MAX_VALUE);

        Built b = minimal();
        b.strings("a", "b");
        assertEventFails(b, 0, 0, 3, "reference to undefined string 3");

        // definitions that refer to undefined definitions
        Built frames = minimal();
        frames.writer.writeFrames(1, new int[] {7}, new int[] {0}, new int[] {0}, new int[] {1}, 1);
        frames.mark();
        assertThatThrownBy(() -> readAll(frames.toByteArray())).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("reference to undefined string 7");

        Built stacks = minimal();
        stacks.writer.writeStacks(1, new int[][] {{1}}, 1);
        stacks.mark();
        assertThatThrownBy(() -> readAll(stacks.toByteArray())).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("reference to undefined frame 1");

        Built objects = minimal();
        objects.writer.writeObjects(new long[] {1}, new int[] {4}, new int[] {0}, new long[] {0}, 1);
        objects.mark();
        assertThatThrownBy(() -> readAll(objects.toByteArray())).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("reference to undefined string 4");
    }

    @Test
    void aStackWithFrameZeroIsAnErrorNotANullPointerException() throws IOException {
        Built b = minimal();
        int[] s = b.strings("C", "m");
        b.frames(new int[] {s[0], s[1], 0, 1});
        b.writer.writeStacks(1, new int[][] {{1, 0}}, 1);
        b.mark();
        assertThatThrownBy(() -> readAll(b.toByteArray())).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("frame 0");
    }

    @Test
    void definitionIdsMustBeInSequence() throws IOException {
        Built b = minimal();
        b.strings("a");
        b.writer.writeStrings(5, new String[] {"b"}, 1);
        b.mark();
        assertThatThrownBy(() -> readAll(b.toByteArray())).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("string ids out of sequence: 5, expected 2");
    }

    @Test
    void threadIdsAreNotResolvedAsObjects() throws IOException {
        Built b = minimal();
        b.strings("java.lang.Object");
        b.objects(new ObjectInfo(1, "java.lang.Object", 99, 0)); // object #1 and thread 1 (main) coexist
        b.beginEvents(2, 0);
        for (EventKind kind : EventKind.values()) {
            b.writer.event(kind.code(), 1, 1, 0, 0, 0, 0, 0);
        }
        b.endEvents();
        for (TraceEvent e : readAll(b.toByteArray()).events()) {
            assertThat(e.objectId()).isEqualTo(1);
            if (e.kind().objectIsThread()) {
                assertThat(e.object()).as("%s", e.kind()).isNull();
            } else {
                assertThat(e.object()).as("%s", e.kind()).isEqualTo(new ObjectInfo(1, "java.lang.Object", 99, 0));
            }
        }
    }

    @Test
    void aThreadWithoutNameDoesNotBreakThreadNames() throws IOException {
        Built b = minimal();
        b.beginEvents(7, 0);
        b.event(EventKind.THREAD_BEGIN, 0, 0, 0, 0, 0, 0, 0);
        b.event(EventKind.THREAD_START, 1, 8, 0, 0, 0, 0, 0);
        b.endEvents();
        Read read = readAll(b.toByteArray());
        assertThat(read.events()).hasSize(2);
        assertThat(read.reader().threadName(7)).isNull();
        assertThat(read.reader().threadNames()).doesNotContainKeys(7L, 8L);
    }

    @Test
    void trailingBytesInAnEventChunkAreAnError() throws IOException {
        Built b = minimal();
        // an event chunk that declares one event but holds two
        b.writer.beginEvents(1, 0);
        b.writer.event(EventKind.NOTIFY.code(), 0, 0, 0, 0, 0, 0, 0);
        b.writer.event(EventKind.NOTIFY.code(), 0, 0, 0, 0, 0, 0, 0);
        b.endEvents();
        byte[] bytes = b.toByteArray();
        int countAt = (int) (long) b.boundaries.get(1) + TraceFormat.CHUNK_HEAD_BYTES + 2; // thread 1, base 0
        putU32(bytes, countAt, 1);
        byte[] fixed = fixChecksums(bytes);
        assertThatThrownBy(() -> readAll(fixed)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("bytes after the last event");

        // and one that declares no events but has bytes
        putU32(fixed, countAt, 0);
        byte[] fixed0 = fixChecksums(fixed);
        assertThatThrownBy(() -> readAll(fixed0)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("bytes after the last event");
    }

    @Test
    void negativeTimesAreClampedByTheWriter() throws IOException {
        Built b = minimal();
        b.writer.beginEvents(1, 100);
        b.writer.event(EventKind.NOTIFY.code(), 100, 0, 0, 0, 0, 0, 0);
        b.writer.event(EventKind.NOTIFY.code(), 50, 0, 0, 0, 0, 0, 0); // the clock went back: written as 100
        b.writer.event(EventKind.NOTIFY.code(), 120, 0, 0, 0, 0, 0, 0);
        b.endEvents();
        assertThat(readAll(b.toByteArray()).events()).extracting(TraceEvent::time).containsExactly(100L, 100L, 120L);
    }

    // ------------------------------------------------------------------ fuzzing

    /** Recomputes the checksum of every chunk whose head still parses, so mutations reach the decoders. */
    static byte[] fixChecksums(byte[] b) {
        byte[] out = b.clone();
        int pos = TraceFormat.MAGIC.length;
        CRC32C crc = new CRC32C();
        while (pos + TraceFormat.CHUNK_HEAD_BYTES <= out.length) {
            long length = ((out[pos + 1] & 0xFFL) << 24) | ((out[pos + 2] & 0xFF) << 16)
                    | ((out[pos + 3] & 0xFF) << 8) | (out[pos + 4] & 0xFF);
            long end = pos + TraceFormat.CHUNK_HEAD_BYTES + length;
            if (end + TraceFormat.CHUNK_TAIL_BYTES > out.length) {
                break;
            }
            crc.reset();
            crc.update(out, pos, (int) (end - pos));
            putU32(out, (int) end, (int) crc.getValue());
            pos = (int) end + TraceFormat.CHUNK_TAIL_BYTES;
        }
        return out;
    }

    static byte[] mutate(byte[] valid, Random rnd) {
        byte[] b = valid.clone();
        int n = 1 + rnd.nextInt(4);
        for (int m = 0; m < n; m++) {
            if (b.length == 0) {
                return b;
            }
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(8)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> b[at] = (byte) (rnd.nextBoolean() ? 0 : 0xFF);
                case 3 -> b = Arrays.copyOf(b, at); // truncate
                case 4 -> { // delete a range
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                    b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, b.length));
                }
                case 5 -> { // insert random bytes
                    byte[] ins = new byte[1 + rnd.nextInt(16)];
                    rnd.nextBytes(ins);
                    b = concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, b.length));
                }
                case 6 -> { // duplicate a range
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                    int to = rnd.nextInt(b.length);
                    b = concat(Arrays.copyOf(b, to), Arrays.copyOfRange(b, at, at + len),
                            Arrays.copyOfRange(b, to, b.length));
                }
                default -> { // a varint-sized run of continuation bytes
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(12));
                    Arrays.fill(b, at, at + len, (byte) 0x80);
                }
            }
        }
        return b;
    }

    @Test
    void randomMutationsOnlyEverFailWithTraceFormatException() throws IOException {
        byte[] valid = fullTrace().toByteArray();
        Random rnd = new Random(0x7A9C1E);
        int[] outcomes = new int[3]; // read to the end, format error, checksum-repaired
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 10_000; i++) {
                byte[] b = mutate(valid, rnd);
                boolean repaired = rnd.nextInt(3) != 0; // mostly: repair checksums to reach the decoders
                if (repaired) {
                    b = fixChecksums(b);
                    outcomes[2]++;
                }
                try (TraceReader r = open(b)) {
                    long n = 0;
                    while (r.next() != null) {
                        if (++n > 1_000_000) {
                            fail("iteration " + i + ": more events than bytes");
                        }
                    }
                    r.warnings();
                    r.threadNames();
                    outcomes[0]++;
                } catch (TraceFormatException e) {
                    assertThat(e.getMessage()).as("iteration %d", i).contains("at byte offset " + e.offset());
                    assertThat(e.offset()).isBetween(0L, (long) b.length);
                    outcomes[1]++;
                } catch (Throwable t) {
                    throw new AssertionError("iteration " + i + " (repaired=" + repaired + "): " + t, t);
                }
            }
        });
        // the fuzzer must exercise both paths, or it tests nothing
        assertThat(outcomes[0]).isGreaterThan(100);
        assertThat(outcomes[1]).isGreaterThan(100);
    }

    // ------------------------------------------------------------------ size

    /**
     * A lock-heavy trace shaped like real recordings: per thread, synchronized blocks and j.u.c. locks on ~10
     * objects from ~20 call sites, 50-500 ns apart, with a stack on the first requests at each site. Bytes per event
     * include every definition and chunk overhead.
     */
    @Test
    void lockHeavyTracesTakeAtMostEightBytesPerEvent() throws IOException {
        Built b = new Built().header(header());
        Random rnd = new Random(42);
        // definitions as the agent makes them: many strings and frames before the lock sites are reached
        String[] names = new String[300];
        for (int i = 0; i < names.length; i++) {
            names[i] = "com.example.pkg" + (i % 7) + ".Class" + i;
        }
        b.strings(names);
        int framesN = 400;
        int[][] rows = new int[framesN][];
        for (int i = 0; i < framesN; i++) {
            rows[i] = new int[] {1 + rnd.nextInt(300), 1 + rnd.nextInt(300), 1 + rnd.nextInt(300), rnd.nextInt(2000)};
        }
        b.frames(rows);
        int[] sites = new int[20];
        for (int i = 0; i < sites.length; i++) {
            sites[i] = 1 + rnd.nextInt(framesN); // sites are frames anywhere in the table (ids up to 400)
        }
        int stackCount = 40;
        int[][] stackFrames = new int[stackCount][];
        for (int i = 0; i < stackCount; i++) {
            stackFrames[i] = new int[16];
            for (int d = 0; d < 16; d++) {
                stackFrames[i][d] = 1 + rnd.nextInt(framesN);
            }
        }
        b.stacks(stackFrames);
        ObjectInfo[] objs = new ObjectInfo[10];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = new ObjectInfo(i + 1, names[i], rnd.nextInt(), 0);
        }
        b.objects(objs);

        long before = b.writer.bytesWritten();
        int threads = 8;
        int perThread = 60_000;
        int chunk = 8192; // as TraceFileSink
        long totalEvents = 0;
        for (int th = 0; th < threads; th++) {
            long time = 1_000_000L + th * 7;
            int inChunk = 0;
            b.writer.beginEvents(100 + th, time);
            int[] requestsAtSite = new int[sites.length];
            for (int n = 0; n < perThread; ) {
                int o = 1 + rnd.nextInt(objs.length);
                int s = rnd.nextInt(sites.length);
                boolean monitor = rnd.nextInt(3) != 0;
                int mode = monitor ? 0 : switch (rnd.nextInt(4)) {
                    case 0 -> EventFlags.READ;
                    case 1 -> EventFlags.WRITE;
                    default -> 0;
                };
                // stack on the first requests at each site and on a few later ones (contended)
                int stack = requestsAtSite[s]++ < 2 || rnd.nextInt(50) == 0 ? 1 + rnd.nextInt(stackCount) : 0;
                int[] kinds = monitor
                        ? new int[] {EventKind.MONITOR_REQUEST.code(), EventKind.MONITOR_ACQUIRED.code(),
                                EventKind.MONITOR_RELEASE.code()}
                        : new int[] {EventKind.LOCK_REQUEST.code(), EventKind.LOCK_ACQUIRED.code(),
                                EventKind.LOCK_RELEASE.code()};
                for (int k = 0; k < 3; k++) {
                    time += 50 + rnd.nextInt(451);
                    b.writer.event(kinds[k], time, o, sites[s], k == 0 ? stack : 0, mode, k == 0 ? 0 : 1, 0);
                    n++;
                    totalEvents++;
                    if (++inChunk == chunk) {
                        b.writer.endEvents();
                        b.writer.beginEvents(100 + th, time);
                        inChunk = 0;
                    }
                }
            }
            b.writer.endEvents();
        }
        long eventBytes = b.writer.bytesWritten() - before;
        b.writer.writeEnd(0, totalEvents, 0);
        long total = b.writer.bytesWritten();

        double perEventAll = (double) total / totalEvents;
        double perEventOnly = (double) eventBytes / totalEvents;
        System.out.printf("trace size: %d events, %d bytes, %.2f bytes/event (event chunks alone: %.2f)%n",
                totalEvents, total, perEventAll, perEventOnly);
        assertThat(perEventAll).isLessThanOrEqualTo(8.0);

        // and it reads back
        TraceReader r = open(b.bytes.toByteArray());
        long n = 0;
        while (r.next() != null) {
            n++;
        }
        assertThat(n).isEqualTo(totalEvents);
        assertThat(r.isComplete()).isTrue();
    }
}
