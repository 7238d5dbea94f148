package dev.tangle.programs;

import java.util.concurrent.locks.ReentrantLock;

/** Three daemon threads, three ReentrantLocks: thread i locks i, then i + 1 (mod 3). Deadlocks; main gives up. */
public final class LockCycleDeadlock {
    public static void main(String[] args) throws InterruptedException {
        ReentrantLock[] locks = {new ReentrantLock(), new ReentrantLock(), new ReentrantLock()};
        Thread[] threads = new Thread[3];
        for (int i = 0; i < 3; i++) {
            ReentrantLock first = locks[i];
            ReentrantLock second = locks[(i + 1) % 3];
            threads[i] = new Thread(() -> {
                first.lock();
                try {
                    Programs.pause(150);
                    second.lock();
                    second.unlock();
                } finally {
                    first.unlock();
                }
            }, "cycle-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        threads[0].join(1000);
    }
}
