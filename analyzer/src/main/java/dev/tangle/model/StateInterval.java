package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * What one thread did from {@code start} (inclusive) to {@code end} (exclusive).
 *
 * @param resource    the resource id (or a thread id, see {@link BlockReason#resourceIsThread()}), or 0
 * @param mode        for {@link BlockReason#isLockAcquisition()}, the requested mode; else null
 * @param timed       the wait had a timeout (a timed tryLock, wait, await, park or join)
 * @param interrupted the wait ended because the thread was interrupted
 * @param timedOut    the wait ended because its time ran out
 * @param open        the interval was still going on when the trace ended ({@code end} is the trace's end)
 * @param site        where the wait began, or null
 * @param stack       the stack captured there, or null
 */
public record StateInterval(long threadId, long start, long end, ThreadState state, BlockReason reason,
                            long resource, LockMode mode, boolean timed, boolean interrupted, boolean timedOut,
                            boolean open, Frame site, CallStack stack) {
    public boolean contains(long time) {
        return start <= time && (time < end || open);
    }
}
