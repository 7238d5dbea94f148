package dev.tangle.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An ArrayBlockingQueue put/take pair: the agent records 4 events per pair (CHANNEL_SEND_BEGIN/END,
 * CHANNEL_RECV_BEGIN/END), and takes the queue's lock once more per call for the size after.
 *
 * <p>{@code putTake}: one thread puts into and takes from its own queue (never blocks): the hooks' cost on top of
 * two uncontended lock round trips. {@code handOff}: a producer and a consumer thread pass items through one
 * shared queue (they block when it is full or empty); timed offer/poll, so that neither thread can stay blocked
 * when JMH ends an iteration and stops the other. Per-thread ns/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Channels {
    private static final Integer ITEM = 42;

    @State(Scope.Thread)
    public static class Own {
        final ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(16);
    }

    @State(Scope.Group)
    public static class Shared {
        final ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(64);
    }

    @Benchmark
    public Integer putTake(Own s) throws InterruptedException {
        s.queue.put(ITEM);
        return s.queue.take();
    }

    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public boolean send(Shared s) throws InterruptedException {
        return s.queue.offer(ITEM, 10, TimeUnit.MILLISECONDS);
    }

    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public Integer receive(Shared s) throws InterruptedException {
        return s.queue.poll(10, TimeUnit.MILLISECONDS);
    }
}
