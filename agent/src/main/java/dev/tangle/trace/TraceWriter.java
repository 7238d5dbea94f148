package dev.tangle.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes a trace: the header, then chunks of definitions and events. Not thread-safe: one writer thread owns it.
 * Definitions (strings, frames, stacks, objects) must be written before the first event chunk that refers to
 * them. Ids of strings, frames and stacks start at 1 and are given in order; 0 means "none".
 *
 * <p>Used by the agent's bootstrap code, so it avoids lambdas and allocates little.
 */
public final class TraceWriter {
    /** Kind, extension mask and six varints of at most ten bytes. */
    private static final int MAX_EVENT_BYTES = 2 + 6 * 10;
    private final OutputStream out;
    private final ChunkBuffer chunk = new ChunkBuffer();
    private final CRC32C crc = new CRC32C();
    private long bytesWritten;

    // state of the event chunk being built
    private int eventCount;
    /** Paired records among them ({@link TraceFormat#pairedCode}), each read as two events. */
    private int pairedCount;
    private int countPosition;
    private long previousTime;
    /** The last non-zero object and site of the current event chunk (see TraceFormat.SAME_AS_PREVIOUS). */
    private long previousObject;
    private long previousSite;
    private long previousFlags;
    private long previousText;
    /** The version in the header written (events are encoded as it says); a writer without one writes the current. */
    private int formatVersion = TraceFormat.VERSION;

    public TraceWriter(OutputStream out) {
        this.out = out;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public void writeHeader(TraceHeader header) throws IOException {
        out.write(TraceFormat.MAGIC);
        bytesWritten += TraceFormat.MAGIC.length;
        begin(TraceFormat.CHUNK_HEADER);
        formatVersion = header.formatVersion();
        chunk.varLong(header.formatVersion());
        chunk.string(header.jvmVendor());
        chunk.string(header.jvmVersion());
        chunk.varLong(header.pid());
        chunk.string(header.command());
        chunk.varLong(header.startEpochMillis());
        chunk.zigZag(header.startNanoTime());
        chunk.varLong(header.properties().size());
        Iterator<Map.Entry<String, String>> it = header.properties().entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            chunk.string(e.getKey());
            chunk.string(e.getValue());
        }
        finish();
    }

    /** Defines strings {@code firstId .. firstId+count-1}. */
    public void writeStrings(int firstId, String[] strings, int count) throws IOException {
        begin(TraceFormat.CHUNK_STRINGS);
        chunk.varLong(firstId);
        chunk.varLong(count);
        for (int i = 0; i < count; i++) {
            chunk.string(strings[i]);
        }
        finish();
    }

    /** Defines frames {@code firstId ..}; each is (class string, method string, file string, line) in the arrays. */
    public void writeFrames(int firstId, int[] classIds, int[] methodIds, int[] fileIds, int[] lines, int count)
            throws IOException {
        begin(TraceFormat.CHUNK_FRAMES);
        chunk.varLong(firstId);
        chunk.varLong(count);
        for (int i = 0; i < count; i++) {
            chunk.varLong(classIds[i]);
            chunk.varLong(methodIds[i]);
            chunk.varLong(fileIds[i]);
            chunk.zigZag(lines[i]);
        }
        finish();
    }

    /** Defines stacks {@code firstId ..}; each is an array of frame ids, innermost first. */
    public void writeStacks(int firstId, int[][] stacks, int count) throws IOException {
        begin(TraceFormat.CHUNK_STACKS);
        chunk.varLong(firstId);
        chunk.varLong(count);
        for (int i = 0; i < count; i++) {
            int[] frames = stacks[i];
            chunk.varLong(frames.length);
            for (int f : frames) {
                chunk.varLong(f);
            }
        }
        finish();
    }

    /**
     * Defines objects: (object id, class name string id, identity hash, owner object id or 0). Object ids need
     * not be dense.
     */
    public void writeObjects(long[] ids, int[] classIds, int[] identityHashes, long[] ownerIds, int count)
            throws IOException {
        writeObjects(ids, classIds, identityHashes, ownerIds, null, count);
    }

    /** As above, with each object's capacity (-1 for none; {@code capacities} null means none for all). */
    public void writeObjects(long[] ids, int[] classIds, int[] identityHashes, long[] ownerIds, long[] capacities,
                             int count) throws IOException {
        begin(TraceFormat.CHUNK_OBJECTS);
        chunk.varLong(count);
        for (int i = 0; i < count; i++) {
            chunk.varLong(ids[i]);
            chunk.varLong(classIds[i]);
            chunk.u32(identityHashes[i]);
            chunk.varLong(ownerIds[i]);
            chunk.zigZag(capacities == null ? -1 : capacities[i]);
        }
        finish();
    }

    /** Starts a chunk of events of one thread; times in it must not decrease. */
    public void beginEvents(long threadId, long baseTime) {
        begin(TraceFormat.CHUNK_EVENTS);
        chunk.varLong(threadId);
        chunk.varLong(baseTime);
        countPosition = chunk.size();
        chunk.u32(0); // patched by endEvents
        eventCount = 0;
        pairedCount = 0;
        previousTime = baseTime;
        previousObject = 0;
        previousSite = 0;
        previousFlags = 0;
        previousText = 0;
    }

