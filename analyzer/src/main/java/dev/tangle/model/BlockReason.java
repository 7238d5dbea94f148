package dev.tangle.model;

/**
 * Why a thread is not running, which says what {@link StateInterval#resource()} names.
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
    SLEEP(false),
    /** {@code put}, {@code offer} with a timeout, {@code transfer}... on a blocking queue: the queue. */
    CHANNEL_SEND(false),
    /** {@code take}, {@code poll} with a timeout... on a blocking queue: the queue. */
    CHANNEL_RECEIVE(false),
    /** {@code Exchanger.exchange}: the exchanger. */
    EXCHANGE(false),
    /** {@code CountDownLatch.await}: the latch. */
    LATCH_AWAIT(false),
    /** {@code Semaphore.acquire} or a timed {@code tryAcquire}: the semaphore. */
    SEMAPHORE_ACQUIRE(false),
    /** {@code CyclicBarrier.await} or a {@code Phaser}'s await: the barrier. */
    BARRIER_AWAIT(false),
    /** {@code Future.get}, {@code CompletableFuture.join/get}: the future. */
    FUTURE_GET(false),
    /** {@code ExecutorService.awaitTermination}: the pool. */
    POOL_AWAIT_TERMINATION(false),
    /** A pool worker waiting for its next task (state {@link ThreadState#IDLE}): the pool. */
    WORKER_IDLE(false),
    /**
     * Waiting for another thread to finish initialising a class (the JVM shows the thread RUNNABLE; the agent's
     * stall watcher tells): the class's {@link ResourceKind#CLASS_INIT} resource.
     */
    CLASS_INIT(false);

    private final boolean resourceIsThread;

    BlockReason(boolean resourceIsThread) {
        this.resourceIsThread = resourceIsThread;
    }

    /** True when {@link StateInterval#resource()} is a thread id rather than a {@link Resource} id. */
    public boolean resourceIsThread() {
        return resourceIsThread;
    }

    /** True for the ways of waiting for a lock-like resource that another thread holds. */
    public boolean isLockAcquisition() {
        return this == MONITOR_ENTER || this == LOCK || this == CLASS_INIT;
    }

    /**
     * True for waits on a channel, exchanger, latch, semaphore, barrier, future or pool: another thread's
     * {@link Operation} on the same resource ends them (see {@link TraceModel#wokenBy}).
     */
    public boolean isSynchronizerWait() {
        return ordinal() >= CHANNEL_SEND.ordinal() && this != WORKER_IDLE && this != CLASS_INIT;
    }
}
