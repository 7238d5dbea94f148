package dev.tangle.model;

/** What an {@link Operation} did. */
public enum OperationKind {
    /** Put an element into a queue ({@code put}, {@code offer}, {@code add}, {@code transfer}...). */
    SEND,
    /** Took an element from a queue ({@code take}, {@code poll}, {@code remove}...). */
    RECEIVE,
    EXCHANGE,
    /** {@code CountDownLatch.countDown}; value = the count after. */
    COUNT_DOWN,
    LATCH_AWAIT,
    /** {@code Semaphore.acquire/tryAcquire}; value = permits. */
    ACQUIRE,
    /** {@code Semaphore.release}; value = permits. */
    RELEASE,
    /** A {@code CyclicBarrier} or {@code Phaser} await; value = the arrival index or phase. */
    BARRIER_AWAIT,
    /** A {@code Phaser} arrival without waiting; value = the phase. */
    ARRIVE,
    /** {@code Phaser.register}; value = parties added. */
    REGISTER,
    FUTURE_GET,
    /** The thread completed the future (normally, or FAILED: exceptionally or cancelled). */
    COMPLETE,
    /** {@code awaitTermination} on a pool. */
    POOL_AWAIT;

    /** Kinds that another thread's wait on the same resource can be woken by. */
    public boolean wakes(OperationKind waiting) {
        return switch (waiting) {
            case RECEIVE -> this == SEND;
            case SEND -> this == RECEIVE;
            case EXCHANGE -> this == EXCHANGE;
            case LATCH_AWAIT -> this == COUNT_DOWN;
            case ACQUIRE -> this == RELEASE;
            case BARRIER_AWAIT -> this == BARRIER_AWAIT || this == ARRIVE;
            case FUTURE_GET -> this == COMPLETE;
            default -> false;
        };
    }
}
