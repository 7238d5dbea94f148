package dev.tangle.load;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A diagnostic, not part of {@code load.sh}: the cost of one uncontended acquire+release pair in the main thread,
 * either a {@code synchronized} block ({@code monitor}) or {@code lock()/unlock()} of a {@code ReentrantLock}
 * ({@code lock}), 4,096 pairs per call around a call not inlined (run with
 * {@code -XX:CompileCommand=dontinline,dev.tangle.load.OneLockLoop::work}). Prints ns per pair every half second
 * after three warm-up rounds.
 *
 * <p>Unlike the lock loop's client threads, the main thread's recorder is created at the agent's start and is in
 * G1's old generation after the first collections, as a server thread's is: run it once more with
 * {@code -XX:+UseParallelGC} to see what the agent pays in G1's write barrier (benchmarks/RESULTS.md).
 *
 * <p>{@code java [-javaagent:agent/target/tangle-agent.jar=out=/tmp/x.trace] -XX:CompileCommand=dontinline,dev.tangle.load.OneLockLoop::work -cp benchmarks/target/load-workloads.jar dev.tangle.load.OneLockLoop monitor|lock}
 */
public final class OneLockLoop {
    private static final int PAIRS_PER_CALL = 4096;
    private static final int ROUNDS = 8;
    private static final int WARM_UP_ROUNDS = 3;
    private static long counter;

    private OneLockLoop() {
    }

    public static void main(String... args) {
        boolean monitor = args.length == 0 || args[0].equals("monitor");
        if (args.length > 0 && !args[0].equals("monitor") && !args[0].equals("lock")) {
            System.err.println("usage: OneLockLoop monitor|lock");
            System.exit(2);
        }
        Object m = new Object();
        ReentrantLock l = new ReentrantLock();
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            long pairs = 0;
            while (System.nanoTime() - start < 500_000_000L) {
                pairs += monitor ? monitors(m) : locks(l);
            }
            if (round >= WARM_UP_ROUNDS) {
                System.out.printf("%s %.2f ns per pair%n", monitor ? "monitor" : "lock",
                        (System.nanoTime() - start) / (double) pairs);
            }
        }
    }

    private static long monitors(Object m) {
        for (int i = 0; i < PAIRS_PER_CALL; i++) {
            synchronized (m) {
                work();
            }
        }
        return PAIRS_PER_CALL;
    }

    private static long locks(ReentrantLock l) {
        for (int i = 0; i < PAIRS_PER_CALL; i++) {
            l.lock();
            try {
                work();
            } finally {
                l.unlock();
            }
        }
        return PAIRS_PER_CALL;
    }

    static void work() {
        counter++;
    }
}
