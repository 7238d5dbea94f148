package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.Frame;

/**
 * A wake-up sent on a monitor ({@code notify}, {@code notifyAll}) or condition ({@code signal},
 * {@code signalAll}).
 */
public record Signal(long time, long threadId, long resourceId, EventKind kind, Frame site, CallStack stack) {
}
