package dev.tangle.samples.pool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The remedy for {@link PoolSelfDeadlock}: the sections run on their own pool, so a report waiting for them never
 * holds the only worker that could run them. (Composing {@code CompletableFuture}s without blocking in a task is
 * the other way out.)
 */
public final class SeparatePools {
    private SeparatePools() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService reports = Executors.newFixedThreadPool(2);
        ExecutorService sections = Executors.newFixedThreadPool(2);
        try {
            Future<String> q1 = reports.submit(() -> PoolSelfDeadlock.report("Q1", sections));
            Future<String> q2 = reports.submit(() -> PoolSelfDeadlock.report("Q2", sections));
            System.out.println(q1.get());
            System.out.println(q2.get());
        } finally {
            reports.shutdown();
            sections.shutdown();
            reports.awaitTermination(5, TimeUnit.SECONDS);
            sections.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
