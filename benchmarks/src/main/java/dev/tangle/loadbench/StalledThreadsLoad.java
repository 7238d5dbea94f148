package dev.tangle.loadbench;

import java.util.Hashtable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A load for the stall watcher's cost: one thread does recorded lock operations as fast as it can while many
 * threads stay stalled around it. {@code stuck} threads are BLOCKED for ever on a monitor held by one holder (the
 * watcher asks about them every period and finds nothing new); {@code churn} threads queue on one Hashtable's
 * monitor inside JDK code (no hook sees it) whose owner changes every 100 ms, so each period the watcher finds
 * changed stalled threads and takes a dump with stacks and locks. Prints {@code ops/s} of the measuring thread over
 * {@code seconds} after a one-second warm-up, and the CPU time of the agent's watcher thread as a percentage of the
 * run's wall time (of one core).
 *
 * <p>{@code java [-javaagent:...=stallMillis=N] -cp benchmarks.jar dev.tangle.loadbench.StalledThreadsLoad
 * [stuck] [churn] [seconds]}; {@code benchmarks/stall-cost.sh} runs it with the watcher off and on, alternating.
 */
public final class StalledThreadsLoad {
    private static final Object STUCK_ON = new Object();
    private static final Hashtable<Integer, Integer> TABLE = new Hashtable<>();
    private static volatile boolean running = true;
    private static long counter;

    public static void main(String[] args) throws Exception {
        int stuck = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int churn = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long launched = System.nanoTime();
        Thread holder = daemon(() -> {
            synchronized (STUCK_ON) {
                sleep(Long.MAX_VALUE);
            }
        }, "holder");
        holder.start();
        while (holder.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < stuck; i++) {
            daemon(() -> {
                synchronized (STUCK_ON) {
                    counter++;
                }
            }, "stuck-" + i).start();
        }
        for (int i = 0; i < churn; i++) {
            int key = i;
            daemon(() -> {
                while (running) {
                    TABLE.computeIfAbsent(key, k -> {
                        sleep(100);
                        return k;
                    });
                    TABLE.remove(key);
                }
            }, "churn-" + i).start();
        }
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        long ops = 0;
        long warm = System.nanoTime() + 1_000_000_000L;
        long start = 0;
        long end = Long.MAX_VALUE;
        while (true) {
            for (int i = 0; i < 1000; i++) {
                synchronized (monitor) {
                    counter++;
                }
                lock.lock();
                try {
                    counter++;
                } finally {
                    lock.unlock();
                }
            }
            long now = System.nanoTime();
            if (start == 0 && now >= warm) {
                start = now;
                end = start + seconds * 1_000_000_000L;
                ops = 0;
            } else if (start != 0) {
                ops += 1000;
                if (now >= end) {
                    System.out.printf("ops/s %.0f%n", ops * 1e9 / (now - start));
                    System.out.printf("watcher cpu %% %.3f%n", watcherCpuNanos() * 100.0 / (now - launched));
                    break;
                }
            }
        }
        running = false;
    }

    /** CPU time of the agent's stall-watcher thread so far (0 without the agent or with the watcher off). */
    private static long watcherCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("tangle-stall-watcher")) {
                return Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return 0;
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
