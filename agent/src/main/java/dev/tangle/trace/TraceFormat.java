package dev.tangle.trace;

/**
 * Constants of the Tangle trace format, version 6 (versions 1 to 5 are still read). The layout is documented in
 * {@code docs/trace-format.md}; {@link TraceWriter} and {@link TraceReader} are its only implementations.
 */
public final class TraceFormat {
    /** File magic: "TNGL" then CR LF SUB LF, so a text-mode copy that mangles line endings is detected. */
    public static final byte[] MAGIC = {'T', 'N', 'G', 'L', 0x0D, 0x0A, 0x1A, 0x0A};
    /**
     * The version this writer writes. 2 added channel, synchronizer, future and pool events and capacities; 3 the
     * LEAF_HOLDS kind; 4 stores hold counts less one ({@link #storesCountLessOne}) and an event's object and site
     * as {@link #SAME_AS_PREVIOUS} when they repeat the previous event's in the chunk; 5 stores a LEAF_HOLDS
     * event's count right after its site ({@link #storesValueFirst}); 6 stores a call that never blocks as one
     * paired record, read as its BEGIN and END ({@link #pairedCode}).
     */
    public static final int VERSION = 6;
    /** The first version that stores hold counts less one, and repeated objects and sites as one byte. */
    static final int COUNTS_LESS_ONE_SINCE = 4;
    /**
     * Version 4 on: an event's object (or site) field holding this means the same object (site) as the previous
     * event in the chunk that had one; any other non-zero id n is stored as n + 1 (0 still means none). An end
     * event repeats its begin's object and site, an acquisition its request's: they then cost a byte each.
     */
    static final long SAME_AS_PREVIOUS = 1;
    /** The first version that stores the value of some kinds right after the site ({@link #storesValueFirst}). */
    static final int VALUE_FIRST_SINCE = 5;
    /** The first version with paired records ({@link #pairedCode}). */
    static final int PAIRED_SINCE = 6;
    /**
     * The paired records of version 6 on: one record for a call that never blocks (a {@code TRY} call without
     * timeout: {@code offer(e)}, {@code poll()}, {@code tryAcquire()}), stored as its END and read back as two
     * events, the BEGIN then the END, at the same time, on the same object and site, with the same text. The BEGIN
     * has no stack and the END's flags less its outcome ({@link #OUTCOME_FLAGS}); its value is 0 for a channel (the
     * END's is the queue's size) and the END's for a semaphore (the permits). Row i is code
     * {@code FIRST_PAIRED_CODE + i}: its END, then its BEGIN. No {@link EventKind} has these codes.
     */
    private static final EventKind[][] PAIRED = {
            {EventKind.CHANNEL_SEND_END, EventKind.CHANNEL_SEND_BEGIN},
            {EventKind.CHANNEL_RECV_END, EventKind.CHANNEL_RECV_BEGIN},
            {EventKind.SEMAPHORE_ACQUIRE_END, EventKind.SEMAPHORE_ACQUIRE_BEGIN}};
    private static final int FIRST_PAIRED_CODE = 62;
    /** The flags an END has and its BEGIN has not: how the call ended. */
    static final int OUTCOME_FLAGS = EventFlags.FAILED | EventFlags.TIMED_OUT | EventFlags.INTERRUPTED;
    /** The oldest version the reader still reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    /** Bytes before a chunk's payload: type (1) and payload length (4). */
    public static final int CHUNK_HEAD_BYTES = 5;
    /** Bytes after a chunk's payload: CRC32C of type, length and payload. */
    public static final int CHUNK_TAIL_BYTES = 4;
    /** No writer produces a larger chunk; a larger length field means the file is corrupt. */
    public static final int MAX_CHUNK_PAYLOAD = 64 << 20;

    public static final int CHUNK_HEADER = 1;
    public static final int CHUNK_STRINGS = 2;
    public static final int CHUNK_FRAMES = 3;
    public static final int CHUNK_STACKS = 4;
    public static final int CHUNK_OBJECTS = 5;
    public static final int CHUNK_EVENTS = 6;
    public static final int CHUNK_END = 7;
    /** Live streams only: event chunks the stream skipped because its collector fell behind. */
    public static final int CHUNK_GAP = 8;
    /** Live streams only: the writer finished one drain; a reader may analyse everything before it. */
    public static final int CHUNK_FLUSH = 9;

    /** First byte of an event: the kind's code in the low 7 bits, this bit when an extension mask follows. */
    static final int EVENT_HAS_EXTENSION = 0x80;
    static final int EXT_STACK = 1;
    static final int EXT_FLAGS = 2;
    static final int EXT_VALUE = 4;
    static final int EXT_TEXT = 8;

    /**
     * Whether an event of this kind stores {@code value - 1} rather than {@code value} (version 4 on): its value is
     * a hold count or a number of holds, nearly always 1, which then costs no byte (an absent value is 0).
     */
    static boolean storesCountLessOne(int kindCode) {
        return kindCode == EventKind.MONITOR_ACQUIRED.code() || kindCode == EventKind.MONITOR_RELEASE.code()
                || kindCode == EventKind.LOCK_ACQUIRED.code() || kindCode == EventKind.LOCK_RELEASE.code()
                || kindCode == EventKind.WAIT_END.code() || kindCode == EventKind.LEAF_HOLDS.code();
    }

    /**
     * Whether an event of this kind (version 5 on) stores its value as a plain varint right after the site, never
     * in the extension: LEAF_HOLDS, whose value (a number of holds) is always there and never negative, the most
     * frequent event of a server's trace. That saves the extension byte and the zigzag bit; a row of one hold
     * costs one byte more than in version 4 (its value, 0, is written), a row of more one byte less or two.
     */
    static boolean storesValueFirst(int kindCode) {
        return kindCode == EventKind.LEAF_HOLDS.code();
    }

    /**
     * The code of the paired record (version 6 on) that stands for a BEGIN and this END, or 0 when the kind has
     * none: CHANNEL_SEND_END, CHANNEL_RECV_END and SEMAPHORE_ACQUIRE_END.
     */
    public static int pairedCode(EventKind end) {
        for (int i = 0; i < PAIRED.length; i++) {
            if (PAIRED[i][0] == end) {
                return FIRST_PAIRED_CODE + i;
            }
        }
        return 0;
    }

    /** Whether {@code code} is a paired record's (a cheap test for the writer's hot path). */
    static boolean isPaired(int code) {
        return code >= FIRST_PAIRED_CODE && code < FIRST_PAIRED_CODE + PAIRED.length;
    }

    /** The END a paired record's code stands for (with its BEGIN), or null when the code is not a paired one. */
    static EventKind pairedEnd(int code) {
        return isPaired(code) ? PAIRED[code - FIRST_PAIRED_CODE][0] : null;
    }

    /** The BEGIN of the paired record with this code. */
    static EventKind pairedBegin(int code) {
        return PAIRED[code - FIRST_PAIRED_CODE][1];
    }

    /** Whether a paired record's BEGIN has the END's value (the permits of a semaphore), rather than 0. */
    static boolean pairedBeginKeepsValue(EventKind end) {
        return end == EventKind.SEMAPHORE_ACQUIRE_END;
    }

    private TraceFormat() {
    }
}
