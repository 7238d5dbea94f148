package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * One thread holding one resource, from its outermost acquisition to its last release. A monitor released by
 * {@code wait} (or a lock by {@code await}) ends the hold; getting it back starts a new one.
 *
 * @param open  still held when the trace ended ({@code end} is then the trace's end)
 * @param tried acquired by a {@code tryLock} (which never blocks past its timeout)
 * @param site  where it was acquired
 * @param stack the stack captured for that acquisition, or null
 */
public record Hold(long resourceId, long threadId, LockMode mode, long start, long end, boolean open,
                   boolean tried, Frame site, CallStack stack) {
    public boolean contains(long time) {
        return start <= time && (time < end || open);
    }
}
