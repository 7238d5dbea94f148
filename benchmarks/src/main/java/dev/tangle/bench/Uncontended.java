package dev.tangle.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One thread, its own lock: the cost of one recorded acquire and release that never waits.
 *
 * <p>Every critical section calls {@link #work()}, which the JIT may not inline. Without an opaque call inside,
 * HotSpot merges the lock of consecutive iterations (lock coarsening) or removes it, and a bare
 * {@code synchronized} measures about 1.6 ns instead of the real 6 to 7 ns (see the instrumentation notes).
 * {@link #call} measures that call alone, so {@code syncBlock - call} is the cost of the lock itself. The agent
 * does not rewrite {@code call} (no lock in it): its row should show no added time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Uncontended {
    private final Object monitor = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    private int counter;

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void work() {
        counter++;
    }

    /** Reference: the opaque call alone, no lock. */
    @Benchmark
    public int call() {
        work();
        return counter;
    }

    /** {@code synchronized (monitor) { work(); }}: recorded as MONITOR_REQUEST, MONITOR_ACQUIRED, MONITOR_RELEASE. */
    @Benchmark
    public int syncBlock() {
        synchronized (monitor) {
            work();
        }
        return counter;
    }

    /**
     * A synchronized method, itself not inlined (so its lock cannot be merged across iterations); the agent
     * rewrites it at load into a block with the same three events.
     */
    @Benchmark
    public int syncMethod() {
        return incrementSynchronized();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private synchronized int incrementSynchronized() {
        return ++counter;
    }

    /** {@code lock.lock(); try { work(); } finally { lock.unlock(); }}: LOCK_REQUEST, LOCK_ACQUIRED, LOCK_RELEASE. */
    @Benchmark
    public int reentrantLock() {
        lock.lock();
        try {
            work();
        } finally {
            lock.unlock();
        }
        return counter;
    }
}
