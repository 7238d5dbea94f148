package dev.tangle.samples.patterns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A correct rate limiter: a token bucket (a {@link Semaphore} of at most 5 tokens) refilled every 10 ms by a
 * scheduled task; three clients each make 10 calls, each call taking a token first. The refiller is shut down at
 * the end.
 */
public final class RateLimiter {
    private RateLimiter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Semaphore tokens = new Semaphore(5);
        ScheduledExecutorService refill = Executors.newSingleThreadScheduledExecutor();
        refill.scheduleAtFixedRate(() -> {
            if (tokens.availablePermits() < 5) {
                tokens.release();
            }
        }, 10, 10, TimeUnit.MILLISECONDS);
        List<Thread> clients = new ArrayList<>();
        int[] calls = new int[3];
        for (int c = 0; c < 3; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    try {
                        tokens.acquire();
                    } catch (InterruptedException e) {
                        return;
                    }
                    calls[client]++; // the rate-limited call
                }
            }, "client-" + (c + 1));
            clients.add(t);
            t.start();
        }
        for (Thread t : clients) {
            t.join();
        }
        refill.shutdown();
        refill.awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("calls per client: " + calls[0] + ", " + calls[1] + ", " + calls[2]);
    }
}
