package dev.tangle.gui.timeline.model;

import dev.tangle.model.BlockReason;
import dev.tangle.model.ThreadState;

/**
 * What a lane shows for a state interval: the JVM's thread states plus PARKED (a {@code LockSupport.park}, which
 * the JVM calls WAITING), and ABSENT before a thread's first event. Ordered by how much a developer needs to see it:
 * {@link #importance()} decides what stays visible when many intervals share one pixel column.
 *
 * <p>New block reasons (channels, latches, futures) map here through {@link #of}; a reason it does not know falls
 * back to its thread state, so the lanes keep working while the model grows.
 */
public enum StateCategory {
    ABSENT("not started", 0),
    RUNNING("running", 1),
    TERMINATED("terminated", 0),
    /** A pool worker waiting in its pool's queue for its next task: not blocked, nothing to fix. */
    IDLE("idle (pool)", 1),
    SLEEPING("sleeping", 2),
    TIMED_WAITING("timed waiting", 3),
    WAITING("waiting", 4),
    PARKED("parked", 4),
    BLOCKED("blocked", 5);

    private static final StateCategory[] VALUES = values();
    private final String label;
    private final int importance;

    StateCategory(String label, int importance) {
        this.label = label;
        this.importance = importance;
    }

    public String label() {
        return label;
    }

    /** 0 for what may disappear under a neighbour, higher for what must show even when short. */
    public int importance() {
        return importance;
    }

    public static StateCategory ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    public static StateCategory of(ThreadState state, BlockReason reason) {
        if (reason == BlockReason.PARK && (state == ThreadState.WAITING || state == ThreadState.TIMED_WAITING)) {
            return PARKED;
        }
        return switch (state) {
            case RUNNING -> RUNNING;
            case BLOCKED -> BLOCKED;
            case WAITING -> WAITING;
            case TIMED_WAITING -> TIMED_WAITING;
            case SLEEPING -> SLEEPING;
            case TERMINATED -> TERMINATED;
            case IDLE -> IDLE;
        };
    }
}
