package dev.tangle.trace;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Streams the events of a trace without loading it whole: {@link #next()} returns one event at a time, in file
 * order (per thread, in time order; threads interleave by chunk, so a consumer that needs one global order merges
 * by {@link TraceEvent#time()}).
 *
 * <p>A file that ends inside a chunk (the JVM was killed) is not an error: every complete chunk is read and
 * {@link #truncatedBytes()} says how many bytes at the end were dropped. A chunk whose checksum or contents are
 * wrong is an error: {@link TraceFormatException} names its byte offset. No other exception escapes for bad bytes.
 */
public final class TraceReader implements Closeable {
    private final InputStream in;
    private final String source;
    private long offset;
    private final TraceHeader header;

    private final List<String> strings = new ArrayList<>(); // id 0 = none (null)
    private final List<Frame> frames = new ArrayList<>();
    private final List<CallStack> stacks = new ArrayList<>();
    private final ObjectTable objects = new ObjectTable();
    /** The version of the trace being read (from its header); decides the layout of some chunks. */
    private int formatVersion = TraceFormat.VERSION;
    private final Map<Long, String> threadNames = new HashMap<>();
    private final CRC32C crc = new CRC32C();

    private byte[] payload = new byte[8192];
    private PayloadReader events; // current event chunk, or null
    private long eventsChunkOffset;
    private long eventsThread;
    private int eventsLeft;
    private long eventTime;
    /** The last non-zero object and site of the current event chunk (version 4 on: TraceFormat.SAME_AS_PREVIOUS). */
    private long previousObject;
    private long previousSite;
    private long previousFlags;
    private long previousText;
    /** The END of a paired record whose BEGIN {@link #next} returned last, or null. */
    private TraceEvent pairedEnd;

    private boolean finished;
    private boolean complete;
    private long truncatedBytes;
    /** When the cut chunk is an event chunk whose head survived: its thread and event count, else -1. */
    private long truncatedThread = -1;
    private long truncatedEvents = -1;
    private long endTime = -1;
    private long declaredTotalEvents = -1;
    private long declaredLostEvents;
    private long eventsRead;
    private long gapEvents;
    private long gapChunks;

    private TraceReader(InputStream in, String source) throws IOException {
        this.in = in;
        this.source = source;
        strings.add(null);
        frames.add(null);
        stacks.add(null);
        byte[] magic = readFully(TraceFormat.MAGIC.length);
        if (magic == null || !Arrays.equals(magic, TraceFormat.MAGIC)) {
            throw new TraceFormatException(0, source + " is not a Tangle trace (wrong magic"
                    + (magic == null ? ": file too short)" : ")"));
        }
        Chunk first = readChunk();
        if (first == null || first.type != TraceFormat.CHUNK_HEADER) {
            throw new TraceFormatException(TraceFormat.MAGIC.length, source + " has no trace header");
        }
        try {
            this.header = decodeHeader(new PayloadReader(payload, first.length));
        } catch (PayloadReader.Malformed e) {
            throw new TraceFormatException(first.offset, "corrupt header chunk: " + e.getMessage());
        }
    }

    /** Opens a trace file; fails with {@link TraceFormatException} if it is not one. */
    public static TraceReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new TraceReader(in, file.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads a trace from a stream (for example a live connection); {@code source} names it in messages. */
    public static TraceReader of(InputStream in, String source) throws IOException {
        return new TraceReader(in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16),
                source);
    }

    public TraceHeader header() {
        return header;
    }

    /** The next event, or null at the end of the trace (or of its last complete chunk). */
    public TraceEvent next() throws IOException {
        if (pairedEnd != null) {
            TraceEvent end = pairedEnd;
            pairedEnd = null;
            eventsRead++;
            return end;
        }
        while (true) {
            if (events != null && eventsLeft > 0) {
                try {
                    return decodeEvent();
                } catch (PayloadReader.Malformed e) {
                    throw new TraceFormatException(eventsChunkOffset, "corrupt event chunk: " + e.getMessage());
                }
            }
            events = null;
            if (finished) {
                return null;
            }
            Chunk chunk = readChunk();
            if (chunk == null) {
                finished = true;
                return null;
            }
            try {
                handle(chunk);
            } catch (PayloadReader.Malformed e) {
                throw new TraceFormatException(chunk.offset, "corrupt chunk of type " + chunk.type + ": "
                        + e.getMessage());
            }
        }
    }

    /** True once the end chunk was read: the recording was closed normally. */
    public boolean isComplete() {
        return complete;
    }

    /** Bytes at the end of the file that did not form a complete chunk (0 for an intact file). */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    /**
     * Events in the incomplete chunk at the end of a cut file, when it is an event chunk whose head was written
     * (then {@link #truncatedThread()} is its thread); else -1.
     */
    public long truncatedEvents() {
        return truncatedEvents;
    }

    /** The thread of the events counted by {@link #truncatedEvents()}, or -1. */
    public long truncatedThread() {
        return truncatedThread;
    }

    /** Events the agent reported it could not record (from the end chunk; 0 when unknown). */
    public long lostEvents() {
        return declaredLostEvents;
    }

    /** Events the agent says it wrote (from the end chunk), or -1 when the trace has none. */
    public long declaredEvents() {
        return declaredTotalEvents;
    }

    /** Events a live stream left out (GAP chunks so far; 0 for a trace file). */
    public long gapEvents() {
        return gapEvents;
    }

    public long eventsRead() {
        return eventsRead;
    }

    /** Time of the end of recording (ns since start) when the trace is complete, else -1. */
    public long endTime() {
        return endTime;
    }

    /** What a user should be told about this file once it has been read; empty for an intact trace. */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (truncatedBytes > 0) {
            warnings.add(source + ": truncated: dropped the last " + truncatedBytes + " bytes (an incomplete chunk"
                    + (truncatedEvents >= 0 ? " of " + truncatedEvents + " events of thread " + truncatedThread : "")
                    + "); every complete chunk was read");
        } else if (finished && !complete) {
            warnings.add(source + ": no end marker: the recording was not closed normally (JVM killed?)");
        }
        if (gapChunks > 0) {
            warnings.add(source + ": the live stream skipped " + gapEvents + " events in " + gapChunks
                    + " chunks (the collector fell behind); the agent's trace file has them");
        }
        if (declaredLostEvents > 0) {
            warnings.add(source + ": the agent could not record " + declaredLostEvents
                    + " events (buffers full); see LOST_EVENTS");
        }
        return warnings;
    }

    public String threadName(long threadId) {
        return threadNames.get(threadId);
    }

    /** Thread names seen so far (the last name of each thread). */
    public Map<Long, String> threadNames() {
        return Map.copyOf(threadNames);
    }

    public ObjectInfo object(long id) {
        return objects.get(id);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    // ---- chunks

    private record Chunk(int type, int length, long offset) {
    }

    /** Reads the next chunk's payload into {@link #payload}; null at the end or at a truncated tail. */
    private Chunk readChunk() throws IOException {
        long start = offset;
        byte[] head = new byte[TraceFormat.CHUNK_HEAD_BYTES];
        int n = readAtMost(head, 0, head.length);
        if (n == 0) {
            return null;
        }
        if (n < head.length) {
            truncated(start);
            return null;
        }
        int type = head[0] & 0xFF;
        int length = ((head[1] & 0xFF) << 24) | ((head[2] & 0xFF) << 16) | ((head[3] & 0xFF) << 8)
                | (head[4] & 0xFF);
        if (type == 0 && length == 0) {
            // zero-filled space after the last write (a crash before the file system wrote the data), but only
            // if nothing but zeros follows: a zeroed chunk head with chunks after it is corruption
            if (!restIsZero(start)) {
                throw new TraceFormatException(start, "corrupt chunk: zero type and length followed by data");
            }
            return null;
        }
        if (length < 0 || length > TraceFormat.MAX_CHUNK_PAYLOAD) {
            throw new TraceFormatException(start, "corrupt chunk: impossible length " + (length & 0xFFFFFFFFL));
        }
        if (payload.length < length) {
            payload = new byte[Math.max(length, payload.length * 2)];
        }
        int got = readAtMost(payload, 0, length);
        if (got < length) {
            if (type == TraceFormat.CHUNK_EVENTS) {
                noteCutEvents(got);
            }
            truncated(start);
            return null;
        }
        byte[] tail = new byte[TraceFormat.CHUNK_TAIL_BYTES];
        if (readAtMost(tail, 0, tail.length) < tail.length) {
            if (type == TraceFormat.CHUNK_EVENTS) {
                noteCutEvents(length);
            }
            truncated(start);
            return null;
        }
        crc.reset();
        crc.update(head, 0, head.length);
        crc.update(payload, 0, length);
        int expected = ((tail[0] & 0xFF) << 24) | ((tail[1] & 0xFF) << 16) | ((tail[2] & 0xFF) << 8)
                | (tail[3] & 0xFF);
        if ((int) crc.getValue() != expected) {
            throw new TraceFormatException(start, "corrupt chunk: checksum mismatch");
        }
        return new Chunk(type, length, start);
    }

    /** Reads the rest of the input; true (and the rest counted as truncated) if it is all zeros. */
    private boolean restIsZero(long chunkStart) throws IOException {
        byte[] rest = new byte[8192];
        int n;
        while ((n = readAtMost(rest, 0, rest.length)) > 0) {
            for (int i = 0; i < n; i++) {
                if (rest[i] != 0) {
                    return false;
                }
            }
        }
        truncatedBytes = offset - chunkStart;
        finished = true;
        return true;
    }

    /** The thread and event count of a cut event chunk, if the bytes that hold them were written. */
    private void noteCutEvents(int available) {
        try {
            PayloadReader r = new PayloadReader(payload, available);
            long thread = r.varLong();
            r.varLong();
            int count = r.u32();
            if (count >= 0) {
                truncatedThread = thread;
                truncatedEvents = count;
            }
        } catch (PayloadReader.Malformed e) {
            // the cut came inside the chunk's own head: what it held is unknown
        }
    }

    private void truncated(long chunkStart) throws IOException {
        byte[] skip = new byte[8192];
        while (readAtMost(skip, 0, skip.length) > 0) {
            // count the rest
        }
        truncatedBytes = offset - chunkStart;
        finished = true;
    }

    private void handle(Chunk chunk) {
        PayloadReader r = new PayloadReader(payload, chunk.length);
        switch (chunk.type) {
            case TraceFormat.CHUNK_STRINGS -> {
                int first = r.varInt();
                int count = r.varInt();
                expectNextId(first, strings.size(), "string");
                for (int i = 0; i < count; i++) {
                    strings.add(r.string());
                }
            }
            case TraceFormat.CHUNK_FRAMES -> {
                int first = r.varInt();
                int count = r.varInt();
                expectNextId(first, frames.size(), "frame");
                for (int i = 0; i < count; i++) {
                    String cls = string(r.varInt());
                    String method = string(r.varInt());
                    String file = string(r.varInt());
                    int line = (int) r.zigZag();
                    frames.add(new Frame(cls == null ? "?" : cls, method == null ? "?" : method, file, line));
                }
            }
            case TraceFormat.CHUNK_STACKS -> {
                int first = r.varInt();
                int count = r.varInt();
                expectNextId(first, stacks.size(), "stack");
                for (int i = 0; i < count; i++) {
                    int depth = r.varInt();
                    if (depth > r.remaining()) {
                        throw new PayloadReader.Malformed("stack deeper than its chunk");
                    }
                    Frame[] fs = new Frame[depth];
                    for (int d = 0; d < depth; d++) {
                        int frameId = r.varInt();
                        if (frameId == 0) {
                            throw new PayloadReader.Malformed("stack refers to frame 0 (none)");
                        }
                        fs[d] = frame(frameId);
                    }
                    stacks.add(new CallStack(stacks.size(), Arrays.asList(fs)));
                }
            }
            case TraceFormat.CHUNK_OBJECTS -> {
                int count = r.varInt();
                for (int i = 0; i < count; i++) {
                    long id = r.varLong();
                    String cls = string(r.varInt());
                    int hash = r.u32();
                    long owner = r.varLong();
                    long capacity = formatVersion >= 2 ? r.zigZag() : -1;
                    objects.put(id, new ObjectInfo(id, cls == null ? "?" : cls, hash, owner, capacity));
                }
            }
            case TraceFormat.CHUNK_EVENTS -> {
                eventsThread = r.varLong();
                if (eventsThread == 0) {
                    throw new PayloadReader.Malformed("event chunk of thread 0 (no thread has id 0)");
                }
                eventTime = r.varLong();
                previousObject = 0;
                previousSite = 0;
                previousFlags = 0;
                previousText = 0;
                eventsLeft = r.u32();
                if (eventsLeft < 0 || eventsLeft > chunk.length) {
                    throw new PayloadReader.Malformed("impossible event count");
                }
                if (eventsLeft == 0 && r.hasMore()) {
                    throw new PayloadReader.Malformed("bytes after the last event");
                }
                eventsChunkOffset = chunk.offset;
                events = r;
                // the payload array is reused for the next chunk: copy this one's bytes
                payload = new byte[payload.length];
            }
            case TraceFormat.CHUNK_END -> {
                endTime = r.varLong();
                declaredTotalEvents = r.varLong();
                declaredLostEvents = r.varLong();
                complete = true;
            }
            case TraceFormat.CHUNK_GAP -> {
                gapEvents += r.varLong();
                gapChunks += r.varLong();
            }
            case TraceFormat.CHUNK_FLUSH -> r.varLong(); // a drain's end: only a live collector cares
            case TraceFormat.CHUNK_HEADER -> throw new PayloadReader.Malformed("second header chunk");
            default -> {
                // a chunk type of a newer writer: skipped, so old readers read new traces
            }
        }
    }

    /** An object or site field of version 4 on: 0 (none), SAME_AS_PREVIOUS, or the id + 1. */
    private static long repeated(long stored, long previous, String what) {
        if (stored == 0) {
            return 0;
        }
        if (stored == TraceFormat.SAME_AS_PREVIOUS) {
            if (previous == 0) {
                throw new PayloadReader.Malformed("the first " + what + " of a chunk repeats a previous one");
            }
            return previous;
        }
        return stored - 1;
    }

    private TraceEvent decodeEvent() {
        PayloadReader r = events;
        int first = r.u8();
        EventKind kind = EventKind.ofCode(first & 0x7F);
        EventKind paired = formatVersion >= TraceFormat.PAIRED_SINCE ? TraceFormat.pairedEnd(first & 0x7F) : null;
        if (paired != null) {
            kind = paired; // decoded as its END; its BEGIN is returned first
        }
        if (kind == null) {
            throw new PayloadReader.Malformed("unknown event kind " + (first & 0x7F));
        }
        eventTime += r.varLong();
        long objectId = r.varLong();
        Frame site;
        if (formatVersion >= TraceFormat.COUNTS_LESS_ONE_SINCE) {
            objectId = repeated(objectId, previousObject, "object");
            if (objectId != 0) {
                previousObject = objectId;
            }
            long siteId = repeated(r.varLong(), previousSite, "site");
            if (siteId != 0) {
                previousSite = siteId;
            }
            if (siteId < 0 || siteId > Integer.MAX_VALUE) {
                throw new PayloadReader.Malformed("site id " + siteId + " out of range");
            }
            site = frame((int) siteId);
        } else {
            site = frame(r.varInt());
        }
        CallStack stack = null;
        int flags = 0;
        long value = 0;
        String text = null;
        boolean valueFirst = formatVersion >= TraceFormat.VALUE_FIRST_SINCE
                && TraceFormat.storesValueFirst(kind.code());
        if (valueFirst) {
            value = r.varLong();
        }
        if ((first & TraceFormat.EVENT_HAS_EXTENSION) != 0) {
            int ext = r.u8();
            if ((ext & TraceFormat.EXT_STACK) != 0) {
                stack = stack(r.varInt());
            }
            if ((ext & TraceFormat.EXT_FLAGS) != 0) {
                if (formatVersion >= TraceFormat.COUNTS_LESS_ONE_SINCE) {
                    long f = repeated(r.varLong(), previousFlags, "flags");
                    if (f < 0 || f > 0xFFFFFFFFL) {
                        throw new PayloadReader.Malformed("flags " + f + " out of range");
                    }
                    previousFlags = f;
                    flags = (int) f;
                } else {
                    flags = r.varInt();
                }
            }
            if ((ext & TraceFormat.EXT_VALUE) != 0) {
                if (valueFirst) {
                    throw new PayloadReader.Malformed(kind + " has its value after its site, not in the extension");
                }
                value = r.zigZag();
            }
            if ((ext & TraceFormat.EXT_TEXT) != 0) {
                if (formatVersion >= TraceFormat.COUNTS_LESS_ONE_SINCE) {
                    long t = repeated(r.varLong(), previousText, "text");
                    if (t < 0 || t > Integer.MAX_VALUE) {
                        throw new PayloadReader.Malformed("string id " + t + " out of range");
                    }
                    previousText = t;
                    text = string((int) t);
                } else {
                    text = string(r.varInt());
                }
            }
        }
        if (formatVersion >= TraceFormat.COUNTS_LESS_ONE_SINCE && TraceFormat.storesCountLessOne(kind.code())) {
            value++;
        }
        eventsLeft--;
        if (eventsLeft == 0 && r.hasMore()) {
            throw new PayloadReader.Malformed("bytes after the last event");
        }
        if (text != null) { // a thread without a name keeps none (threadNames() cannot hold nulls)
            switch (kind) {
                case THREAD_BEGIN -> threadNames.put(eventsThread, text);
                case THREAD_START, THREAD_RENAME -> threadNames.put(objectId, text);
                default -> {
                }
            }
        }
        eventsRead++;
        ObjectInfo object = objectId != 0 && !kind.objectIsThread() ? objects.get(objectId) : null;
        TraceEvent event = new TraceEvent(eventTime, eventsThread, kind, objectId, object, site, stack, flags, value,
                text);
        if (paired == null) {
            return event;
        }
        if (stack != null) {
            throw new PayloadReader.Malformed("a paired record has a stack (its BEGIN never blocks)");
        }
        pairedEnd = event;
        return new TraceEvent(eventTime, eventsThread, TraceFormat.pairedBegin(first & 0x7F), objectId, object, site,
                null, flags & ~TraceFormat.OUTCOME_FLAGS, TraceFormat.pairedBeginKeepsValue(kind) ? value : 0, text);
    }

    private String string(int id) {
        if (id < 0 || id >= strings.size()) {
            throw new PayloadReader.Malformed("reference to undefined string " + id);
        }
        return strings.get(id);
    }

    private Frame frame(int id) {
        if (id < 0 || id >= frames.size()) {
            throw new PayloadReader.Malformed("reference to undefined frame " + id);
        }
        return frames.get(id);
    }

    private CallStack stack(int id) {
        if (id < 0 || id >= stacks.size()) {
            throw new PayloadReader.Malformed("reference to undefined stack " + id);
        }
        return stacks.get(id);
    }

    private static void expectNextId(int first, int next, String what) {
        if (first != next) {
            throw new PayloadReader.Malformed(what + " ids out of sequence: " + first + ", expected " + next);
        }
    }

    private TraceHeader decodeHeader(PayloadReader r) {
        int version = r.varInt();
        if (version < TraceFormat.OLDEST_READABLE_VERSION || version > TraceFormat.VERSION) {
            throw new PayloadReader.Malformed("unsupported trace format version " + version);
        }
        String vendor = r.string();
        String jvmVersion = r.string();
        long pid = r.varLong();
        String command = r.string();
        long epoch = r.varLong();
        long nano = r.zigZag();
        int n = r.varInt();
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = r.string();
            String v = r.string();
            if (k != null) {
                props.put(k, v == null ? "" : v);
            }
        }
        formatVersion = version;
        return new TraceHeader(version, vendor, jvmVersion, pid, command, epoch, nano, props);
    }

    // ---- raw input with offset tracking

    private byte[] readFully(int n) throws IOException {
        byte[] b = new byte[n];
        return readAtMost(b, 0, n) == n ? b : null;
    }

    private int readAtMost(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(b, off + total, len - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        offset += total;
        return total;
    }
}
