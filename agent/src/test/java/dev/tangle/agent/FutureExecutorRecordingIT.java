package dev.tangle.agent;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.tangle.trace.EventKind.FUTURE_COMPLETE;
import static dev.tangle.trace.EventKind.FUTURE_GET_BEGIN;
import static dev.tangle.trace.EventKind.FUTURE_GET_END;
import static dev.tangle.trace.EventKind.PARK_BEGIN;
import static dev.tangle.trace.EventKind.POOL_AWAIT_BEGIN;
import static dev.tangle.trace.EventKind.POOL_AWAIT_END;
import static dev.tangle.trace.EventKind.POOL_CREATE;
import static dev.tangle.trace.EventKind.POOL_SHUTDOWN;
import static dev.tangle.trace.EventKind.TASK_BEGIN;
import static dev.tangle.trace.EventKind.TASK_END;
import static dev.tangle.trace.EventKind.TASK_SUBMIT;
import static dev.tangle.trace.EventKind.THREAD_BEGIN;
import static dev.tangle.trace.EventKind.THREAD_END;
import static dev.tangle.trace.EventKind.WORKER_IDLE_BEGIN;
import static dev.tangle.trace.EventKind.WORKER_IDLE_END;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Futures and thread pools, recorded from real programs in a child JVM under the real agent jar, on JDK 17 and
 * on every JDK 21+ present: the exact event sequence of each thread, and the links between threads (the future
 * a thread waits for and the thread that completes it; a task from its submitter to the worker that runs it).
 */
class FutureExecutorRecordingIT {
    /** What a pool's threads do, without the thread starts that JDK 21+ makes through its own container. */
    private static final EventKind[] POOL_KINDS = {THREAD_BEGIN, POOL_CREATE, TASK_SUBMIT, TASK_BEGIN, TASK_END,
            WORKER_IDLE_BEGIN, WORKER_IDLE_END, POOL_SHUTDOWN, POOL_AWAIT_BEGIN, POOL_AWAIT_END, FUTURE_GET_BEGIN,
            FUTURE_GET_END, FUTURE_COMPLETE, PARK_BEGIN, THREAD_END};

    /** Each fixture runs once per JDK; the tests read different threads of the same recording. */
    @TempDir
    static Path dir;
    private static final Map<String, AgentRun> RUNS = new ConcurrentHashMap<>();

