package dev.tangle.programs;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock-order inversion made by one thread, as a test suite makes it: "worker" transfers from account a to b
 * (locks a then b), then from b to a (locks b then a). One thread never deadlocks with itself; two transfers in
 * opposite directions at once do. With an argument, it then runs on until the file it names exists.
 */
public final class SameThreadInversion {
    static void transfer(ReentrantLock from, ReentrantLock to) {
        from.lock();
        try {
            to.lock();
            try {
                Programs.pause(1);
            } finally {
                to.unlock();
            }
        } finally {
            from.unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        Thread worker = new Thread(() -> {
            transfer(a, b);
            transfer(b, a);
        }, "worker");
        worker.start();
        worker.join();
        if (args.length > 0) { // runs on until the file named by its argument exists (at most two minutes)
            System.out.println("inverted");
            java.nio.file.Path go = java.nio.file.Path.of(args[0]);
            long deadline = System.currentTimeMillis() + 120_000;
            while (!java.nio.file.Files.exists(go) && System.currentTimeMillis() < deadline) {
                Programs.pause(20);
            }
        }
    }
}
