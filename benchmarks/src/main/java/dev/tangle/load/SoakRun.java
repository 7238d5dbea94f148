package dev.tangle.load;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The soak run's program side ({@link SoakBenchmark} starts it in a child JVM under the agent): runs a workload's
 * {@code main(seconds, threads, warmup)} (any {@link Workload}, e.g. {@code dev.tangle.load.H2Load}) while a
 * churn thread creates short-lived locks at a steady rate (a monitor and a ReentrantLock each, locked once and
 * dropped) and a sampler writes one CSV line every {@code sampleSeconds}: seconds since start, heap used after the
 * last collection and now (MiB), the agent's tables ({@code dev.tangle.agent.bootstrap.Tables.sizes()}: live
 * object entries, buckets, strings, frames, stacks), the trace file's size and the locks churned so far.
 *
 * <pre>SoakRun TRACE SAMPLE_SECONDS CSV CHURN_PER_SECOND WORKLOAD_MAIN SECONDS THREADS WARMUP</pre>
 */
public final class SoakRun {
    private SoakRun() {
    }

    public static void main(String[] args) throws Exception {
        Path trace = Path.of(args[0]);
        long sampleMillis = (long) (Double.parseDouble(args[1]) * 1000);
        Path csv = Path.of(args[2]);
        int churnPerSecond = Integer.parseInt(args[3]);
        String workload = args[4];
        String[] workloadArgs = {args[5], args[6], args[7]};

        AtomicLong churned = new AtomicLong();
        long start = System.nanoTime();
        Method sizes = agentTableSizes();
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv), true);
        out.println("seconds,heapAfterGcMiB,heapMiB,objectEntries,objectBuckets,strings,frames,stacks,traceBytes,"
                + "churnedLocks");
        Runnable sample = () -> {
            long[] s = {-1, -1, -1, -1, -1};
            try {
                if (sizes != null) {
                    s = (long[]) sizes.invoke(null);
                }
                out.printf(Locale.ROOT, "%.1f,%.1f,%.1f,%d,%d,%d,%d,%d,%d,%d%n", (System.nanoTime() - start) / 1e9,
                        heapAfterGc() / 1048576.0, heapNow() / 1048576.0, s[0], s[1], s[2], s[3], s[4],
                        Files.exists(trace) ? Files.size(trace) : 0, churned.get());
            } catch (Exception e) {
                out.println("# sample failed: " + e);
            }
        };
        Thread sampler = daemon("soak-sampler", () -> {
            while (true) {
                sample.run();
                Thread.sleep(sampleMillis);
            }
        });
        Thread churn = daemon("soak-churn", () -> {
            long next = System.nanoTime();
            while (true) {
                for (int i = 0; i < churnPerSecond / 10; i++) {
                    Object monitor = new Object();
                    synchronized (monitor) {
                        churned.incrementAndGet();
                    }
                    ReentrantLock lock = new ReentrantLock();
                    lock.lock();
                    try {
                        churned.incrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }
                next += 100_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        });
        Class.forName(workload).getMethod("main", String[].class).invoke(null, (Object) workloadArgs);
        churn.interrupt();
        churn.join();
        sampler.interrupt();
        sampler.join();
        for (int i = 0; i < 3; i++) { // the workload's and the churn's locks die; their entries must go too
            System.gc();
            Thread.sleep(300); // the reference handler queues the cleared entries
        }
        sample.run();
        out.close();
        System.out.println("SOAK churned=" + churned.get());
    }

    /** {@code Tables.sizes()} of the agent on the boot class path, or null when it runs without one. */
    private static Method agentTableSizes() {
        try {
            return Class.forName("dev.tangle.agent.bootstrap.Tables", true, null).getMethod("sizes");
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static long heapAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static long heapNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread daemon(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
