package dev.tangle.model;

/**
 * A lock-like object of the recorded program.
 *
 * @param id           the trace's object id
 * @param className    its class, or "?" when the trace does not define it
 * @param identityHash {@code System.identityHashCode}, as JVM thread dumps show it
 * @param ownerId      for a condition, the id of its lock; else 0
 * @param capacity     a queue's capacity ({@code Integer.MAX_VALUE} unbounded, 0 hand-off), a pool's maximum size,
 *                     a barrier's parties, a latch's first count; -1 when none or unknown
 */
public record Resource(long id, String className, int identityHash, long ownerId, ResourceKind kind,
                       long capacity) {
    /** A resource without a capacity. */
    public Resource(long id, String className, int identityHash, long ownerId, ResourceKind kind) {
        this(id, className, identityHash, ownerId, kind, -1);
    }

    /** {@code java.util.concurrent.locks.ReentrantLock@1b6d3586 (#7)}, as in thread dumps plus the trace id. */
    public String label() {
        return className + "@" + Integer.toHexString(identityHash) + " (#" + id + ")";
    }

    /**
     * What the capacity means for this kind, or null: {@code capacity 0}, {@code unbounded}, {@code max 4
     * threads}, {@code 3 parties}, {@code count 2}.
     */
    public String capacityNote() {
        return capacityNote(kind, capacity);
    }

    /** What {@code capacity} means for a resource of this kind, or null (see {@link #capacityNote()}). */
    public static String capacityNoteOf(ResourceKind kind, long capacity) {
        return capacityNote(kind, capacity);
    }

    static String capacityNote(ResourceKind kind, long capacity) {
        if (capacity < 0) {
            return null;
        }
        return switch (kind) {
            case QUEUE -> capacity == Integer.MAX_VALUE ? "unbounded" : "capacity " + capacity;
            case POOL -> capacity == Integer.MAX_VALUE ? "unbounded threads" : "max " + capacity
                    + (capacity == 1 ? " thread" : " threads");
            case BARRIER -> capacity + (capacity == 1 ? " party" : " parties");
            case LATCH -> "count " + capacity;
            case SEMAPHORE -> capacity + (capacity == 1 ? " permit" : " permits");
            default -> null;
        };
    }

    /** {@code java.util.concurrent.SynchronousQueue@1b6d3586 (#7, capacity 0)}: the label with the capacity. */
    public String describe() {
        String note = capacityNote();
        return className + "@" + Integer.toHexString(identityHash) + " (#" + id + (note == null ? "" : ", " + note)
                + ")";
    }

    /** The class name without its package: {@code PrintSumDeadlock$Value}. */
    public String simpleClassName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    @Override
    public String toString() {
        return label();
    }
}
