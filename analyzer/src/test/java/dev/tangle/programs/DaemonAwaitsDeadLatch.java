package dev.tangle.programs;

import java.util.concurrent.CountDownLatch;

/**
 * A daemon waiting for a latch that nothing can count down any more: "awaiter" waits for two workers;
 * "worker-1" counts down and ends, "worker-2" dies of an exception before it counts down.
 */
public final class DaemonAwaitsDeadLatch {
    public static void main(String[] args) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(2);
        Thread awaiter = new Thread(() -> {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "awaiter");
        awaiter.setDaemon(true);
        awaiter.start();
        Thread first = new Thread(() -> done.countDown(), "worker-1");
        Thread second = new Thread(() -> {
            if (done.getCount() > 0) {
                throw new IllegalStateException("failed before counting down");
            }
            done.countDown();
        }, "worker-2");
        second.setUncaughtExceptionHandler((t, e) -> { });
        first.start();
        first.join();
        second.start();
        second.join();
        Programs.awaitWaiting(awaiter); // then the program ends
    }
}
