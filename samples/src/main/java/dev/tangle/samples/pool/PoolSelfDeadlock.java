package dev.tangle.samples.pool;

import dev.tangle.samples.HangNotice;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Thread-pool starvation deadlock: a report task, running on a two-thread pool, splits itself into sections,
 * submits them to the same pool and waits for them. With two reports running, both workers wait for sections
 * that sit in the queue behind them: no worker is free to run them, ever. Main waits for the reports.
 *
 * <p>It hangs for ever; see {@link HangNotice} for how {@code tangle demo} stops it. {@link SeparatePools} is the
 * remedy.
 */
public final class PoolSelfDeadlock {
    private PoolSelfDeadlock() {
    }

    static String report(String quarter, ExecutorService sectionPool) throws Exception {
        Future<String> sales = sectionPool.submit(() -> quarter + " sales");
        Future<String> costs = sectionPool.submit(() -> quarter + " costs");
        return sales.get() + ", " + costs.get(); // on the same pool: waits for a worker, and it is one
    }

    public static void main(String[] args) throws Exception {
        HangNotice.after(700);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<String> q1 = pool.submit(() -> report("Q1", pool));
        Future<String> q2 = pool.submit(() -> report("Q2", pool));
        System.out.println(q1.get());
        System.out.println(q2.get());
        pool.shutdown();
    }
}
