package dev.tangle.trace;

/**
 * A lock-like object of the recorded program: its trace id, class, and identity hash code (which the JVM's
 * own thread dumps and {@code LockInfo} also show, so the two can be matched).
 *
 * @param ownerId  for a {@code Condition}, the id of the lock it belongs to; else 0
 * @param capacity a size fixed at creation: a channel's capacity ({@code Integer.MAX_VALUE} when unbounded, 0 for
 *                 a hand-off such as {@code SynchronousQueue}), a pool's maximum size, a barrier's parties, a
 *                 latch's count when first seen; -1 when the object has none or it is unknown (and always in
 *                 version 1 traces)
 */
public record ObjectInfo(long id, String className, int identityHash, long ownerId, long capacity) {
    /** An object without a capacity. */
    public ObjectInfo(long id, String className, int identityHash, long ownerId) {
        this(id, className, identityHash, ownerId, -1);
    }

    /** The form used in reports: {@code java.util.concurrent.locks.ReentrantLock@1b6d3586 (#7)}. */
    @Override
    public String toString() {
        return className + "@" + Integer.toHexString(identityHash) + " (#" + id + ")";
    }
}
