package dev.tangle.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Correct use of the JDK's tools: a fixed thread pool that is shut down, a ConcurrentHashMap updated from many
 * tasks, and parallel streams on the common pool.
 */
public final class PoolsMapsAndStreams {
    public static void main(String[] args) throws Exception {
        ConcurrentHashMap<Integer, Long> counts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int task = 0; task < 40; task++) {
            int seed = task;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    counts.merge((seed * 31 + i) % 50, 1L, Long::sum);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pool did not end");
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long sum = IntStream.range(0, 2_000_000).parallel().filter(i -> i % 3 == 0).asLongStream().sum();
        Object monitor = new Object();
        long[] box = new long[1];
        IntStream.range(0, 1000).parallel().forEach(i -> {
            synchronized (monitor) {
                box[0] += i;
            }
        });
        System.out.println(total + " " + sum + " " + box[0]);
    }
}
