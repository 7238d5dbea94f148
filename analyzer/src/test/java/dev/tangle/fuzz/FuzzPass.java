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
    public record Result(long inputs, long analysed, long refused, long checksum, long slowestNanos) {
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
                slowest = Math.max(slowest, System.nanoTime() - start);
                watchdog.end();
            }
        } finally {
            watchdog.interrupt();
        }
        return new Result(i, analysed, refused, checksum, slowest);
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

    /** {@code FuzzPass INPUTS [SEED]}: the long pass; prints its figures, exits 1 on the first failing input. */
    public static void main(String[] args) {
        long inputs = Long.parseLong(args[0].replace("_", ""));
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        Path crashDir = Path.of(System.getProperty("tangle.fuzz.crashDir", "target/fuzz-crashes"));
        long begin = System.nanoTime();
        long done = 0;
        long analysed = 0;
        long refused = 0;
        long checksum = 0;
        long slowest = 0;
        long step = Math.max(1, Math.min(1_000_000, inputs / 20));
        while (done < inputs) {
            long n = Math.min(step, inputs - done);
            // each slice is its own seed, so a failure's seed and index reproduce it alone
            long sliceSeed = seed + done;
            Result r = run(sliceSeed, n, Long.MAX_VALUE, 10_000, crashDir);
            done += r.inputs();
            analysed += r.analysed();
            refused += r.refused();
            checksum += r.checksum();
            slowest = Math.max(slowest, r.slowestNanos());
            System.out.printf("%,d inputs (seed %d): %,d analysed, %,d refused with TraceFormatException"
                            + " (%,d of them by a checksum), slowest %.1f ms, %.0f s, max heap %d MiB%n", done, seed,
                    analysed, refused + checksum, checksum,
                    slowest / 1e6, (System.nanoTime() - begin) / 1e9,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }
}
