package dev.tangle.trace;

/**
 * What an event records. The names appear in {@code tangle dump} and are stable; the codes are the format's
 * and never change meaning. Fields that an event uses besides time, thread and site are listed per kind.
 */
public enum EventKind {
    /** In the parent: object = child thread id, text = child name, flags DAEMON/VIRTUAL, stack = creation stack. */
    THREAD_START(1),
    /** First event of a thread: text = its name; flag PREEXISTING when the thread existed before recording began. */
    THREAD_BEGIN(2),
    /** Last event of a thread: text = class of the uncaught exception that ended it, if any. */
    THREAD_END(3),
    /** object = renamed thread id, text = new name. */
    THREAD_RENAME(4),

    /** A thread is about to enter a {@code synchronized} block or method and may block. */
    MONITOR_REQUEST(10),
    /** value = this thread's hold count after the entry (1 = first entry, more = reentrant). */
    MONITOR_ACQUIRED(11),
    /** value = this thread's hold count before the exit. */
    MONITOR_RELEASE(12),
    /**
     * Releases the monitor entirely; flag TIMED with value = timeout ns (0 for an untimed wait). The hold count
     * released is WAIT_END's value.
     */
    WAIT_BEGIN(13),
    /** The monitor is held again (value = restored hold count); flag INTERRUPTED when it ended by interrupt. */
    WAIT_END(14),
    NOTIFY(15),
    NOTIFY_ALL(16),

    /** Mode flags READ / WRITE (neither: exclusive); flag TIMED with value = timeout ns for a timed tryLock. */
    LOCK_REQUEST(20),
    LOCK_ACQUIRED(21),
    /** A tryLock that returned false (flag TIMED_OUT for the timed form) or was interrupted (INTERRUPTED). */
    LOCK_TRY_FAILED(22),
    LOCK_RELEASE(23),
    /** object = the condition, value = timeout ns when TIMED. The associated lock is released. */
    CONDITION_AWAIT_BEGIN(24),
    /** flags TIMED_OUT / INTERRUPTED; the associated lock is held again. */
    CONDITION_AWAIT_END(25),
    CONDITION_SIGNAL(26),
    CONDITION_SIGNAL_ALL(27),

    /** object = the blocker, if any; value = timeout ns (or deadline ms with flag DEADLINE) when TIMED. */
    PARK_BEGIN(30),
    PARK_END(31),
    /** object = the unparked thread id. */
    UNPARK(32),
    /** object = the joined thread id; value = timeout ns when TIMED. */
    JOIN_BEGIN(33),
    /** flags INTERRUPTED / TIMED_OUT (the joined thread was still alive). */
    JOIN_END(34),
    /** value = requested duration in ns. */
    SLEEP_BEGIN(35),
    SLEEP_END(36),
    /** object = the interrupted thread id. */
    INTERRUPT(37),

    /** value = number of events this thread could not record since its previous event (buffer full). */
    LOST_EVENTS(60);

    private static final EventKind[] BY_CODE = new EventKind[128];

    static {
        for (EventKind kind : values()) {
            BY_CODE[kind.code] = kind;
        }
    }

    private final int code;

    EventKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * True when {@link TraceEvent#objectId()} of this kind is a thread id ({@code Thread.getId()}) rather than a
     * trace object id. The two id spaces overlap (both start at 1), so such ids are never looked up as objects.
     */
    public boolean objectIsThread() {
        return switch (this) {
            case THREAD_START, THREAD_RENAME, UNPARK, JOIN_BEGIN, JOIN_END, INTERRUPT -> true;
            default -> false;
        };
    }

    /** The kind with this code, or null if this reader does not know it. */
    public static EventKind ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
