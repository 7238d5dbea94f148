package dev.tangle.samples.leak;

import dev.tangle.samples.Pause;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A thread pool per request, never shut down: each request makes a two-thread pool to fetch a price and a stock
 * level in parallel, uses the answers and forgets the pool. Its workers are not daemons and wait for the next
 * task for ever, so two threads leak per request and the JVM cannot exit by itself; the program ends with
 * {@code System.exit}.
 */
public final class ExecutorPerRequest {
    private ExecutorPerRequest() {
    }

    static String quote(ExecutorService pool, String item) throws InterruptedException, ExecutionException {
        Future<Integer> price = pool.submit(() -> {
            Pause.millis(10);
            return item.length() * 100;
        });
        Future<Integer> stock = pool.submit(() -> {
            Pause.millis(10);
            return 7;
        });
        return item + ": " + price.get() + " cents, " + stock.get() + " in stock";
    }

    public static void main(String[] args) throws Exception {
        for (String item : new String[] {"kettle", "teapot", "mug"}) {
            ExecutorService pool = Executors.newFixedThreadPool(2); // one per request, and never shut down
            System.out.println(quote(pool, item));
        }
        Pause.millis(200);
        System.exit(0);
    }
}
