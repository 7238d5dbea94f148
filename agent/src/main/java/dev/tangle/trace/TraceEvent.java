package dev.tangle.trace;

/**
 * One recorded event, with its references resolved.
 *
 * @param time     nanoseconds since the start of recording
 * @param threadId the id of the thread that recorded it ({@code Thread.getId()})
 * @param objectId the lock-like object, or the other thread for thread events; 0 when none
 * @param object   the object's class and identity when {@code objectId} names an object, else null
 * @param site     the code location of the operation, or null
 * @param stack    the stack captured for it, or null (stacks are captured selectively, see the docs)
 * @param flags    {@link EventFlags} bits
 * @param value    kind-specific number (hold count, timeout, lost count...)
 * @param text     kind-specific string (thread name, exception class), or null
 */
public record TraceEvent(long time, long threadId, EventKind kind, long objectId, ObjectInfo object, Frame site,
                         CallStack stack, int flags, long value, String text) {

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
