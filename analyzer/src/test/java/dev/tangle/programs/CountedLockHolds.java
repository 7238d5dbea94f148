package dev.tangle.programs;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Two threads each take a shared non-fair {@code ReentrantLock} {@link #PER_THREAD} times, with nothing inside and
 * about a microsecond apart: short uncontended holds, which the agent counts (LEAF_HOLDS) rather than records.
 */
public final class CountedLockHolds {
    public static final int PER_THREAD = 20_000;

    public static void main(String[] args) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        long[] counter = new long[1];
        Thread[] threads = new Thread[2];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> Programs.holdRepeatedly(lock, counter, PER_THREAD), "holder-" + i);
            threads[i].start();
        }
        Programs.join(threads);
        System.out.println("counter = " + counter[0]);
    }
}
