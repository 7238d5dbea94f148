package dev.tangle.programs;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs tasks on a fixed pool and never shuts it down: its non-daemon workers would keep the JVM alive for ever,
 * so main ends it with System.exit (as many programs do without knowing why they must).
 */
public final class ExecutorNeverShutDown {
    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Future<?>[] futures = new Future<?>[6];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = pool.submit(() -> Programs.pause(20));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        Programs.pause(100); // the workers are parked, waiting for more tasks
        System.exit(0);
    }
}
