package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * A {@code tryLock} that returned false, or a timed one that ran out of time ({@code timed}): the thread went on
 * without the lock. Interrupted tries are not included.
 */
public record FailedTry(long time, long threadId, long resourceId, boolean timed, Frame site, CallStack stack) {
}
