package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * A request for a monitor or lock that had to wait for another thread (or was still waiting at the end).
 * Uncontended requests leave no {@code LockWait}.
 *
 * @param end the time it was granted or given up, or the trace's end when {@code outcome} is PENDING
 */
public record LockWait(long resourceId, long threadId, LockMode mode, long start, long end, Outcome outcome,
                       boolean timed, Frame site, CallStack stack) {
    public enum Outcome {
        ACQUIRED,
        /** A timed tryLock that ran out of time. */
        TIMED_OUT,
        /** {@code lockInterruptibly} or a timed {@code tryLock} ended by an interrupt. */
        INTERRUPTED,
        FAILED,
        /** Still waiting when the trace ended. */
        PENDING
    }
}
