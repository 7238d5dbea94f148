package dev.tangle.programs;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A livelock: each thread holds its own lock, tries the other's, fails, lets go and at once takes its own again,
 * for 400 ms. Both are busy the whole time and neither ever gets both locks.
 */
public final class PoliteLivelock {
    public static void main(String[] args) throws InterruptedException {
        ReentrantLock left = new ReentrantLock();
        ReentrantLock right = new ReentrantLock();
        long deadline = System.nanoTime() + 400_000_000L;
        Thread a = new Thread(() -> polite(left, right, deadline), "polite-left");
        Thread b = new Thread(() -> polite(right, left, deadline), "polite-right");
        a.start();
        b.start();
        Programs.join(a, b);
    }

    private static void polite(ReentrantLock mine, ReentrantLock theirs, long deadline) {
        while (System.nanoTime() < deadline) {
            mine.lock();
            try {
                Programs.pause(2);
                if (theirs.tryLock()) {
                    theirs.unlock(); // never happens while the other one is polite too
                }
            } finally {
                mine.unlock();
            }
        }
    }
}
