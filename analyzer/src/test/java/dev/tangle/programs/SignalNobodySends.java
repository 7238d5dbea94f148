package dev.tangle.programs;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hangs: a worker awaits a condition that nobody will ever signal (the signal was "sent" before it waited, a lost
 * wake-up), and main joins the worker. Nothing ends by itself: whoever runs it must stop it.
 */
public final class SignalNobodySends {
    public static void main(String[] args) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Condition ready = lock.newCondition();
        lock.lock();
        try {
            ready.signal(); // too early: nobody waits yet
        } finally {
            lock.unlock();
        }
        Thread worker = new Thread(() -> {
            lock.lock();
            try {
                ready.awaitUninterruptibly();
            } finally {
                lock.unlock();
            }
        }, "waiter");
        worker.start();
        System.out.println("started");
        worker.join();
    }
}
