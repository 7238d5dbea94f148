package dev.tangle.programs;

import java.util.concurrent.locks.ReentrantLock;

/** Four threads take a monitor, then a fair lock, then another monitor, always in that order, under contention. */
public final class OrderedLocking {
    private static long counter;

    public static void main(String[] args) throws InterruptedException {
        Object first = new Object();
        ReentrantLock second = new ReentrantLock(true);
        Object third = new Object();
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int n = 0; n < 2000; n++) {
                    synchronized (first) {
                        second.lock();
                        try {
                            synchronized (third) {
                                counter++;
                            }
                        } finally {
                            second.unlock();
                        }
                    }
                }
            }, "ordered-" + i);
            threads[i].start();
        }
        Programs.join(threads);
        System.out.println("counter = " + counter);
    }
}
