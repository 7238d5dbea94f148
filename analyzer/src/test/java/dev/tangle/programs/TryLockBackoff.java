package dev.tangle.programs;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** Two threads take two locks in opposite orders, but the second with tryLock, backing off when it fails. */
public final class TryLockBackoff {
    public static void main(String[] args) throws InterruptedException {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        Thread one = new Thread(() -> transfer(a, b, false), "a-then-b");
        Thread two = new Thread(() -> transfer(b, a, true), "b-then-a");
        one.start();
        two.start();
        Programs.join(one, two);
    }

    private static void transfer(ReentrantLock first, ReentrantLock second, boolean timed) {
        int done = 0;
        while (done < 200) {
            first.lock();
            try {
                boolean got;
                try {
                    got = timed ? second.tryLock(1, TimeUnit.MILLISECONDS) : second.tryLock();
                } catch (InterruptedException e) {
                    return;
                }
                if (got) {
                    try {
                        done++;
                    } finally {
                        second.unlock();
                    }
                }
            } finally {
                first.unlock();
            }
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                Thread.yield();
            }
        }
    }
}
