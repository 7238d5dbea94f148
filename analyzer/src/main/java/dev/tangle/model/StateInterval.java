package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * What one thread did from {@code start} (inclusive) to {@code end} (exclusive).
 *
 * @param resource    the resource id (or a thread id, see {@link BlockReason#resourceIsThread()}), or 0
 * @param mode        for {@link BlockReason#isLockAcquisition()}, the requested mode; else null
 * @param timed       the wait had a timeout (a timed tryLock, wait, await, park, join, poll, offer, tryAcquire...)
 * @param interrupted the wait ended because the thread was interrupted
 * @param timedOut    the wait ended because its time ran out
 * @param open        the interval was still going on when the trace ended ({@code end} is the trace's end)
 * @param site        where the wait began, or null
 * @param stack       the stack captured there, or null
 * @param failed      the wait ended by failure: a future that completed exceptionally or was cancelled, a broken
 *                    barrier, a refused offer
 * @param timeout     the timeout in ns (or a deadline in epoch ms for a park with a deadline) when {@code timed}
 *                    and the trace says it; else 0
 */
public record StateInterval(long threadId, long start, long end, ThreadState state, BlockReason reason,
                            long resource, LockMode mode, boolean timed, boolean interrupted, boolean timedOut,
                            boolean open, Frame site, CallStack stack, boolean failed, long timeout) {
    /** An interval that did not fail and has no timeout value. */
    public StateInterval(long threadId, long start, long end, ThreadState state, BlockReason reason,
                         long resource, LockMode mode, boolean timed, boolean interrupted, boolean timedOut,
                         boolean open, Frame site, CallStack stack) {
        this(threadId, start, end, state, reason, resource, mode, timed, interrupted, timedOut, open, site, stack,
                false, 0);
    }

    public boolean contains(long time) {
        return start <= time && (time < end || open);
    }
}
