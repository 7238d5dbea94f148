package dev.tangle.model;

/**
 * A lock-like object of the recorded program.
 *
 * @param id           the trace's object id
 * @param className    its class, or "?" when the trace does not define it
 * @param identityHash {@code System.identityHashCode}, as JVM thread dumps show it
 * @param ownerId      for a condition, the id of its lock; else 0
 */
public record Resource(long id, String className, int identityHash, long ownerId, ResourceKind kind) {
    /** {@code java.util.concurrent.locks.ReentrantLock@1b6d3586 (#7)}, as in thread dumps plus the trace id. */
    public String label() {
        return className + "@" + Integer.toHexString(identityHash) + " (#" + id + ")";
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
