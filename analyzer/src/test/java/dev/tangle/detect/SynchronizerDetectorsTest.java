package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tangle.model.SyntheticTrace.DAEMON;
import static dev.tangle.model.SyntheticTrace.FAILED;
import static dev.tangle.model.SyntheticTrace.PREEXISTING;
import static dev.tangle.model.SyntheticTrace.SNAPSHOT;
import static dev.tangle.model.SyntheticTrace.TIMED;
import static dev.tangle.model.SyntheticTrace.TIMED_OUT;
import static dev.tangle.model.SyntheticTrace.TRY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * COMMUNICATION_DEADLOCK, THREAD_LEAK and LIVELOCK on channels, synchronizers, futures and pools, on synthetic
 * traces shaped as docs/trace-format.md says the agent records them: what is a hang, and what is not.
 */
class SynchronizerDetectorsTest {
    private static final String LBQ = "java.util.concurrent.LinkedBlockingQueue";

    private static List<Finding> communication(TraceModel model) {
        return Findings.of(new CommunicationDeadlockDetector(), model);
    }

    static void send(SyntheticTrace tr, long time, long thread, long queue) {
        tr.ev(time, thread, EventKind.CHANNEL_SEND_BEGIN, queue, 0, 0, "put")
                .ev(time + 1, thread, EventKind.CHANNEL_SEND_END, queue, 0, 1, "put");
    }

    static void receive(SyntheticTrace tr, long time, long thread, long queue) {
        tr.ev(time, thread, EventKind.CHANNEL_RECV_BEGIN, queue, 0, 0, "take")
                .ev(time + 1, thread, EventKind.CHANNEL_RECV_END, queue, 0, 0, "take");
    }

    static SyntheticTrace takeBegins(SyntheticTrace tr, long time, long thread, long queue) {
        return tr.ev(time, thread, EventKind.CHANNEL_RECV_BEGIN, queue, 0, 0, "take");
    }

    // ---- precision: waits that a live thread can still end

