package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

import java.util.List;

/**
 * A thread asked for lock {@code to} while holding lock {@code from}: the edge of a lock-order graph. Repeated
 * acquisitions with the same locks, modes, thread and gate locks are one edge; the sites and stacks are those of
 * the first, the times span all of them.
 *
 * @param gates          the locks the thread took before {@code from} and still held (sorted resource ids): one common to
 *                       both sides of an inversion serialises them
 * @param fromSite       where {@code from} was acquired
 * @param toSite         where {@code to} was asked for
 * @param firstFromTime  when {@code from} was acquired, for the first occurrence
 * @param lastToTime     when {@code to} was asked for, for the last occurrence
 * @param count          how many times it happened
 */
public record LockOrderEdge(long from, long to, long threadId, LockMode fromMode, LockMode toMode,
                            List<Long> gates, Frame fromSite, CallStack fromStack, Frame toSite,
                            CallStack toStack, long firstFromTime, long lastToTime, long count) {
}
