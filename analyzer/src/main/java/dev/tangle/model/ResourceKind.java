package dev.tangle.model;

/** What kind of synchronisation object a {@link Resource} is, as its events tell. */
public enum ResourceKind {
    /** An object used with {@code synchronized}, {@code wait} or {@code notify}. */
    MONITOR,
    /** A {@code Lock} used only exclusively ({@code ReentrantLock}, ...). */
    LOCK,
    /** A lock with read and write modes ({@code ReentrantReadWriteLock}, {@code StampedLock}). */
    READ_WRITE_LOCK,
    /** A {@code Condition}; its {@link Resource#ownerId()} is its lock. */
    CONDITION,
    /** The blocker object of a {@code LockSupport.park}. */
    PARK_BLOCKER,
    /** Seen only in events that do not tell (not expected from the agent). */
    OTHER;

    /** True for resources that at most one thread can hold at a time (in at least one of their modes). */
    public boolean isExclusive() {
        return this == MONITOR || this == LOCK || this == READ_WRITE_LOCK;
    }
}
