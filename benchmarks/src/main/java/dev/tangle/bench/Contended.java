package dev.tangle.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two threads hammering one shared lock with a tiny critical section: the agent's cost when the lock is
 * handed between threads (its recording code runs partly inside the critical section, so it lengthens the
 * time the lock is held). ns/op is the average time per operation of each thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class Contended {
    private final Object monitor = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    private int counter;

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void work() {
        counter++;
    }

    @Benchmark
    public int syncBlock() {
        synchronized (monitor) {
            work();
        }
        return counter;
    }

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
