package dev.tangle.programs;

/** Helpers of the recorded programs. */
final class Programs {
    private Programs() {
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns once {@code t} is in an untimed wait (at most 10 s): it waits for good before the program ends. */
    static void awaitWaiting(Thread t) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (t.getState() != Thread.State.WAITING && System.currentTimeMillis() < deadline) {
            pause(5);
        }
    }

    /**
     * Waits (at most 10 s) until {@code thread} is blocked entering the monitor of {@code monitor}: not merely
     * BLOCKED, which a thread also is for a moment on a class loading or initialisation lock.
     */
    static void awaitBlockedOn(Thread thread, Object monitor) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(thread.getId());
            if (info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockInfo() != null
                    && info.getLockInfo().getIdentityHashCode() == System.identityHashCode(monitor)) {
                return;
            }
            pause(5);
        }
    }

    /**
     * Takes {@code lock} {@code times} times with only a counter increment inside, about a microsecond apart: short
     * uncontended holds at a pace the agent's writer keeps up with on two busy cores (no lost events).
     */
    static void holdRepeatedly(java.util.concurrent.locks.ReentrantLock lock, long[] counter, int times) {
        for (int n = 0; n < times; n++) {
            lock.lock();
            try {
                counter[0]++;
            } finally {
                lock.unlock();
            }
            long until = System.nanoTime() + 1000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
    }

    static void join(Thread... threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
