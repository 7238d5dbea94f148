package dev.tangle.programs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A busy program for kill -9 tests: first two threads deadlock on two monitors (ABBA, "ab" and
 * "ba", each taking its second only once both hold their first), then, one
 * second later (many drains of the agent's writer), it prints "busy" and runs until killed: 6 threads on a shared
 * monitor and a ReentrantLock, 3 producer/consumer pairs on bounded queues, and a thread that starts a short-lived
 * thread every few milliseconds. It never ends by itself.
 */
public final class BusyWithEarlyDeadlock {
    public static void main(String[] args) throws Exception {
        Object a = new Object();
        Object b = new Object();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread ab = abba("ab", a, b, bothHoldOne);
        Thread ba = abba("ba", b, a, bothHoldOne);
        ab.start();
        ba.start();
        while (ab.getState() != Thread.State.BLOCKED || ba.getState() != Thread.State.BLOCKED) {
            Programs.pause(5);
        }
        Programs.pause(1000);

        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        long[] counter = new long[1];
        for (int i = 0; i < 6; i++) {
            daemon("locker-" + i, () -> {
                for (int n = 1; ; n++) {
                    if (n % 100 == 0) {
                        Thread.sleep(1); // busy, not a CPU hog on a shared machine
                    }
                    synchronized (monitor) {
                        counter[0]++;
                    }
                    lock.lock();
                    try {
                        counter[0]--;
                    } finally {
                        lock.unlock();
                    }
                }
            });
        }
        for (int i = 0; i < 3; i++) {
            BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(16);
            daemon("producer-" + i, () -> {
                for (int n = 0; ; n++) {
                    queue.put(n);
                }
            });
            daemon("consumer-" + i, () -> {
                while (true) {
                    queue.take();
                }
            });
        }
        daemon("spawner", () -> {
            for (int n = 0; ; n++) {
                Thread t = new Thread(() -> {
                    synchronized (monitor) {
                        counter[0]++;
                    }
                }, "short-" + n);
                t.start();
                t.join();
                Thread.sleep(2);
            }
        });
        System.out.println("busy");
        Thread.sleep(Long.MAX_VALUE);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void daemon(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static Thread abba(String name, Object first, Object second, CountDownLatch bothHoldOne) {
        Thread t = new Thread(() -> {
            synchronized (first) {
                bothHoldOne.countDown();
                try {
                    bothHoldOne.await(); // however slow the machine, each holds its first monitor now
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (second) {
                    System.out.println(name + " got both");
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}
