package dev.tangle.trace;

/** Bits of {@link TraceEvent#flags()}. Which apply to which kind is said on {@link EventKind}. */
public final class EventFlags {
    /** Lock mode: shared (read lock, StampedLock read). Neither READ nor WRITE means exclusive. */
    public static final int READ = 1;
    /** Lock mode: write lock of a read-write lock or StampedLock. */
    public static final int WRITE = 2;
    /** The operation had a timeout (its length in {@link TraceEvent#value()}). */
    public static final int TIMED = 4;
    /** The operation ended because the thread was interrupted. */
    public static final int INTERRUPTED = 8;
    /** The operation ended because its time ran out. */
    public static final int TIMED_OUT = 16;
    public static final int DAEMON = 32;
    public static final int VIRTUAL = 64;
    /** The thread existed before recording began (attach, or JVM-internal threads). */
    public static final int PREEXISTING = 128;
    /** With TIMED: value is an absolute deadline in epoch milliseconds, not a duration. */
    public static final int DEADLINE = 256;
    /** The operation was a try (tryLock, tryAcquire): it never blocks past its timeout. */
    public static final int TRY = 512;
    /** The operation ended by an exception other than an interrupt. */
    public static final int FAILED = 1024;
    /**
     * Synthesised from a thread dump when the agent attached to a running JVM: the state the event describes
     * (a held monitor, a wait in progress) already existed; the event's time is the attach time.
     */
    public static final int SNAPSHOT = 2048;
    /**
     * Synthesised by the agent's stall watcher or its final snapshot from {@code ThreadMXBean}: what the JVM said
     * this thread held and waited for at the event's time. It stands until the thread's next event of its own
     * (or the next THREAD_STATE of it); see {@link EventKind#THREAD_STATE}.
     */
    public static final int WATCHED = 4096;
    /**
     * On MONITOR_ACQUIRED: the JVM took the monitor on entering a synchronized method whose flag the agent could
     * not remove (a JDK class such as Hashtable, or a class loaded before an attach), so no MONITOR_REQUEST came
     * first and a thread blocked on that entry was not seen waiting.
     */
    public static final int NO_REQUEST = 8192;

    private EventFlags() {
    }

    public static String modeName(int flags) {
        if ((flags & READ) != 0) {
            return "read";
        }
        if ((flags & WRITE) != 0) {
            return "write";
        }
        return "exclusive";
    }
}
