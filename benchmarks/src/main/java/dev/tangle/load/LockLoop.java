package dev.tangle.load;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The plain uncontended lock loop: each thread has its own monitor and its own {@code ReentrantLock}, and
 * alternates a {@code synchronized} block on the one with {@code lock()/unlock()} of the other, each around a
 * call of {@link #work}. One operation = one acquire+release pair, so {@code 1e9 * threads / opsPerSecond} is the
 * ns per pair per thread. Run {@link #work} not inlined ({@code -XX:CompileCommand=dontinline,...::work}, as
 * {@code load.sh} does): with nothing opaque inside, HotSpot merges the locks of consecutive iterations and a
 * bare block measures a fraction of a real acquire+release.
 *
 * <p>{@code java -cp benchmarks.jar dev.tangle.load.LockLoop [seconds [threads [warmupSeconds]]]} (5 s, 2, 2 s).
 */
public final class LockLoop extends Workload {
    private static final int PAIRS_PER_OPERATION = 2 * 1024;

    public static void main(String... args) throws Exception {
        new LockLoop().run(args, 5, 2, 2);
    }

    /** One thread's own monitor and lock. */
    private static final class Own {
        final Object monitor = new Object();
        final ReentrantLock lock = new ReentrantLock();
        long counter;
    }

    @Override
    protected String name() {
        return "lockloop";
    }

    @Override
    protected void setUp(int threads) {
    }

    @Override
    protected Object openClient(int index) {
        return new Own();
    }

    @Override
    protected int operation(Object client, int index) {
        Own own = (Own) client;
        Object monitor = own.monitor;
        ReentrantLock lock = own.lock;
        for (int i = 0; i < PAIRS_PER_OPERATION / 2; i++) {
            synchronized (monitor) {
                work(own);
            }
            lock.lock();
            try {
                work(own);
            } finally {
                lock.unlock();
            }
        }
        return PAIRS_PER_OPERATION;
    }

    static void work(Own own) {
        own.counter++;
    }

    @Override
    protected void tearDown() {
    }
}
