package dev.tangle.programs;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two threads, "left" and "right", deadlock on two monitors ({@code monitors}) or two ReentrantLocks
 * ({@code locks}) before any agent is there; the program then prints "deadlocked" and waits to be attached to,
 * at most the given number of seconds. The threads are daemons: the program ends when main does.
 */
public final class DeadlockBeforeAttach {
    /** The monitor "left" takes first. */
    static final class LeftFork {
    }

    /** The monitor "right" takes first. */
    static final class RightFork {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean locks = args[0].equals("locks");
        long seconds = Long.parseLong(args[1]);
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread left;
        Thread right;
        if (locks) {
            ReentrantLock first = new ReentrantLock();
            ReentrantLock second = new ReentrantLock();
            left = new Thread(() -> lockBoth(first, second, bothHoldOne), "left");
            right = new Thread(() -> lockBoth(second, first, bothHoldOne), "right");
        } else {
            Object first = new LeftFork();
            Object second = new RightFork();
            left = new Thread(() -> enterBoth(first, second, bothHoldOne), "left");
            right = new Thread(() -> enterBoth(second, first, bothHoldOne), "right");
        }
        left.setDaemon(true);
        right.setDaemon(true);
        left.start();
        right.start();
        Thread.State blocked = locks ? Thread.State.WAITING : Thread.State.BLOCKED;
        while (left.getState() != blocked || right.getState() != blocked) {
            Thread.sleep(10);
        }
        System.out.println("deadlocked");
        System.out.flush();
        Thread.sleep(seconds * 1000);
    }

    private static void enterBoth(Object first, Object second, CountDownLatch bothHoldOne) {
        synchronized (first) {
            awaitQuietly(bothHoldOne);
            synchronized (second) {
                System.out.println("never printed");
            }
        }
    }

    private static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
        first.lock();
        try {
            awaitQuietly(bothHoldOne);
            second.lock();
            second.unlock();
        } finally {
            first.unlock();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        latch.countDown();
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