    @Test
    void aConsumerBlockedOnTakeWhileItsProducerSleepsOrLoopsIsNoDeadlock() {
        for (boolean sleeping : new boolean[] {true, false}) {
            SyntheticTrace tr = new SyntheticTrace();
            long q = tr.queue(LBQ, Integer.MAX_VALUE);
            long m = tr.monitor("Work");
            tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "producer", 0).start(4, 1, 3, "consumer", 0);
            send(tr, 10, 2, q);
            receive(tr, 12, 3, q);
            takeBegins(tr, 30, 3, q);
            if (sleeping) {
                tr.ev(20, 2, EventKind.SLEEP_BEGIN, 0, 0, 1_000_000);
            } else {
                tr.enter(20, 2, m).exit(40, 2, m);
            }
            tr.ev(45, 1, EventKind.JOIN_BEGIN, 3);
            TraceModel model = tr.incomplete().model();

            assertThat(communication(model)).as(sleeping ? "sleeping producer" : "looping producer").isEmpty();
            assertThat(Findings.all(model)).extracting(Finding::type).doesNotContain(FindingType.LIVELOCK,
                    FindingType.DEADLOCK);
        }
    }

    /**
     * A put to an unbounded queue never blocks: a trace that ends (or is detached) while the producer is inside one
     * must not show it waiting, nor its consumer, waiting in take(), as hung with it. Seen on a real attach that was
     * interrupted while main was in LinkedBlockingQueue.put. A bounded queue's put can block and still shows.
     */
    @Test
    void aTraceCutDuringAPutToAnUnboundedQueueShowsTheSenderRunning() {
        for (long capacity : new long[] {Integer.MAX_VALUE, 1}) {
            SyntheticTrace tr = new SyntheticTrace();
            long q = tr.queue(LBQ, capacity);
            tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "auditor", 0);
            send(tr, 10, 1, q);
            receive(tr, 12, 2, q);
            takeBegins(tr, 20, 2, q);
            tr.ev(30, 1, EventKind.CHANNEL_SEND_BEGIN, q, 0, 0, "put");
            TraceModel model = tr.incomplete().model();

            ThreadState mainAtEnd = model.stateAt(1, 35).orElseThrow().state();
            if (capacity == Integer.MAX_VALUE) {
                assertThat(mainAtEnd).isEqualTo(ThreadState.RUNNING);
                assertThat(communication(model)).isEmpty();
            } else {
                assertThat(mainAtEnd).isEqualTo(ThreadState.WAITING);
            }
        }
    }

    @Test
    void workersIdleInAPoolAreNoDeadlockButOneLeakOfThatPool() {
        SyntheticTrace tr = new SyntheticTrace();
        long pool = tr.pool(2);
        long task = tr.futureTask();
        int created = tr.stack("java.util.concurrent.Executors.newFixedThreadPool", "dev.example.App.main");
        tr.begin(1, 1, "main", PREEXISTING);
        tr.ev(2, 1, EventKind.POOL_CREATE, pool, 0, 2, "java.util.concurrent.ThreadPoolExecutor", created);
        tr.start(3, 1, 2, "pool-1-thread-1", 0).start(5, 1, 3, "pool-1-thread-2", 0);
        tr.ev(10, 2, EventKind.WORKER_IDLE_BEGIN, pool).ev(11, 3, EventKind.WORKER_IDLE_BEGIN, pool);
        tr.ev(20, 1, EventKind.TASK_SUBMIT, task, 0, pool);
        tr.ev(21, 2, EventKind.WORKER_IDLE_END, pool).ev(22, 2, EventKind.TASK_BEGIN, task, 0, pool)
                .ev(25, 2, EventKind.TASK_END, task).ev(26, 2, EventKind.WORKER_IDLE_BEGIN, pool);
        tr.end(40, 1);
        List<Finding> findings = Findings.all(tr.endAt(100).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactly("pool-1-thread-1", "pool-1-thread-2");
            assertThat(f.summary()).endsWith("an executor's pool that was never shut down.");
            assertThat(f.resources()).extracting(ResourceRef::id).containsExactly(pool);
            assertThat(f.evidence().get(0).what()).isEqualTo("the pool ThreadPoolExecutor@1000 (#" + pool
                    + ", max 2 threads) was created here, and never shut down");
            assertThat(f.evidence().get(0).stack()).containsExactly(
                    "java.util.concurrent.Executors.newFixedThreadPool(Unknown Source)",
                    "dev.example.App.main(Unknown Source)");
            assertThat(f.details().get("threads").toString()).contains("is idle in ThreadPoolExecutor@1000");
        });
    }

    @Test
    void theIdleWorkersOfAPoolThatWasShutDownAreNotALeak() {
        SyntheticTrace tr = new SyntheticTrace();
        long pool = tr.pool(1);
        tr.begin(1, 1, "main", PREEXISTING).ev(2, 1, EventKind.POOL_CREATE, pool, 0, 1,
                "java.util.concurrent.ThreadPoolExecutor");
        tr.start(3, 1, 2, "pool-1-thread-1", 0).ev(10, 2, EventKind.WORKER_IDLE_BEGIN, pool);
        tr.ev(20, 1, EventKind.POOL_SHUTDOWN, pool, 0, 0, "shutdown").end(30, 1);
        assertThat(Findings.all(tr.endAt(31).model())).isEmpty();
    }

    @Test
    void aConsumerOnAQueueWhoseSenderIsStillActiveIsNoPartialDeadlockEvenInACycle() {
        // a and b feed each other, but main also sent to a's queue and is still running: main can wake a
        SyntheticTrace tr = twoWorkersFeedingEachOther(true);
        assertThat(communication(tr.model())).isEmpty();
    }

    @Test
    void partiesWaitingAtTheSameBarrierDoNotWakeEachOther() {
        SyntheticTrace tr = new SyntheticTrace();
        long barrier = tr.barrier(3);
        long m = tr.monitor("M");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "a", 0).start(4, 1, 3, "b", 0);
        tr.ev(10, 2, EventKind.BARRIER_AWAIT_BEGIN, barrier, 0, 0, "await");
        tr.ev(12, 3, EventKind.BARRIER_AWAIT_BEGIN, barrier, 0, 0, "await");
        tr.enter(20, 1, m).exit(30, 1, m);
        assertThat(communication(tr.endAt(100).model())).isEmpty();
    }

    @Test
    void aFutureGetOnAPoolThatCanStillStartWorkersIsNoSelfDeadlock() {
        // max 4 threads, one started: the queued task may still get a worker of its own while main goes on
        SyntheticTrace tr = selfDeadlock(4, false);
        assertThat(communication(tr.model())).isEmpty();
    }

    // ---- recall: hangs on channels, latches, futures

    @Test
    void aLatchThatNobodyCountsDownHangsTheProgram() {
        SyntheticTrace tr = new SyntheticTrace();
        long latch = tr.latch(2);
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "worker", 0);
        tr.ev(10, 2, EventKind.LATCH_COUNT_DOWN, latch, 0, 1).end(12, 2);
        tr.ev(20, 1, EventKind.LATCH_AWAIT_BEGIN, latch);
        List<Finding> findings = Findings.all(tr.incomplete().model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
            assertThat(f.threads()).containsExactly("main");
            assertThat(f.summary()).isEqualTo("Communication deadlock: \"main\" waits on latches that no live thread"
                    + " can serve; the program hung.");
            assertThat(f.evidence().get(0).what()).isEqualTo("\"main\" awaits CountDownLatch@1000 (#" + latch
                    + ", count 2), counted down to 1, here");
            assertThat(f.resources()).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo("LATCH");
                assertThat(r.capacity()).isEqualTo(2);
            });
        });

        SyntheticTrace never = new SyntheticTrace();
        long l2 = never.latch(1);
        never.begin(1, 1, "main", PREEXISTING).ev(20, 1, EventKind.LATCH_AWAIT_BEGIN, l2);
        assertThat(communication(never.incomplete().model())).singleElement().satisfies(f ->
                assertThat(f.details().get("notes").toString()).contains("nothing ever counted down CountDownLatch"));
    }

    @Test
    void mainAwaitingALatchWhileThePoolsWorkersSitIdleIsAHangOfMainAndALeakOfThePool() {
        SyntheticTrace tr = new SyntheticTrace();
        long pool = tr.pool(1);
        long latch = tr.latch(2);
        long task = tr.futureTask();
        tr.begin(1, 1, "main", PREEXISTING).ev(2, 1, EventKind.POOL_CREATE, pool, 0, 1,
                "java.util.concurrent.ThreadPoolExecutor");
        tr.start(3, 1, 2, "pool-1-thread-1", 0).ev(10, 2, EventKind.WORKER_IDLE_BEGIN, pool);
        tr.ev(20, 1, EventKind.TASK_SUBMIT, task, 0, pool);
        tr.ev(21, 2, EventKind.WORKER_IDLE_END, pool).ev(22, 2, EventKind.TASK_BEGIN, task, 0, pool)
                .ev(23, 2, EventKind.LATCH_COUNT_DOWN, latch, 0, 1).ev(24, 2, EventKind.TASK_END, task)
                .ev(25, 2, EventKind.WORKER_IDLE_BEGIN, pool);
        tr.ev(30, 1, EventKind.LATCH_AWAIT_BEGIN, latch); // one count-down short: nobody will give it
        List<Finding> findings = Findings.all(tr.incomplete().model());

        assertThat(findings).extracting(Finding::type, Finding::threads).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FindingType.COMMUNICATION_DEADLOCK, List.of("main")),
                org.assertj.core.groups.Tuple.tuple(FindingType.THREAD_LEAK, List.of("pool-1-thread-1")));
    }

    @Test
    void aWorkerOfAShutDownPoolStuckInItsTaskIsALeakOfThatTask() {
        SyntheticTrace tr = new SyntheticTrace();
        long pool = tr.pool(1);
        long q = tr.queue(LBQ, Integer.MAX_VALUE);
        long task = tr.futureTask();
        tr.begin(1, 1, "main", PREEXISTING).ev(2, 1, EventKind.POOL_CREATE, pool, 0, 1,
                "java.util.concurrent.ThreadPoolExecutor");
        tr.start(3, 1, 2, "pool-1-thread-1", 0).ev(20, 1, EventKind.TASK_SUBMIT, task, 0, pool);
        tr.ev(22, 2, EventKind.TASK_BEGIN, task, 0, pool);
        takeBegins(tr, 24, 2, q);
        tr.ev(30, 1, EventKind.POOL_SHUTDOWN, pool, 0, 0, "shutdown");
        long m = tr.monitor("M");
        tr.enter(40, 1, m).exit(41, 1, m);
        List<Finding> findings = Findings.all(tr.endAt(100).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.summary()).isEqualTo("Thread leak: \"pool-1-thread-1\" was still alive at the end, not"
                    + " daemon: workers of an executor that was shut down, in tasks that never ended.");
            assertThat(f.details().get("notes").toString()).contains("a goroutine leak");
        });
    }

    @Test
    void aPoolSelfDeadlockNamesTheWorkerAndTheQueuedTask() {
        SyntheticTrace tr = selfDeadlock(1, true);
        List<Finding> findings = Findings.all(tr.model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
            assertThat(f.threads()).containsExactly("main", "pool-1-thread-1");
            assertThat(f.summary()).isEqualTo("Communication deadlock: \"main\" and \"pool-1-thread-1\" wait on"
                    + " futures that no live thread can serve; the program hung.");
            assertThat(f.evidence()).extracting(Evidence::what).containsExactly(
                    "\"main\" waits in get() for FutureTask@1001 (#101), whose task runs on \"pool-1-thread-1\","
                            + " here",
                    "\"pool-1-thread-1\" waits in get() for FutureTask@1002 (#102), whose task is still queued in"
                            + " ThreadPoolExecutor@1000 (#100, max 1 thread), here",
                    "the task FutureTask@1002 (#102) that \"pool-1-thread-1\" waits for was submitted here and is"
                            + " still queued in ThreadPoolExecutor@1000 (#100, max 1 thread)");
            assertThat(f.evidence().get(2).thread()).isEqualTo("pool-1-thread-1");
            assertThat(f.evidence().get(2).stack()).containsExactly("dev.example.App.run(App.java:24)");
            assertThat(f.details().get("notes").toString()).contains("pool self-deadlock: the task FutureTask@1002"
                    + " (#102) is queued in ThreadPoolExecutor@1000 (#100, max 1 thread), whose every worker"
                    + " (\"pool-1-thread-1\") is itself waiting, so it can never run");
        });
    }

    @Test
    void aPoolSelfDeadlockWhileMainGoesOnIsAPartialDeadlockOfTheWorkerAlone() {
        SyntheticTrace tr = selfDeadlock(1, false);
        List<Finding> findings = Findings.all(tr.model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
            assertThat(f.threads()).containsExactly("pool-1-thread-1");
            assertThat(f.summary()).startsWith("Partial communication deadlock: \"pool-1-thread-1\" waits on"
                    + " futures that only it could serve");
            assertThat(f.details()).containsEntry("partial", true);
        });
    }

    @Test
    void twoWorkersBlockedOnEachOthersChannelsWhileMainRunsAreOnePartialDeadlockOfExactlyThem() {
        TraceModel model = twoWorkersFeedingEachOther(false).model();
        List<Finding> findings = Findings.all(model);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.threads()).containsExactly("a", "b");
            assertThat(f.summary()).isEqualTo("Partial communication deadlock: \"a\" and \"b\" wait for each other"
                    + " on channels that only they could serve; they can never continue, while the rest of the"
                    + " program went on.");
            assertThat(f.resources()).extracting(ResourceRef::label).containsExactly(
                    "LinkedBlockingQueue@1000 (#100, unbounded)", "LinkedBlockingQueue@1001 (#101, unbounded)");
            assertThat(f.evidence()).extracting(Evidence::what).contains(
                    "\"a\" waits in take() to receive from LinkedBlockingQueue@1000 (#100, unbounded), here",
                    "\"b\" last sent to LinkedBlockingQueue@1000 (#100, unbounded) here");
            assertThat(f.details().get("notes").toString()).contains("only \"b\" ever sent to"
                    + " LinkedBlockingQueue@1000 (#100, unbounded), which \"a\" waits for");
        });
    }

    @Test
    void threadsFoundHungWhenTheAgentAttachedAreTheProgramsButTheJvmsDaemonsAreNot() {
        SyntheticTrace hung = new SyntheticTrace();
        long q = hung.queue(LBQ, Integer.MAX_VALUE);
        hung.begin(100, 1, "main", PREEXISTING | SNAPSHOT).begin(100, 5, "Signal Dispatcher",
                PREEXISTING | SNAPSHOT | DAEMON);
        hung.begin(100, 7, "consumer", PREEXISTING | SNAPSHOT);
        hung.ev(100, 7, EventKind.CHANNEL_RECV_BEGIN, q, SNAPSHOT, 0, "take");
        hung.ev(100, 1, EventKind.JOIN_BEGIN, 7, SNAPSHOT, 0);
        assertThat(communication(hung.incomplete().model())).singleElement().satisfies(f ->
                assertThat(f.threads()).containsExactly("main", "consumer"));

        // a snapshot thread that is still running can send: under the old rule (every preexisting thread is the
        // JVM's) main would have looked hung
        SyntheticTrace live = new SyntheticTrace();
        long q2 = live.queue(LBQ, Integer.MAX_VALUE);
        long m = live.monitor("M");
        live.begin(100, 1, "main", PREEXISTING | SNAPSHOT).begin(100, 7, "producer", PREEXISTING | SNAPSHOT);
        live.ev(100, 1, EventKind.CHANNEL_RECV_BEGIN, q2, SNAPSHOT, 0, "take");
        live.enter(110, 7, m).exit(120, 7, m);
        assertThat(Findings.all(live.incomplete().model())).isEmpty();
    }

    @Test
    void aConsumerLeftWaitingOnAQueueNobodySendsToIsAGoroutineLeak() {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue(LBQ, Integer.MAX_VALUE);
        long m = tr.monitor("M");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "consumer", 0);
        takeBegins(tr, 10, 2, q);
        tr.enter(30, 1, m).exit(32, 1, m); // main goes on (and calls System.exit)
        List<Finding> findings = Findings.all(tr.endAt(100).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactly("consumer");
            assertThat(f.details().get("notes").toString()).contains("\"consumer\" waits to receive from"
                    + " LinkedBlockingQueue@1000 (#100, unbounded), which nothing ever sent to: it is blocked for"
                    + " ever (a goroutine leak)");
        });
    }

    // ---- LIVELOCK on synchronizers

    @Test
    void twoThreadsFailingTryAcquireOnEachOthersSemaphoresInStepAreALivelock() {
        List<Finding> findings = Findings.of(new LivelockDetector(), politeSemaphores(150).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.threads()).containsExactly("left", "right");
            assertThat(f.summary()).startsWith("Livelock: \"left\" and \"right\" kept failing (timed out or refused)"
                    + " on locks, channels or synchronizers that the others hold or serve (150, 150 times");
            assertThat(f.resources()).extracting(ResourceRef::kind).containsOnly("SEMAPHORE");
        });
    }

    @Test
    void aTimedOutPollLoopThatReceivesNowAndThenIsNoLivelock() {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue(LBQ, Integer.MAX_VALUE);
        tr.begin(1, 1, "consumer", 0).begin(2, 2, "producer", 0);
        for (int i = 0; i < 300; i++) {
            long t = 10 + 70L * i;
            boolean delivered = i % 10 == 9;
            if (delivered) {
                send(tr, t, 2, q);
            }
            tr.ev(t + 5, 1, EventKind.CHANNEL_RECV_BEGIN, q, TIMED, 1_000_000, "poll");
            tr.ev(t + 30, 1, EventKind.CHANNEL_RECV_END, q, delivered ? 0 : TIMED_OUT, 0, "poll");
            // the producer, too, polls a queue nobody fills: one thread spinning alone is no livelock either
            tr.ev(t + 35, 2, EventKind.CHANNEL_RECV_BEGIN, q + 1, TRY, 0, "poll");
            tr.ev(t + 36, 2, EventKind.CHANNEL_RECV_END, q + 1, FAILED, 0, "poll");
        }
        tr.queue(LBQ, Integer.MAX_VALUE);
        assertThat(Findings.of(new LivelockDetector(), tr.timeScale(10_000).model())).isEmpty();
    }

    // ---- traces

    /**
     * A pool of at most {@code maxSize} threads with one worker: main submits A, the worker runs A, which submits
     * B to the same pool and waits for it. Main then waits for A ({@code mainWaits}) or keeps running.
     */
    static SyntheticTrace selfDeadlock(long maxSize, boolean mainWaits) {
        SyntheticTrace tr = new SyntheticTrace();
        long pool = tr.pool(maxSize);
        long a = tr.futureTask();
        long b = tr.futureTask();
        long m = tr.monitor("M");
        tr.begin(1, 1, "main", PREEXISTING).ev(2, 1, EventKind.POOL_CREATE, pool, 0, maxSize,
                "java.util.concurrent.ThreadPoolExecutor");
        tr.start(3, 1, 2, "pool-1-thread-1", 0);
        tr.ev(20, 1, EventKind.TASK_SUBMIT, a, 0, pool);
        tr.ev(22, 2, EventKind.TASK_BEGIN, a, 0, pool);
        tr.ev(24, 2, EventKind.TASK_SUBMIT, b, 0, pool);
        tr.ev(26, 2, EventKind.FUTURE_GET_BEGIN, b, 0, 0, "get");
        if (mainWaits) {
            tr.ev(30, 1, EventKind.FUTURE_GET_BEGIN, a, 0, 0, "get");
            return tr.incomplete();
        }
        tr.enter(30, 1, m).exit(40, 1, m);
        return tr.endAt(100);
    }

    /**
     * Workers a and b: a sends to q2, b receives it and sends to q1, a receives it; then each waits to receive
     * from the queue only the other sent to, while main keeps running (and, with {@code mainSent}, had sent to
     * q1 itself).
     */
    static SyntheticTrace twoWorkersFeedingEachOther(boolean mainSent) {
        SyntheticTrace tr = new SyntheticTrace();
        long q1 = tr.queue(LBQ, Integer.MAX_VALUE);
        long q2 = tr.queue(LBQ, Integer.MAX_VALUE);
        long m = tr.monitor("M");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "a", 0).start(4, 1, 3, "b", 0);
        send(tr, 10, 2, q2);
        receive(tr, 12, 3, q2);
        send(tr, 14, 3, q1);
        receive(tr, 16, 2, q1);
        if (mainSent) {
            send(tr, 18, 1, q1);
            receive(tr, 19, 2, q1);
        }
        takeBegins(tr, 20, 2, q1);
        takeBegins(tr, 22, 3, q2);
        tr.enter(40, 1, m).exit(50, 1, m);
        return tr.endAt(100);
    }

    /** Two threads each holding one semaphore's permit and failing tryAcquire on the other's, in step. */
    static SyntheticTrace politeSemaphores(int rounds) {
        SyntheticTrace tr = new SyntheticTrace();
        long s1 = tr.semaphore();
        long s2 = tr.semaphore();
        tr.begin(1, 1, "left", 0).begin(2, 2, "right", 0);
        for (int i = 0; i < rounds; i++) {
            long t = 10 + 70L * i;
            tr.ev(t, 1, EventKind.SEMAPHORE_ACQUIRE_BEGIN, s1, 0, 1).ev(t + 1, 1, EventKind.SEMAPHORE_ACQUIRE_END, s1,
                    0, 1);
            tr.ev(t + 2, 2, EventKind.SEMAPHORE_ACQUIRE_BEGIN, s2, 0, 1).ev(t + 3, 2, EventKind.SEMAPHORE_ACQUIRE_END,
                    s2, 0, 1);
            tr.ev(t + 20, 1, EventKind.SEMAPHORE_ACQUIRE_BEGIN, s2, TRY, 1)
                    .ev(t + 21, 1, EventKind.SEMAPHORE_ACQUIRE_END, s2, TRY | FAILED, 1);
            tr.ev(t + 22, 2, EventKind.SEMAPHORE_ACQUIRE_BEGIN, s1, TRY, 1)
                    .ev(t + 23, 2, EventKind.SEMAPHORE_ACQUIRE_END, s1, TRY | FAILED, 1);
            tr.ev(t + 30, 2, EventKind.SEMAPHORE_RELEASE, s2, 0, 1).ev(t + 31, 1, EventKind.SEMAPHORE_RELEASE, s1,
                    0, 1);
        }
        return tr.timeScale(10_000);
    }
}