    /**
     * Adds an event to the current event chunk.
     *
     * @param kindCode  {@link EventKind#code()}
     * @param time      ns since recording began; not less than the previous event's
     * @param objectId  0 when none
     * @param siteId    frame id of the code location, 0 when none
     * @param stackId   stack id, 0 when none
     * @param textId    string id, 0 when none
     */
    public void event(int kindCode, long time, long objectId, int siteId, int stackId, int flags, long value,
                      int textId) {
        if (TraceFormat.storesCountLessOne(kindCode)) {
            value--; // a hold count: 1, the usual, is then not written at all
        } else if (TraceFormat.isPaired(kindCode)) {
            if (formatVersion < TraceFormat.PAIRED_SINCE) {
                throw new IllegalArgumentException("paired record " + kindCode + " in a version " + formatVersion
                        + " trace");
            }
            pairedCount++;
        }
        boolean valueFirst = valueFirst(kindCode);
        int ext = (stackId != 0 ? TraceFormat.EXT_STACK : 0) | (flags != 0 ? TraceFormat.EXT_FLAGS : 0)
                | (value != 0 && !valueFirst ? TraceFormat.EXT_VALUE : 0) | (textId != 0 ? TraceFormat.EXT_TEXT : 0);
        chunk.ensure(MAX_EVENT_BYTES);
        chunk.u8Unchecked(ext != 0 ? kindCode | TraceFormat.EVENT_HAS_EXTENSION : kindCode);
        long delta = time - previousTime;
        if (delta < 0) {
            delta = 0; // clocks are monotonic per thread; never encode a negative delta
            time = previousTime;
        }
        chunk.varLongUnchecked(delta);
        previousTime = time;
        chunk.varLongUnchecked(repeatable(objectId, previousObject));
        if (objectId != 0) {
            previousObject = objectId;
        }
        long site = siteId & 0xFFFFFFFFL;
        chunk.varLongUnchecked(repeatable(site, previousSite));
        if (site != 0) {
            previousSite = site;
        }
        if (valueFirst) {
            chunk.varLongUnchecked(value);
        }
        if (ext != 0) {
            chunk.u8Unchecked(ext);
            if (stackId != 0) {
                chunk.varLongUnchecked(stackId & 0xFFFFFFFFL);
            }
            if (flags != 0) {
                long f = flags & 0xFFFFFFFFL;
                chunk.varLongUnchecked(repeatable(f, previousFlags));
                previousFlags = f;
            }
            if (value != 0) {
                chunk.varLongUnchecked((value << 1) ^ (value >> 63));
            }
            if (textId != 0) {
                long t = textId & 0xFFFFFFFFL;
                chunk.varLongUnchecked(repeatable(t, previousText));
                previousText = t;
            }
        }
        eventCount++;
    }

    /** Whether this kind's value follows its site (version 5 on): the version written is the header's. */
    private boolean valueFirst(int kindCode) {
        return formatVersion >= TraceFormat.VALUE_FIRST_SINCE && TraceFormat.storesValueFirst(kindCode);
    }

    /** An object or site id as stored: 0 (none), SAME_AS_PREVIOUS, or the id + 1. */
    private static long repeatable(long id, long previous) {
        return id == 0 ? 0 : id == previous ? TraceFormat.SAME_AS_PREVIOUS : id + 1;
    }

    public int pendingEventCount() {
        return eventCount;
    }

    /**
     * The paired records in the event chunk being built: a reader gets two events from each, so the chunk holds
     * {@code pendingEventCount() + pendingPairedCount()} events.
     */
    public int pendingPairedCount() {
        return pairedCount;
    }

    public void endEvents() throws IOException {
        chunk.putU32At(countPosition, eventCount);
        finish();
    }

    /** The last chunk of a complete trace. */
    public void writeEnd(long endTime, long totalEvents, long lostEvents) throws IOException {
        begin(TraceFormat.CHUNK_END);
        chunk.varLong(endTime);
        chunk.varLong(totalEvents);
        chunk.varLong(lostEvents);
        finish();
    }

    /**
     * Live streams only: {@code events} events in {@code chunks} event chunks were left out of the stream before
     * this point (the collector fell behind; the agent's file has them).
     */
    public void writeGap(long events, long chunks) throws IOException {
        begin(TraceFormat.CHUNK_GAP);
        chunk.varLong(events);
        chunk.varLong(chunks);
        finish();
    }

    /** Live streams only: the end of one drain of the writer, which began at {@code time} (ns since start). */
    public void writeFlush(long time) throws IOException {
        begin(TraceFormat.CHUNK_FLUSH);
        chunk.varLong(time);
        finish();
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void begin(int type) {
        chunk.reset();
        chunk.u8(type);
        chunk.u32(0); // length, patched by finish
    }

    private void finish() throws IOException {
        int payload = chunk.size() - TraceFormat.CHUNK_HEAD_BYTES;
        chunk.putU32At(1, payload);
        crc.reset();
        crc.update(chunk.array(), 0, chunk.size());
        chunk.u32((int) crc.getValue());
        out.write(chunk.array(), 0, chunk.size());
        bytesWritten += chunk.size();
    }
}
