package dev.tangle.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What the agent adds to futures and pools: a round trip through a one-thread pool (TASK_SUBMIT, the worker's
 * WORKER_IDLE_END, TASK_BEGIN, FUTURE_COMPLETE, TASK_END, WORKER_IDLE_BEGIN, the caller's FUTURE_GET_BEGIN/END),
 * and a CompletableFuture completed by the program with one dependent stage, neither waited for (no event: both
 * completions are looked up in the agent's object table and left out). Not in run.sh's default set: run with
 * {@code BENCH=dev.tangle.bench.FuturesAndPools benchmarks/run.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FuturesAndPools {
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void start() {
        pool = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public Integer submitAndGet() throws ExecutionException, InterruptedException {
        return pool.submit(() -> 42).get();
    }

    @Benchmark
    public Integer completeWithAStage() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        CompletableFuture<Integer> stage = f.thenApply(v -> v + 1);
        f.complete(41);
        return stage.getNow(0);
    }
}
