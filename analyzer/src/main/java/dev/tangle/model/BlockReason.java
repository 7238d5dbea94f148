package dev.tangle.model;

/**
 * Why a thread is not running, which says what {@link StateInterval#resource()} names. Future event kinds
 * (channels, latches, barriers, futures) add reasons here.
 */
public enum BlockReason {
    /** Running or terminated: no resource. */
    NONE(false),
    /** Entering a {@code synchronized} block or method: the monitor. */
    MONITOR_ENTER(false),
    /** {@code Lock.lock}, {@code lockInterruptibly} or a timed {@code tryLock}: the lock. */
    LOCK(false),
    /** {@code Object.wait}: the monitor. */
    MONITOR_WAIT(false),
    /** {@code Condition.await}: the condition (its {@link Resource#ownerId()} is the lock). */
    CONDITION_AWAIT(false),
    /** {@code LockSupport.park}: the blocker object, or 0. */
    PARK(false),
    /** {@code Thread.join}: the joined thread's id (a thread id, not a resource id). */
    JOIN(true),
    SLEEP(false);

    private final boolean resourceIsThread;

    BlockReason(boolean resourceIsThread) {
        this.resourceIsThread = resourceIsThread;
    }

    /** True when {@link StateInterval#resource()} is a thread id rather than a {@link Resource} id. */
    public boolean resourceIsThread() {
        return resourceIsThread;
    }

    /** True for the two ways of waiting for a lock-like resource that another thread holds. */
    public boolean isLockAcquisition() {
        return this == MONITOR_ENTER || this == LOCK;
    }
}
