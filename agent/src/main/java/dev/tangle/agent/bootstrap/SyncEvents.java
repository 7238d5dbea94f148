package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceFormat;

import java.util.concurrent.TimeoutException;

/**
 * Shared steps of the channel and synchronizer hooks ({@link ChannelHooks}, {@link ExchangerHooks},
 * {@link LatchHooks}, {@link SemaphoreHooks}, {@link BarrierHooks}). Each hook records a BEGIN, does the real call
 * with the thread marked busy (so the class's internal locks and parking are not recorded as the program's), then
 * records the END with the outcome; an exception from the real call propagates unchanged. A call that never
 * blocks records both at once, after it ({@link #pair}).
 *
 * <p>Times: BEGIN and non-blocking events take the coarse clock; an END takes the precise clock when the call
 * spanned a tick (it may have blocked). Events on one object get strictly increasing times in happens-before
 * order ({@link ThreadRecorder#syncEvent}).
 */
final class SyncEvents {
    private SyncEvents() {
    }

    /**
     * Records the BEGIN of a call that may block (with a stack per the stack mode); returns the coarse time read.
     * A call that never blocks has no BEGIN of its own: see {@link #pair}.
     */
    static long begin(ThreadRecorder r, EventKind kind, ObjEntry o, int flags, int textId, int site, long value) {
        long now = Clock.coarse();
        r.syncEvent(kind, o, now, flags, textId, site, r.stackFor(site), value);
        return now;
    }

    /** Records an END; {@code begun} is what {@link #begin} returned. */
    static void end(ThreadRecorder r, EventKind kind, ObjEntry o, int flags, int textId, int site, long begun,
                    long value) {
        r.syncEvent(kind, o, endTime(begun), flags, textId, site, 0, value);
    }

    /**
     * Records a call that never blocks (TRY, no timeout) once it has returned: one paired record, which the
     * trace reader gives as the BEGIN and the END ({@link TraceFormat#pairedCode}). {@code begun} is the coarse
     * time read before the call; {@code flags} are the END's.
     */
    static void pair(ThreadRecorder r, EventKind end, ObjEntry o, int flags, int textId, int site, long begun,
                     long value) {
        r.syncPair(TraceFormat.pairedCode(end), o, endTime(begun), flags, textId, site, value);
    }

    /**
     * The time of a call's end, given the coarse time read before it: the precise clock when the call took a tick
     * or more (it may have blocked, so its end is timed exactly).
     */
    private static long endTime(long begun) {
        long t = Clock.coarse();
        return t == begun ? t : Clock.precise();
    }

    /** The END flag for an exception thrown by the real call. */
    static int failure(Throwable t) {
        if (t instanceof InterruptedException) {
            return EventFlags.INTERRUPTED;
        }
        if (t instanceof TimeoutException) {
            return EventFlags.TIMED_OUT;
        }
        return EventFlags.FAILED;
    }

    /**
     * Rethrows {@code t} unchanged from a method that does not declare it (the public hook declares what the
     * real call declares). Written as {@code throw SyncEvents.rethrow(t)}.
     */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }

    /** The string ids of a hook class's method names, interned on first use (ids never change once given). */
    static final class Names {
        private final String[] names;
        private final int[] ids;

        Names(String... names) {
            this.names = names;
            this.ids = new int[names.length];
        }

        int id(ThreadRecorder r, int index) {
            int id = ids[index];
            if (id == 0) {
                r.busy++;
                try {
                    id = Tables.string(names[index]);
                } finally {
                    r.busy--;
                }
                ids[index] = id; // a race writes the same id twice
            }
            return id;
        }
    }
}
