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
    OTHER,
    /** A {@code BlockingQueue} (a channel); {@link Resource#capacity()} is its capacity. */
    QUEUE,
    /** An {@code Exchanger}. */
    EXCHANGER,
    /** A {@code CountDownLatch}; {@link Resource#capacity()} is its count when first seen. */
    LATCH,
    /** A {@code Semaphore}. */
    SEMAPHORE,
    /** A {@code CyclicBarrier} or {@code Phaser}; {@link Resource#capacity()} is its parties. */
    BARRIER,
    /** A {@code Future} waited for or completed (a {@code FutureTask} submitted to a pool is one too). */
    FUTURE,
    /**
     * An executor ({@code ThreadPoolExecutor}, {@code ForkJoinPool}); {@link Resource#capacity()} is its maximum
     * size.
     */
    POOL,
    /** A task a pool queued and ran, that nobody waited for as a future. */
    TASK,
    /**
     * The initialisation of a class (its static initialiser): held by the thread that initialises it, waited for
     * by the threads that use the class meanwhile. {@link Resource#className()} is the class.
     */
    CLASS_INIT;

    /** True for resources that at most one thread can hold at a time (in at least one of their modes). */
    public boolean isExclusive() {
        return this == MONITOR || this == LOCK || this == READ_WRITE_LOCK || this == CLASS_INIT;
    }
}
