package dev.tangle.samples.leak;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The remedy for {@link ExecutorPerRequest}: a pool that is created is shut down, and awaited, when the request
 * is done (better still, one pool for all requests). Its workers end and the program exits normally.
 */
public final class ExecutorShutDown {
    private ExecutorShutDown() {
    }

    public static void main(String[] args) throws Exception {
        for (String item : new String[] {"kettle", "teapot", "mug"}) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                System.out.println(ExecutorPerRequest.quote(pool, item));
            } finally {
                pool.shutdown();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