    private static AgentRun recorded(Jdks jdk, String fixture) throws Exception {
        String key = fixture + "-" + jdk.feature();
        AgentRun run = RUNS.get(key);
        if (run == null) {
            Path runDir = Files.createDirectories(dir.resolve(key));
            run = AgentRun.run(jdk, runDir, fixture);
            RUNS.put(key, run);
        }
        return run;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void futureWaitedForAndCompletedByAnotherThread(Jdks jdk) throws Exception {
        AgentRun run = recorded(jdk, "fixtures.Futures");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("getter")).containsExactly("THREAD_BEGIN",
                "FUTURE_GET_BEGIN CompletableFuture", "FUTURE_GET_END CompletableFuture", "THREAD_END");
        assertThat(run.sequence("completer")).containsExactly("THREAD_BEGIN",
                "FUTURE_COMPLETE CompletableFuture", "THREAD_END");
        // the getter's own parking inside get() is not recorded: its wait is the FUTURE_GET
        assertThat(run.sequence("getter", PARK_BEGIN)).isEmpty();
        TraceEvent begin = first(run, "getter", FUTURE_GET_BEGIN);
        TraceEvent complete = first(run, "completer", FUTURE_COMPLETE);
        assertThat(begin.text()).isEqualTo("get");
        assertThat(complete.text()).isEqualTo("complete");
        assertThat(complete.flags()).isZero();
        assertThat(complete.objectId()).isEqualTo(begin.objectId());
        assertThat(complete.site().toString()).startsWith("fixtures.Futures.lambda$main$");
        // one global order: the getter waits, the completer completes, the getter wakes
        List<String> global = run.events.stream().filter(e -> e.objectId() == begin.objectId()
                        && !e.kind().objectIsThread())
                .map(e -> run.threadNames.get(e.threadId()) + " " + e.kind()).toList();
        assertThat(global).containsExactly("getter FUTURE_GET_BEGIN", "completer FUTURE_COMPLETE",
                "getter FUTURE_GET_END");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void timedOutAndInterruptedGetsCancelAndExceptionalCompletionOfAwaitedFutures(Jdks jdk) throws Exception {
        AgentRun run = recorded(jdk, "fixtures.Futures");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("timeout")).containsExactly("THREAD_BEGIN",
                "FUTURE_GET_BEGIN CompletableFuture timed", "FUTURE_GET_END CompletableFuture timed,timedOut",
                "THREAD_END");
        assertThat(first(run, "timeout", FUTURE_GET_BEGIN).value()).isEqualTo(20_000_000L);
        assertThat(run.sequence("timeout", PARK_BEGIN)).isEmpty();
        assertThat(run.sequence("interrupted")).containsExactly("THREAD_BEGIN",
                "FUTURE_GET_BEGIN CompletableFuture", "FUTURE_GET_END CompletableFuture interrupted", "THREAD_END");
        // the second cancel() answers true (the future is cancelled) but completed nothing; the future that
        // nobody waited for is not recorded
        assertThat(run.sequence("canceller")).containsExactly("THREAD_BEGIN",
                "FUTURE_COMPLETE CompletableFuture failed", "FUTURE_COMPLETE CompletableFuture failed",
                "THREAD_END");
        assertThat(run.sequence("cancelWaiter")).containsExactly("THREAD_BEGIN",
                "FUTURE_GET_BEGIN CompletableFuture", "FUTURE_GET_END CompletableFuture failed", "THREAD_END");
        assertThat(run.sequence("failWaiter")).containsExactly("THREAD_BEGIN",
                "FUTURE_GET_BEGIN CompletableFuture", "FUTURE_GET_END CompletableFuture failed", "THREAD_END");
        assertThat(first(run, "cancelWaiter", FUTURE_GET_BEGIN).text()).isEqualTo("join");
        assertThat(first(run, "failWaiter", FUTURE_GET_BEGIN).text()).isEqualTo("get");
        List<TraceEvent> completions = run.of("canceller").stream().filter(e -> e.kind() == FUTURE_COMPLETE)
                .toList();
        assertThat(completions).extracting(TraceEvent::text).containsExactly("cancel", "completeExceptionally");
        assertThat(completions.get(0).objectId()).isEqualTo(first(run, "cancelWaiter", FUTURE_GET_BEGIN).objectId());
        assertThat(completions.get(1).objectId()).isEqualTo(first(run, "failWaiter", FUTURE_GET_BEGIN).objectId());
        assertThat(completions).allSatisfy(e -> assertThat(e.site().toString())
                .startsWith("fixtures.Futures.lambda$main$"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void supplyAsyncIsCompletedByThePoolsThread(Jdks jdk) throws Exception {
        AgentRun run = recorded(jdk, "fixtures.Futures");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("async", FUTURE_GET_BEGIN, FUTURE_GET_END, FUTURE_COMPLETE))
                .containsExactly("FUTURE_GET_BEGIN CompletableFuture", "FUTURE_GET_END CompletableFuture");
        TraceEvent join = first(run, "async", FUTURE_GET_BEGIN);
        List<TraceEvent> completions = run.events.stream()
                .filter(e -> e.kind() == FUTURE_COMPLETE && e.objectId() == join.objectId()).toList();
        assertThat(completions).hasSize(1);
        // the supplier's thread (the common pool's worker, or on JDK 17 with one core a thread per task)
        String completer = run.threadNames.get(completions.get(0).threadId());
        assertThat(run.sequence(completer, EventKind.SLEEP_BEGIN, EventKind.SLEEP_END, FUTURE_COMPLETE))
                .containsExactly("SLEEP_BEGIN", "SLEEP_END", "FUTURE_COMPLETE CompletableFuture");
        // the join blocked until the supplier finished
        assertThat(run.events.stream().filter(e -> e.objectId() == join.objectId()).map(TraceEvent::kind))
                .containsExactly(FUTURE_GET_BEGIN, FUTURE_COMPLETE, FUTURE_GET_END);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void threadPoolExecutorFromSubmitterToWorkers(Jdks jdk) throws Exception {
        AgentRun run = recorded(jdk, "fixtures.Pools");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("submitter", POOL_KINDS)).containsExactly("THREAD_BEGIN",
                "POOL_CREATE ThreadPoolExecutor",
                "TASK_SUBMIT FutureTask", "FUTURE_GET_BEGIN FutureTask", "FUTURE_GET_END FutureTask",
                "TASK_SUBMIT Boom",
                "TASK_SUBMIT FutureTask", "FUTURE_GET_BEGIN FutureTask", "FUTURE_GET_END FutureTask failed",
                "POOL_AWAIT_BEGIN ThreadPoolExecutor timed", "POOL_AWAIT_END ThreadPoolExecutor timed,timedOut",
                "POOL_SHUTDOWN ThreadPoolExecutor",
                "POOL_AWAIT_BEGIN ThreadPoolExecutor timed", "POOL_AWAIT_END ThreadPoolExecutor timed",
                "THREAD_END");
        // worker-1 runs the first task (handed to it at its start), waits idle, runs Boom and dies of it
        assertThat(run.sequence("worker-1", POOL_KINDS)).containsExactly("THREAD_BEGIN",
                "TASK_BEGIN FutureTask", "FUTURE_COMPLETE FutureTask", "TASK_END FutureTask",
                "WORKER_IDLE_BEGIN ThreadPoolExecutor", "WORKER_IDLE_END ThreadPoolExecutor",
                "TASK_BEGIN Boom", "TASK_END Boom failed",
                "THREAD_END");
        assertThat(run.of("worker-1").get(run.of("worker-1").size() - 1).text())
                .isEqualTo("java.lang.IllegalStateException");
        // worker-2 replaces it, waits idle, runs the failing Callable, waits idle until shutdown
        assertThat(run.sequence("worker-2", POOL_KINDS)).containsExactly("THREAD_BEGIN",
                "WORKER_IDLE_BEGIN ThreadPoolExecutor", "WORKER_IDLE_END ThreadPoolExecutor",
                "TASK_BEGIN FutureTask", "FUTURE_COMPLETE FutureTask failed", "TASK_END FutureTask",
                "WORKER_IDLE_BEGIN ThreadPoolExecutor", "WORKER_IDLE_END ThreadPoolExecutor",
                "THREAD_END");
        if (jdk.feature() < 21) { // JDK 21+ starts pool threads through a thread container, not Thread.start
            // the pool's thread starts are the program's: recorded (with their stacks) although inside execute
            assertThat(run.sequence("submitter", EventKind.THREAD_START)).containsExactly("THREAD_START worker-1");
            assertThat(run.sequence("worker-1", EventKind.THREAD_START)).containsExactly("THREAD_START worker-2");
        }
        assertThat(run.of("worker-1").stream().filter(e -> e.kind() == FUTURE_COMPLETE).map(TraceEvent::text))
                .containsExactly("set");
        assertThat(run.of("worker-2").stream().filter(e -> e.kind() == FUTURE_COMPLETE).map(TraceEvent::text))
                .containsExactly("setException");

        TraceEvent create = first(run, "submitter", POOL_CREATE);
        assertThat(create.value()).as("core size").isEqualTo(1);
        assertThat(create.object().capacity()).as("maximum size").isEqualTo(2);
        assertThat(create.text()).isEqualTo("java.util.concurrent.ThreadPoolExecutor");
        // the creation stack: the pool's constructors (one delegates to the other), then the program
        assertThat(create.stack().frames().get(0).toString())
                .startsWith("java.util.concurrent.ThreadPoolExecutor.<init>(");
        assertThat(create.stack().frames().stream().map(Object::toString)
                .filter(f -> !f.startsWith("java.util.concurrent.ThreadPoolExecutor.<init>(")).findFirst())
                .hasValueSatisfying(f -> assertThat(f).startsWith("fixtures.Pools.submitter("));
        long pool = create.objectId();
        // each submission names the pool and reaches a worker as the same task, in one global order
        List<TraceEvent> submits = run.of("submitter").stream().filter(e -> e.kind() == TASK_SUBMIT).toList();
        assertThat(submits).extracting(TraceEvent::value).containsOnly(pool);
        List<String> workerOf = List.of("worker-1", "worker-1", "worker-2");
        for (int i = 0; i < submits.size(); i++) {
            long task = submits.get(i).objectId();
            List<String> lifeOfTask = run.events.stream().filter(e -> e.objectId() == task
                            && (e.kind() == TASK_SUBMIT || e.kind() == TASK_BEGIN || e.kind() == TASK_END))
                    .map(e -> run.threadNames.get(e.threadId()) + " " + e.kind() + " " + e.value()).toList();
            String worker = workerOf.get(i);
            assertThat(lifeOfTask).containsExactly("submitter TASK_SUBMIT " + pool,
                    worker + " TASK_BEGIN " + pool, worker + " TASK_END 0");
        }
        // the future the submitter waits for is the task the worker ran
        assertThat(run.of("submitter").stream().filter(e -> e.kind() == FUTURE_GET_BEGIN)
                .map(TraceEvent::objectId)).containsExactly(submits.get(0).objectId(), submits.get(2).objectId());
        // a worker idle in the queue is idle, not parked: the queue's own park is not recorded
        assertThat(run.sequence("worker-1", PARK_BEGIN)).isEmpty();
        assertThat(run.sequence("worker-2", PARK_BEGIN)).isEmpty();
        assertThat(run.of("worker-1").stream().filter(e -> e.kind() == WORKER_IDLE_BEGIN)
                .map(TraceEvent::objectId)).containsOnly(pool);
        assertThat(run.of("submitter").stream().filter(e -> e.kind() == POOL_SHUTDOWN).map(TraceEvent::text))
                .containsExactly("shutdown");
        assertThat(run.of("submitter").stream().filter(e -> e.kind() == POOL_AWAIT_BEGIN)
                .map(TraceEvent::value)).containsExactly(1_000_000L, 10_000_000_000L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void forkJoinPoolCreationIdleWorkerAndShutdown(Jdks jdk) throws Exception {
        AgentRun run = recorded(jdk, "fixtures.Pools");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("forkJoinUser", POOL_KINDS)).containsExactly("THREAD_BEGIN",
                "POOL_CREATE ForkJoinPool",
                "FUTURE_GET_BEGIN AdaptedCallable".replace("AdaptedCallable", adaptedCallable(jdk)),
                "FUTURE_GET_END AdaptedCallable".replace("AdaptedCallable", adaptedCallable(jdk)),
                "POOL_SHUTDOWN ForkJoinPool",
                "POOL_AWAIT_BEGIN ForkJoinPool timed", "POOL_AWAIT_END ForkJoinPool timed",
                "THREAD_END");
        TraceEvent create = first(run, "forkJoinUser", POOL_CREATE);
        assertThat(create.value()).as("parallelism").isEqualTo(2);
        assertThat(create.object().capacity()).as("maximum size").isEqualTo(32767);
        // its worker ran the task, then waited for work (not parked) until the shutdown woke it
        List<String> worker = run.sequence("ForkJoinPool-1-worker-1", POOL_KINDS);
        assertThat(worker).startsWith("THREAD_BEGIN daemon").endsWith("WORKER_IDLE_BEGIN ForkJoinPool",
                "WORKER_IDLE_END ForkJoinPool", "THREAD_END").doesNotContain("PARK_BEGIN");
        assertThat(run.of("ForkJoinPool-1-worker-1").stream().filter(e -> e.kind() == WORKER_IDLE_BEGIN)
                .map(TraceEvent::objectId)).containsOnly(create.objectId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void scheduledPoolAndSubclassesThatOverrideTheTaskHooks(Jdks jdk) throws Exception {
        AgentRun run = recorded(jdk, "fixtures.Pools");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("scheduling", POOL_KINDS)).containsExactly("THREAD_BEGIN",
                "POOL_CREATE ScheduledThreadPoolExecutor", "TASK_SUBMIT ScheduledFutureTask",
                "FUTURE_GET_BEGIN ScheduledFutureTask", "FUTURE_GET_END ScheduledFutureTask",
                "POOL_SHUTDOWN ScheduledThreadPoolExecutor",
                "POOL_CREATE Audited", "TASK_SUBMIT Noop", "POOL_SHUTDOWN Audited",
                "POOL_AWAIT_BEGIN Audited timed", "POOL_AWAIT_END Audited timed",
                "POOL_CREATE Audited", "TASK_SUBMIT Noop", "POOL_SHUTDOWN Audited",
                "POOL_AWAIT_BEGIN Audited timed", "POOL_AWAIT_END Audited timed",
                "THREAD_END");
        assertThat(run.of("scheduling").stream().filter(e -> e.kind() == POOL_SHUTDOWN).map(TraceEvent::text))
                .containsExactly("shutdownNow", "shutdown", "shutdown");
        // the scheduled task goes through the pool's delayed queue: the worker waits for it idle
        assertThat(run.sequence("timer", POOL_KINDS)).containsExactly("THREAD_BEGIN",
                "WORKER_IDLE_BEGIN ScheduledThreadPoolExecutor", "WORKER_IDLE_END ScheduledThreadPoolExecutor",
                "TASK_BEGIN ScheduledFutureTask", "FUTURE_COMPLETE ScheduledFutureTask",
                "TASK_END ScheduledFutureTask",
                "WORKER_IDLE_BEGIN ScheduledThreadPoolExecutor", "WORKER_IDLE_END ScheduledThreadPoolExecutor",
                "THREAD_END");
        // overrides of beforeExecute/afterExecute, with or without super: each task begins and ends once
        for (String worker : List.of("audited", "audited-super")) {
            assertThat(run.sequence(worker, POOL_KINDS)).as(worker).containsExactly("THREAD_BEGIN",
                    "TASK_BEGIN Noop", "TASK_END Noop",
                    "WORKER_IDLE_BEGIN Audited", "WORKER_IDLE_END Audited", "THREAD_END");
        }
        TraceEvent create = run.of("scheduling").stream().filter(e -> e.kind() == POOL_CREATE
                && e.object().className().endsWith("Audited")).findFirst().orElseThrow();
        assertThat(create.object().capacity()).isEqualTo(1);
        assertThat(create.text()).isEqualTo("fixtures.Pools$Audited");
    }

    private static String adaptedCallable(Jdks jdk) {
        return jdk.feature() >= 21 ? "AdaptedInterruptibleCallable" : "AdaptedCallable";
    }

    private static TraceEvent first(AgentRun run, String thread, EventKind kind) {
        return run.of(thread).stream().filter(e -> e.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + thread + ": " + run.sequence(thread)));
    }
}
