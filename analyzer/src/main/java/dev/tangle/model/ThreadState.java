package dev.tangle.model;

/** What a thread is doing during a {@link StateInterval}, in the JVM's own terms where they exist. */
public enum ThreadState {
    /** Not blocked (it may still be descheduled by the OS; the trace cannot tell). */
    RUNNING,
    /** Asking for a monitor or lock that another thread held. */
    BLOCKED,
    /**
     * In an untimed {@code wait}, {@code await}, {@code park} or {@code join}, or an untimed channel, latch,
     * semaphore, barrier, exchanger, future or {@code awaitTermination} wait.
     */
    WAITING,
    /** As {@link #WAITING}, with a timeout. */
    TIMED_WAITING,
    SLEEPING,
    TERMINATED,
    /**
     * A pool worker waiting in its pool's queue for its next task ({@link BlockReason#WORKER_IDLE}): not blocked
     * in a task, and never counted as blocked or hung.
     */
    IDLE
}
