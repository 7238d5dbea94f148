package dev.tangle.trace;

/**
 * A lock-like object of the recorded program: its trace id, class, and identity hash code (which the JVM's
 * own thread dumps and {@code LockInfo} also show, so the two can be matched).
 *
 * @param ownerId for a {@code Condition}, the id of the lock it belongs to; else 0
 */
public record ObjectInfo(long id, String className, int identityHash, long ownerId) {
    /** The form used in reports: {@code java.util.concurrent.locks.ReentrantLock@1b6d3586 (#7)}. */
    @Override
    public String toString() {
        return className + "@" + Integer.toHexString(identityHash) + " (#" + id + ")";
    }
}
