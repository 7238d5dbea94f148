package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * One operation on a channel, exchanger, latch, semaphore, barrier, future or pool, blocking or not: who did
 * what to which resource, when, and how it ended. The operations of a resource, in time order, say who sent and
 * who received, who counted a latch down, who released a semaphore, who completed a future: the answers to "who
 * woke this thread" ({@link TraceModel#wokenBy}).
 *
 * @param start   when it began (for instantaneous kinds, when it happened)
 * @param end     when it returned; the trace's end when {@code outcome} is PENDING; {@code start} for
 *                instantaneous kinds
 * @param value   the event's number: the queue's size after a send or receive, the latch's count after a
 *                count-down, permits, a barrier's arrival index or phase, a Phaser's parties; 0 when none
 * @param method  the method called ({@code put}, {@code poll}, {@code arriveAndAwaitAdvance}, {@code complete},
 *                {@code shutdownNow}...), or null when the trace does not say
 * @param timed   it had a timeout
 * @param tried   it was a call that never blocks ({@code offer()}, {@code poll()}, {@code tryAcquire()})
 */
public record Operation(OperationKind kind, long resourceId, long threadId, long start, long end, Outcome outcome,
                        long value, String method, boolean timed, boolean tried, Frame site, CallStack stack) {
    /** How an operation ended. */
    public enum Outcome {
        /** It did what it was asked (sent, received, acquired, passed the barrier, got the value). */
        COMPLETED,
        /** Its timeout ran out (a {@code poll} that returned null, a timed {@code tryAcquire} that failed...). */
        TIMED_OUT,
        /**
         * It returned without doing it: refused (an {@code offer} on a full queue, a {@code poll} on an empty
         * one, {@code tryAcquire} false), a broken barrier, a future that failed or was cancelled; for
         * {@link OperationKind#COMPLETE}, a completion by exception or cancellation.
         */
        FAILED,
        INTERRUPTED,
        /** Still going on when the trace ended. */
        PENDING
    }

    /** True when it ended without doing what it was asked: timed out or refused (not interrupted). */
    public boolean unsuccessful() {
        return outcome == Outcome.TIMED_OUT || outcome == Outcome.FAILED;
    }
}
