package dev.tangle.fuzz;

import dev.tangle.trace.TraceMutator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random structure-aware fuzzing: input {@code i} of seed {@code s} is the mutant that
 * {@link TraceMutator} makes of a seed trace from {@code new SplittableRandom(s).split()}'s i-th stream, so a
 * failure names (seed, index) and is reproduced by {@link #input}. A watchdog bounds the time of one input: an
 * input still running after {@code maxMillisPerInput} is written to {@code crashDir} and reported as a hang.
 *
 * <p>The long pass: {@code analyzer/fuzz-long.sh INPUTS [SEED]} runs {@link #main} with {@code -Xmx256m}.
 */
public final class FuzzPass {
    /** What a pass did. */
    public record Result(long inputs, long analysed, long refused, long checksum, long slowestNanos, long slowestIndex) {
    }

    private FuzzPass() {
    }

    /** The mutant number {@code index} of the pass seeded with {@code seed}. */
    public static byte[] input(long seed, long index) {
        SplittableRandom random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        List<byte[]> seeds = Seeds.all();
        byte[] base = seeds.get(random.nextInt(seeds.size()));
        return TraceMutator.mutate(base, new TraceMutator.Choices() {
            @Override
            public int pick(int bound) {
                return bound <= 1 ? 0 : random.nextInt(bound);
            }

            @Override
            public long anyLong() {
                return random.nextLong();
            }
        });
    }

    /**
     * Runs inputs {@code 0 ..} of {@code seed} until {@code maxInputs} or {@code deadlineNanos}
     * ({@link System#nanoTime()}), whichever comes first. A failing input is saved in {@code crashDir} and its
     * error rethrown with the seed and index that reproduce it.
     */
    public static Result run(long seed, long maxInputs, long deadlineNanos, long maxMillisPerInput, Path crashDir) {
        Watchdog watchdog = new Watchdog(maxMillisPerInput, crashDir);
        watchdog.start();
        long analysed = 0;
        long refused = 0;
        long checksum = 0;
        long slowest = 0;
        long slowestIndex = -1;
        long i = 0;
        try {
            for (; i < maxInputs && System.nanoTime() < deadlineNanos; i++) {
                byte[] input = input(seed, i);
                watchdog.begin(seed, i, input);
                long start = System.nanoTime();
                try {
                    switch (TraceOracle.check(input)) {
                        case ANALYSED -> analysed++;
                        case REFUSED -> refused++;
                        case CHECKSUM -> checksum++;
                    }
                } catch (Throwable t) {
                    Path saved = save(crashDir, seed, i, input);
                    throw new AssertionError("fuzz input seed=" + seed + " index=" + i + " (saved as " + saved
                            + ") failed with " + t, t);
                }
                long took = System.nanoTime() - start;
                if (took > slowest) {
                    slowest = took;
                    slowestIndex = i;
                }
                watchdog.end();
            }
        } finally {
            watchdog.interrupt();
        }
        return new Result(i, analysed, refused, checksum, slowest, slowestIndex);
    }

    static Path save(Path dir, long seed, long index, byte[] input) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("crash-" + seed + "-" + index + ".tngl");
            Files.write(file, input);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the JVM (after saving the input) when one input runs too long: a hang must not pass unnoticed. */
    private static final class Watchdog extends Thread {
        private final long maxMillis;
        private final Path crashDir;
        private volatile long startedAt; // 0: no input running
        private volatile long seed;
        private volatile long index;
        private volatile byte[] input;

        Watchdog(long maxMillis, Path crashDir) {
            super("fuzz-watchdog");
            setDaemon(true);
            this.maxMillis = maxMillis;
            this.crashDir = crashDir;
        }

        void begin(long seed, long index, byte[] input) {
            this.seed = seed;
            this.index = index;
            this.input = input;
            startedAt = System.nanoTime();
        }

        void end() {
            startedAt = 0;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long started = startedAt;
                if (started != 0 && (System.nanoTime() - started) / 1_000_000 > maxMillis) {
                    Path saved = save(crashDir, seed, index, input);
                    System.err.println("fuzz input seed=" + seed + " index=" + index + " ran over " + maxMillis
                            + " ms (saved as " + saved + "): a hang");
                    Runtime.getRuntime().halt(3);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * {@code FuzzPass INPUTS [SEED]}: the long pass, in slices of up to a million inputs run by
     * {@code -Dtangle.fuzz.threads} threads (default 1); each slice has its own seed ({@code SEED + first input}),
     * so a failure's seed and index reproduce it alone. Prints the figures after each slice; exits 1 on the first
     * failing input.
     */
    public static void main(String[] args) throws InterruptedException {
        long inputs = Long.parseLong(args[0].replace("_", ""));
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        int threads = Integer.getInteger("tangle.fuzz.threads", 1);
        Path crashDir = Path.of(System.getProperty("tangle.fuzz.crashDir", "target/fuzz-crashes"));
        long begin = System.nanoTime();
        long step = Math.max(1, Math.min(1_000_000, inputs / 20));
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        long[] totals = new long[7]; // inputs, analysed, refused, checksum, slowest (ns, seed, index); guarded
        Runnable worker = () -> {
            for (long first = next.getAndAdd(step); first < inputs; first = next.getAndAdd(step)) {
                Result r;
                try {
                    r = run(seed + first, Math.min(step, inputs - first), Long.MAX_VALUE, 10_000, crashDir);
                } catch (Throwable t) {
                    t.printStackTrace();
                    System.exit(1);
                    return;
                }
                synchronized (totals) {
                    totals[0] += r.inputs();
                    totals[1] += r.analysed();
                    totals[2] += r.refused();
                    totals[3] += r.checksum();
                    if (r.slowestNanos() > totals[4] && first > 0) { // the first slice's first input loads classes
                        totals[4] = r.slowestNanos();
                        totals[5] = seed + first;
                        totals[6] = r.slowestIndex();
                    }
                    System.out.printf("%,d inputs (seed %d, %d threads): %,d analysed, %,d refused with"
                                    + " TraceFormatException (%,d of them by a checksum), slowest %.1f ms (seed %d index %d),"
                                    + " %.0f s, max heap %d MiB%n", totals[0], seed, threads, totals[1],
                            totals[2] + totals[3], totals[3], totals[4] / 1e6, totals[5], totals[6], (System.nanoTime() - begin) / 1e9,
                            Runtime.getRuntime().maxMemory() >> 20);
                }
            }
        };
        Thread[] pool = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            pool[i] = new Thread(worker, "fuzz-" + i);
            pool[i].start();
        }
        for (Thread t : pool) {
            t.join();
        }
    }
}
