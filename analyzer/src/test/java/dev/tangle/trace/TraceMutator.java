package dev.tangle.trace;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Structure-aware mutation of a valid trace: the chunks are split, their payloads changed as the format's fields
 * (varints, event fields, event order, chunk order) and the file put together again with every CRC recomputed, so
 * that the mutant gets past the checksum check into the payload decoder, the definition tables, the per-thread
 * ordering and the model builder. A byte-flipping fuzzer hardly ever does: its mutants fail the CRC.
 *
 * <p>Every choice comes from a {@link Choices}: a seeded random source for the long pass, the coverage-guided
 * fuzzer's bytes for Jazzer. The mutations cover lying lengths and counts (any varint of any chunk replaced by an
 * edge value), huge varints, unknown event kinds, events out of order, ends without begins (an event removed or
 * its kind changed), ids never declared, chunks dropped, duplicated or swapped, a header that lies about its
 * version and, rarely, framing that lies (a chunk length that is not the payload's, a cut file).
 *
 * <p>Lives in {@code dev.tangle.trace} to reuse the format's own {@link PayloadReader} and {@link ChunkBuffer}.
 */
public final class TraceMutator {
    /** Where the mutator's decisions come from. */
    public interface Choices {
        /** A number in {@code [0, bound)}. */
        int pick(int bound);

        /** Any 64-bit value. */
        long anyLong();
    }

    /** One chunk: its type and payload; {@code lyingLength} (when not null) is written instead of the length. */
    static final class Chunk {
        int type;
        byte[] payload;
        Integer lyingLength;

        Chunk(int type, byte[] payload) {
            this.type = type;
            this.payload = payload;
        }

        Chunk copy() {
            return new Chunk(type, payload.clone());
        }
    }

    /** One decoded event of an EVENTS chunk, as written (delta, not time). */
    static final class Ev {
        int kind;
        boolean ext;
        long delta;
        long object;
        long site;
        int extMask;
        long stack;
        long flags;
        long value;
        long text;

        Ev copy() {
            Ev e = new Ev();
            e.kind = kind;
            e.ext = ext;
            e.delta = delta;
            e.object = object;
            e.site = site;
            e.extMask = extMask;
            e.stack = stack;
            e.flags = flags;
            e.value = value;
            e.text = text;
            return e;
        }
    }

    /** A decoded EVENTS chunk; {@code declaredCount} is written as its count (a lie when it differs). */
    static final class Events {
        long thread;
        long baseTime;
        long declaredCount;
        final List<Ev> events = new ArrayList<>();
    }

    private static final long[] EDGES = {0, 1, 2, 3, 7, 127, 128, 255, 256, 16_383, 16_384, 65_535, 1 << 20,
            Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 1L << 31, 1L << 32, (1L << 32) - 1, Long.MAX_VALUE,
            Long.MIN_VALUE, -1, -2, 64 << 20, (64 << 20) + 1};

    private static final int OPERATIONS = 22;

    private final Choices c;
    private final List<Chunk> chunks;
    /** Ids seen in the seed, so that a mutant often names something real (a thread as an object...). */
    private final List<Long> ids = new ArrayList<>();

    private TraceMutator(List<Chunk> chunks, Choices choices) {
        this.chunks = chunks;
        this.c = choices;
        for (Chunk ch : chunks) {
            if (ch.type == TraceFormat.CHUNK_EVENTS) {
                Events ev = decodeEvents(ch.payload);
                if (ev != null) {
                    ids.add(ev.thread);
                    for (Ev e : ev.events) {
                        if (e.object != 0 && ids.size() < 64) {
                            ids.add(e.object);
                        }
                    }
                }
            }
        }
        if (ids.isEmpty()) {
            ids.add(1L);
        }
    }

    /** A mutant of {@code seed} (a valid trace) with 1 to 4 mutations. */
    public static byte[] mutate(byte[] seed, Choices choices) {
        TraceMutator m = new TraceMutator(split(seed), choices);
        int rounds = 1 + choices.pick(4);
        boolean cut = false;
        for (int i = 0; i < rounds; i++) {
            cut |= m.mutateOnce();
        }
        byte[] out = join(m.chunks);
        if (cut || choices.pick(40) == 0) {
            // a file that stops anywhere (the reader must read what is complete)
            int at = TraceFormat.MAGIC.length + choices.pick(Math.max(1, out.length - TraceFormat.MAGIC.length));
            out = java.util.Arrays.copyOf(out, at);
        }
        return out;
    }

    /** The chunks of a valid trace (no CRC check: the seed is known to be good). */
    static List<Chunk> split(byte[] trace) {
        List<Chunk> list = new ArrayList<>();
        int at = TraceFormat.MAGIC.length;
        while (at + TraceFormat.CHUNK_HEAD_BYTES <= trace.length) {
            int type = trace[at] & 0xFF;
            int length = ((trace[at + 1] & 0xFF) << 24) | ((trace[at + 2] & 0xFF) << 16)
                    | ((trace[at + 3] & 0xFF) << 8) | (trace[at + 4] & 0xFF);
            int start = at + TraceFormat.CHUNK_HEAD_BYTES;
            if (length < 0 || start + length + TraceFormat.CHUNK_TAIL_BYTES > trace.length) {
                break;
            }
            list.add(new Chunk(type, java.util.Arrays.copyOfRange(trace, start, start + length)));
            at = start + length + TraceFormat.CHUNK_TAIL_BYTES;
        }
        return list;
    }

    /** Magic, then each chunk with its head and a correct CRC32C (over the length written, lying or not). */
    static byte[] join(List<Chunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TraceFormat.MAGIC);
        CRC32C crc = new CRC32C();
        for (Chunk ch : chunks) {
            int length = ch.lyingLength != null ? ch.lyingLength : ch.payload.length;
            byte[] head = {(byte) ch.type, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                    (byte) length};
            crc.reset();
            crc.update(head);
            crc.update(ch.payload);
            int sum = (int) crc.getValue();
            out.writeBytes(head);
            out.writeBytes(ch.payload);
            out.writeBytes(new byte[]{(byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum});
        }
        return out.toByteArray();
    }

    /** One mutation; true if the file should also be cut short. */
    private boolean mutateOnce() {
        if (chunks.isEmpty()) {
            chunks.add(new Chunk(c.pick(10), bytes(c.pick(16))));
            return false;
        }
        int op = c.pick(OPERATIONS);
        int i = c.pick(chunks.size());
        Chunk ch = chunks.get(i);
        switch (op) {
            case 0 -> chunks.remove(i); // a definition lost, a begin or an end lost, the header lost
            case 1 -> chunks.add(c.pick(chunks.size() + 1), ch.copy()); // ids defined twice, events replayed
            case 2 -> { // definitions after their use, one thread's chunks out of time order
                int j = c.pick(chunks.size());
                chunks.set(i, chunks.get(j));
                chunks.set(j, ch);
            }
            case 3 -> ch.type = c.pick(4) == 0 ? c.pick(256) : 1 + c.pick(9); // another or an unknown type
            case 4 -> { // one byte changed (CRC still right)
                if (ch.payload.length > 0) {
                    ch.payload[c.pick(ch.payload.length)] = (byte) c.anyLong();
                }
            }
            case 5 -> ch.payload = splice(ch.payload, c.pick(ch.payload.length + 1), bytes(1 + c.pick(12)), 0);
            case 6 -> { // bytes removed: fields shift, lengths lie
                int at = c.pick(ch.payload.length + 1);
                ch.payload = splice(ch.payload, at, new byte[0], c.pick(ch.payload.length - at + 1));
            }
            case 7, 8, 9 -> ch.payload = replaceVarint(ch.payload); // lying lengths, counts, ids; huge varints
            case 10 -> chunks.set(0, header(chunks.get(0))); // the version, or a header where none should be
            case 11 -> {
                ch.lyingLength = (int) edge(); // framing that lies: the reader must not trust it
                return true;
            }
            default -> {
                return mutateEvents();
            }
        }
        return false;
    }

    /** Mutations of events, decoded as fields, on a random EVENTS chunk. */
    private boolean mutateEvents() {
        List<Integer> eventChunks = new ArrayList<>();
        for (int k = 0; k < chunks.size(); k++) {
            if (chunks.get(k).type == TraceFormat.CHUNK_EVENTS) {
                eventChunks.add(k);
            }
        }
        if (eventChunks.isEmpty()) {
            return false;
        }
        Chunk ch = chunks.get(eventChunks.get(c.pick(eventChunks.size())));
        Events evs = decodeEvents(ch.payload);
        if (evs == null) {
            return false;
        }
        List<Ev> list = evs.events;
        int n = list.size();
        int i = n == 0 ? -1 : c.pick(n);
        switch (c.pick(14)) {
            case 0 -> { // an unknown event kind (or any known one)
                if (i >= 0) {
                    list.get(i).kind = c.pick(128);
                }
            }
            case 1 -> { // a begin turned into an end or the reverse, an acquire into a release...
                if (i >= 0) {
                    EventKind[] kinds = EventKind.values();
                    list.get(i).kind = kinds[c.pick(kinds.length)].code();
                }
            }
            case 2 -> { // an end without its begin, a release without its acquire
                if (i >= 0) {
                    list.remove(i);
                    evs.declaredCount--;
                }
            }
            case 3 -> { // an acquire twice, a begin twice
                if (i >= 0) {
                    list.add(c.pick(n + 1), list.get(i).copy());
                    evs.declaredCount++;
                }
            }
            case 4 -> { // out of order within the thread
                if (i >= 0) {
                    int j = c.pick(n);
                    Ev e = list.get(i);
                    list.set(i, list.get(j));
                    list.set(j, e);
                }
            }
            case 5 -> { // an object never declared, a thread id where an object belongs, a huge id
                if (i >= 0) {
                    list.get(i).object = c.pick(2) == 0 ? ids.get(c.pick(ids.size())) : edge();
                }
            }
            case 6 -> { // a time jump: huge deltas overflow the clock
                if (i >= 0) {
                    list.get(i).delta = edge();
                }
            }
            case 7 -> { // a site, stack or text never declared
                if (i >= 0) {
                    Ev e = list.get(i);
                    e.ext = true;
                    switch (c.pick(3)) {
                        case 0 -> e.site = smallOrEdge();
                        case 1 -> {
                            e.extMask |= TraceFormat.EXT_STACK;
                            e.stack = smallOrEdge();
                        }
                        default -> {
                            e.extMask |= TraceFormat.EXT_TEXT;
                            e.text = smallOrEdge();
                        }
                    }
                }
            }
            case 8 -> { // flags and values no writer writes
                if (i >= 0) {
                    Ev e = list.get(i);
                    e.ext = true;
                    e.extMask |= TraceFormat.EXT_FLAGS | TraceFormat.EXT_VALUE;
                    e.flags = c.pick(2) == 0 ? c.anyLong() & 0xFFFF : edge();
                    e.value = edge();
                }
            }
            case 9 -> { // reserved extension bits
                if (i >= 0) {
                    Ev e = list.get(i);
                    e.ext = true;
                    e.extMask |= 0x10 << c.pick(4);
                }
            }
            case 10 -> evs.declaredCount = c.pick(2) == 0 ? evs.declaredCount + c.pick(5) - 2 : edge(); // a lie
            case 11 -> evs.thread = c.pick(2) == 0 ? ids.get(c.pick(ids.size())) : edge(); // another thread
            case 12 -> evs.baseTime = edge();
            default -> { // an event moved to another chunk (another thread, another time)
                if (i >= 0) {
                    Ev e = list.remove(i);
                    evs.declaredCount--;
                    Chunk other = chunks.get(c.pick(chunks.size()));
                    Events target = other.type == TraceFormat.CHUNK_EVENTS ? decodeEvents(other.payload) : null;
                    if (target != null && other != ch) {
                        target.events.add(c.pick(target.events.size() + 1), e);
                        target.declaredCount++;
                        other.payload = encodeEvents(target);
                    }
                }
            }
        }
        ch.payload = encodeEvents(evs);
        return false;
    }

    /** A header that lies about its version, or whose fields are replaced. */
    private Chunk header(Chunk first) {
        if (first.type != TraceFormat.CHUNK_HEADER) {
            return c.pick(2) == 0 ? first : new Chunk(TraceFormat.CHUNK_HEADER, first.payload);
        }
        PayloadReader r = new PayloadReader(first.payload, first.payload.length);
        try {
            r.varLong();
        } catch (PayloadReader.Malformed e) {
            return first;
        }
        ChunkBuffer b = new ChunkBuffer();
        long[] versions = {0, 1, 2, 3, 4, 127, 128, Integer.MAX_VALUE, -1};
        b.varLong(c.pick(3) == 0 ? edge() : versions[c.pick(versions.length)]);
        byte[] rest = java.util.Arrays.copyOfRange(first.payload, r.position(), first.payload.length);
        return new Chunk(TraceFormat.CHUNK_HEADER, concat(b, rest));
    }

    /** Reads the payload as a run of varints and replaces one of them by an edge value or a neighbour. */
    private byte[] replaceVarint(byte[] payload) {
        List<int[]> spans = new ArrayList<>(); // start, end of each varint
        int at = 0;
        while (at < payload.length) {
            int start = at;
            while (at < payload.length && (payload[at] & 0x80) != 0 && at - start < 10) {
                at++;
            }
            at = Math.min(payload.length, at + 1);
            spans.add(new int[]{start, at});
        }
        if (spans.isEmpty()) {
            return payload;
        }
        int[] span = spans.get(c.pick(spans.size()));
        long old = 0;
        for (int k = span[1] - 1; k >= span[0]; k--) {
            old = (old << 7) | (payload[k] & 0x7F);
        }
        long value = switch (c.pick(4)) {
            case 0 -> old + 1;
            case 1 -> old - 1;
            default -> edge();
        };
        ChunkBuffer b = new ChunkBuffer();
        b.varLong(value);
        return splice(payload, span[0], java.util.Arrays.copyOf(b.array(), b.size()), span[1] - span[0]);
    }

    static Events decodeEvents(byte[] payload) {
        PayloadReader r = new PayloadReader(payload, payload.length);
        try {
            Events evs = new Events();
            evs.thread = r.varLong();
            evs.baseTime = r.varLong();
            evs.declaredCount = r.u32() & 0xFFFFFFFFL;
            while (r.hasMore()) {
                Ev e = new Ev();
                int first = r.u8();
                e.kind = first & 0x7F;
                e.ext = (first & TraceFormat.EVENT_HAS_EXTENSION) != 0;
                e.delta = r.varLong();
                e.object = r.varLong();
                e.site = r.varLong();
                if (e.ext) {
                    e.extMask = r.u8();
                    e.stack = (e.extMask & TraceFormat.EXT_STACK) != 0 ? r.varLong() : 0;
                    e.flags = (e.extMask & TraceFormat.EXT_FLAGS) != 0 ? r.varLong() : 0;
                    e.value = (e.extMask & TraceFormat.EXT_VALUE) != 0 ? r.zigZag() : 0;
                    e.text = (e.extMask & TraceFormat.EXT_TEXT) != 0 ? r.varLong() : 0;
                }
                evs.events.add(e);
            }
            return evs;
        } catch (PayloadReader.Malformed e) {
            return null; // already mutated beyond decoding: left as it is
        }
    }

    static byte[] encodeEvents(Events evs) {
        ChunkBuffer b = new ChunkBuffer();
        b.varLong(evs.thread);
        b.varLong(evs.baseTime);
        b.u32((int) evs.declaredCount);
        for (Ev e : evs.events) {
            b.u8(e.kind | (e.ext ? TraceFormat.EVENT_HAS_EXTENSION : 0));
            b.varLong(e.delta);
            b.varLong(e.object);
            b.varLong(e.site);
            if (e.ext) {
                b.u8(e.extMask);
                if ((e.extMask & TraceFormat.EXT_STACK) != 0) {
                    b.varLong(e.stack);
                }
                if ((e.extMask & TraceFormat.EXT_FLAGS) != 0) {
                    b.varLong(e.flags);
                }
                if ((e.extMask & TraceFormat.EXT_VALUE) != 0) {
                    b.zigZag(e.value);
                }
                if ((e.extMask & TraceFormat.EXT_TEXT) != 0) {
                    b.varLong(e.text);
                }
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.size());
    }

    private long edge() {
        return c.pick(5) == 0 ? c.anyLong() : EDGES[c.pick(EDGES.length)];
    }

    private long smallOrEdge() {
        return c.pick(2) == 0 ? 1 + c.pick(200) : edge();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) c.anyLong();
        }
        return b;
    }

    private static byte[] splice(byte[] a, int at, byte[] insert, int remove) {
        byte[] out = new byte[a.length - remove + insert.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }

    private static byte[] concat(ChunkBuffer b, byte[] rest) {
        byte[] out = java.util.Arrays.copyOf(b.array(), b.size() + rest.length);
        System.arraycopy(rest, 0, out, b.size(), rest.length);
        return out;
    }
}
