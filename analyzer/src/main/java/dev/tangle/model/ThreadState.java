package dev.tangle.model;

/** What a thread is doing during a {@link StateInterval}, in the JVM's own terms where they exist. */
public enum ThreadState {
    /** Not blocked (it may still be descheduled by the OS; the trace cannot tell). */
    RUNNING,
    /** Asking for a monitor or lock that another thread held. */
    BLOCKED,
    /** In an untimed {@code wait}, {@code await}, {@code park} or {@code join}. */
    WAITING,
    /** In a {@code wait}, {@code await}, {@code park} or {@code join} with a timeout. */
    TIMED_WAITING,
    SLEEPING,
    TERMINATED
}
