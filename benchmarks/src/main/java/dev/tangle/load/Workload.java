package dev.tangle.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A load workload: {@code threads} client threads run {@link #operation} in a loop, a warm-up period first (not
 * counted), then a measured period; the main thread prints one result line that {@link LoadBenchmark} parses:
 *
 * <pre>RESULT workload=h2 threads=8 seconds=10.00 ops=123456 opsPerSecond=12345.6 errors=0</pre>
 *
 * Every loop is bounded by the phase the main thread sets, so the program ends on its own after
 * {@code warmup + seconds}; an operation that throws counts as an error (the first one is printed) and the
 * thread goes on.
 *
 * <p>Subclasses have a {@code main(String... args)} taking {@code [seconds [threads [warmupSeconds]]]} and call
 * {@link #run(String[])}, so other harnesses (the reliability soak) can start them the same way.
 */
public abstract class Workload {
    /**
     * System property: operations a second per client thread (0 or absent: as fast as it goes). A paced workload is
     * a server under a steady load, as in production, rather than a saturated one: the soak uses it so that ten
     * minutes make a trace the analyser can hold.
     */
    public static final String PACE_PROPERTY = "tangle.load.opsPerSecond";

    /**
     * System property: when true, the main thread prints the operations of every second (warm-up included) to
     * stderr, {@code PROGRESS second=3 ops=412345}. A workload whose rate changes within a run (a JIT decision, a
     * contention regime) shows it here, where the one result line would only show a mean.
     */
    public static final String PROGRESS_PROPERTY = "tangle.load.progress";

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private volatile int phase = WARMUP;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();

    /** Short name printed in the result line. */
    protected abstract String name();

    /** Prepares the shared state (server started, tables filled) before the client threads start. */
    protected abstract void setUp(int threads) throws Exception;

    /** Per-thread state of client {@code index} (a connection, a socket), created in the client thread. */
    protected abstract Object openClient(int index) throws Exception;

    /** One operation of a client; returns how many operations it counted (usually 1). */
    protected abstract int operation(Object client, int index) throws Exception;

    /** Closes a client's state; called once in its thread after its loop ends. */
    protected void closeClient(Object client) throws Exception {
    }

    /** Stops what {@link #setUp} started. */
    protected abstract void tearDown() throws Exception;

    /** Parses {@code [seconds [threads [warmupSeconds]]]}, runs the workload and prints its result line. */
    protected final void run(String[] args, double defaultSeconds, int defaultThreads, double defaultWarmup)
            throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : defaultSeconds;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : defaultThreads;
        double warmup = args.length > 2 ? Double.parseDouble(args[2]) : defaultWarmup;
        if (seconds <= 0 || threads <= 0 || warmup < 0) {
            throw new IllegalArgumentException("usage: [seconds>0 [threads>0 [warmupSeconds>=0]]]");
        }
        Result r = measure(seconds, threads, warmup);
        System.out.println(r.line());
    }

    /**
     * The measured figures of one run: operations in the measured period, the process's CPU time in it, and the
     * part of that CPU time spent by the recording agent's own threads (named {@code tangle-*}; 0 without it).
     */
    public record Result(String workload, int threads, double seconds, long ops, long errors, double cpuSeconds,
                         double agentCpuSeconds, double userCpuSeconds) {
        public double opsPerSecond() {
            return ops / seconds;
        }

        public String line() {
            return String.format(Locale.ROOT,
                    "RESULT workload=%s threads=%d seconds=%.3f ops=%d opsPerSecond=%.1f errors=%d cpu=%.3f"
                            + " agentCpu=%.3f userCpu=%.2f", workload, threads, seconds, ops, opsPerSecond(), errors,
                    cpuSeconds, agentCpuSeconds, userCpuSeconds);
        }
    }

    private static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9 : 0;
    }

    /**
     * The process's CPU time in user mode, from /proc/self/stat (in clock ticks of 10 ms, the Linux USER_HZ), or
     * -1 where there is none. With the total it tells the program's (and agent's) own work from the kernel's
     * network and scheduling work, which on a loopback server is most of the CPU time.
     */
    private static double userCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) / 100.0; // utime, field 14 of stat(5), 12th after the command
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of the threads named tangle-* (the agent's writer and clock), alive now. */
    private static double agentCpuSeconds() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("tangle-")) {
                long ns = mx.getThreadCpuTime(t.getId());
                total += ns > 0 ? ns / 1e9 : 0;
            }
        }
        return total;
    }

    /** Runs warm-up and measurement and returns the result (also usable in-process). */
    public final Result measure(double seconds, int threads, double warmup) throws Exception {
        setUp(threads);
        long[][] counts = new long[threads][8]; // one row per thread, apart from each other's cache lines
        Thread[] clients = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            final int index = i;
            clients[i] = new Thread(() -> clientLoop(index, counts[index]), name() + "-client-" + i);
            clients[i].start();
        }
        Progress progress = Boolean.getBoolean(PROGRESS_PROPERTY) ? new Progress(counts) : null;
        sleep(warmup, progress);
        double cpu0 = processCpuSeconds();
        double agentCpu0 = agentCpuSeconds();
        double user0 = userCpuSeconds();
        long t0 = System.nanoTime();
        phase = MEASURE;
        sleep(seconds, progress);
        phase = STOP;
        long t1 = System.nanoTime();
        double cpu = processCpuSeconds() - cpu0;
        double agentCpu = agentCpuSeconds() - agentCpu0;
        double user = user0 < 0 ? -1 : userCpuSeconds() - user0;
        for (Thread c : clients) {
            c.join();
        }
        tearDown();
        long ops = 0;
        for (long[] c : counts) {
            ops += c[0];
        }
        Throwable first = firstError.get();
        if (first != null) {
            System.out.println("first error: " + first);
        }
        return new Result(name(), threads, (t1 - t0) / 1e9, ops, errors.get(), cpu, agentCpu, user);
    }

    /** Sleeps {@code seconds}, printing each whole second's operations on the way when {@code progress} is set. */
    private static void sleep(double seconds, Progress progress) throws InterruptedException {
        if (progress == null) {
            Thread.sleep((long) (seconds * 1000));
            return;
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            long step = Math.min(left, progress.nextSecond - System.nanoTime());
            if (step > 0) {
                Thread.sleep(step / 1_000_000, (int) (step % 1_000_000));
            }
            progress.printIfDue();
        }
    }

    /** The per-second operation counts of {@link #PROGRESS_PROPERTY}; read racily, which is fine for a trend. */
    private static final class Progress {
        private final long[][] counts;
        private long nextSecond = System.nanoTime() + 1_000_000_000L;
        private int second;
        private long last;

        Progress(long[][] counts) {
            this.counts = counts;
        }

        void printIfDue() {
            if (System.nanoTime() < nextSecond) {
                return;
            }
            long total = 0;
            for (long[] c : counts) {
                total += c[1];
            }
            System.err.printf(Locale.ROOT, "PROGRESS second=%d ops=%d%n", ++second, total - last);
            last = total;
            nextSecond += 1_000_000_000L;
        }
    }

    private void clientLoop(int index, long[] count) {
        Object client;
        try {
            client = openClient(index);
        } catch (Exception e) {
            error(e);
            return;
        }
        int p;
        int pace = Integer.getInteger(PACE_PROPERTY, 0);
        long interval = pace > 0 ? 1_000_000_000L / pace : 0;
        long next = System.nanoTime();
        while ((p = phase) != STOP) {
            if (interval > 0) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                } else if (wait < -1_000_000_000L) {
                    next = System.nanoTime(); // fell more than a second behind: do not burst to catch up
                }
            }
            try {
                int n = operation(client, index);
                count[1] += n;
                if (p == MEASURE && phase == MEASURE) {
                    count[0] += n;
                }
            } catch (Exception e) {
                if (phase == STOP) {
                    break;
                }
                error(e);
            }
        }
        try {
            closeClient(client);
        } catch (Exception e) {
            error(e);
        }
    }

    private void error(Throwable e) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, e);
    }
}
