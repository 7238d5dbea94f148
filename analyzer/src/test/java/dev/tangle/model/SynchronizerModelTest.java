package dev.tangle.model;

import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tangle.model.SyntheticTrace.FAILED;
import static dev.tangle.model.SyntheticTrace.PREEXISTING;
import static dev.tangle.model.SyntheticTrace.SNAPSHOT;
import static dev.tangle.model.SyntheticTrace.TIMED;
import static dev.tangle.model.SyntheticTrace.TIMED_OUT;
import static dev.tangle.model.SyntheticTrace.TRY;
import static org.assertj.core.api.Assertions.assertThat;

/** Channels, synchronizers, futures, pools and attach snapshots in the model, on traces shaped as the format says. */
class SynchronizerModelTest {
    @Test
    void aReceiveBlocksTheThreadOnItsQueueAndTheSenderIsWhoWokeIt() {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue("java.util.concurrent.SynchronousQueue", 0);
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "consumer", 0);
        tr.ev(10, 2, EventKind.CHANNEL_RECV_BEGIN, q, 0, 0, "take");
        tr.ev(30, 1, EventKind.CHANNEL_SEND_BEGIN, q, 0, 0, "put")
                .ev(31, 1, EventKind.CHANNEL_SEND_END, q, 0, 0, "put");
        tr.ev(32, 2, EventKind.CHANNEL_RECV_END, q, 0, 0, "take");
        TraceModel m = tr.endAt(50).model();

        StateInterval wait = m.stateAt(2, 20).orElseThrow();
        assertThat(wait.state()).isEqualTo(ThreadState.WAITING);
        assertThat(wait.reason()).isEqualTo(BlockReason.CHANNEL_RECEIVE);
        assertThat(wait.resource()).isEqualTo(q);
        assertThat(wait.start()).isEqualTo(10);
        assertThat(wait.end()).isEqualTo(32);
        assertThat(m.stateAt(2, 40).orElseThrow().state()).isEqualTo(ThreadState.RUNNING);
        assertThat(m.resource(q).kind()).isEqualTo(ResourceKind.QUEUE);
        assertThat(m.resource(q).capacity()).isZero();
        assertThat(m.resource(q).describe()).isEqualTo("java.util.concurrent.SynchronousQueue@1000 (#" + q
                + ", capacity 0)");
        assertThat(m.operations(q)).extracting(Operation::kind, Operation::threadId, Operation::method,
                Operation::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(OperationKind.RECEIVE, 2L, "take", Operation.Outcome.COMPLETED),
                org.assertj.core.groups.Tuple.tuple(OperationKind.SEND, 1L, "put", Operation.Outcome.COMPLETED));
        assertThat(m.wokenBy(2, 20)).hasValueSatisfying(op -> {
            assertThat(op.kind()).isEqualTo(OperationKind.SEND);
            assertThat(op.threadId()).isEqualTo(1);
            assertThat(op.site().line()).isEqualTo(30);
        });
    }

    @Test
    void timedOutPollsAndRefusedOffersHaveTheirOutcomeAndTimeout() {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue("java.util.concurrent.ArrayBlockingQueue", 1);
        tr.begin(1, 1, "main", PREEXISTING);
        tr.ev(10, 1, EventKind.CHANNEL_RECV_BEGIN, q, TIMED, 5_000, "poll");
        tr.ev(20, 1, EventKind.CHANNEL_RECV_END, q, TIMED_OUT, 0, "poll");
        tr.ev(30, 1, EventKind.CHANNEL_SEND_BEGIN, q, TRY, 0, "offer");
        tr.ev(31, 1, EventKind.CHANNEL_SEND_END, q, FAILED, 1, "offer");
        TraceModel m = tr.endAt(50).model();

        StateInterval poll = m.stateAt(1, 15).orElseThrow();
        assertThat(poll.state()).isEqualTo(ThreadState.TIMED_WAITING);
        assertThat(poll.timed()).isTrue();
        assertThat(poll.timeout()).isEqualTo(5_000);
        assertThat(poll.timedOut()).isTrue();
        assertThat(m.wokenBy(1, 15)).isEmpty();
        // an offer() never blocks: no wait interval, but an operation that failed
        assertThat(m.stateAt(1, 30).orElseThrow().state()).isEqualTo(ThreadState.RUNNING);
        assertThat(m.operations(q)).extracting(Operation::outcome, Operation::tried, Operation::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Operation.Outcome.TIMED_OUT, false, 5_000L),
                        org.assertj.core.groups.Tuple.tuple(Operation.Outcome.FAILED, true, 1L));
    }

    @Test
    void latchesSemaphoresBarriersAndFuturesAreWaitsWithTheirWakers() {
        SyntheticTrace tr = new SyntheticTrace();
        long latch = tr.latch(1);
        long sem = tr.semaphore();
        long barrier = tr.barrier(2);
        long future = tr.completableFuture();
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "helper", 0);
        tr.ev(10, 1, EventKind.LATCH_AWAIT_BEGIN, latch).ev(12, 2, EventKind.LATCH_COUNT_DOWN, latch, 0, 0)
                .ev(13, 1, EventKind.LATCH_AWAIT_END, latch);
        tr.ev(20, 1, EventKind.SEMAPHORE_ACQUIRE_BEGIN, sem, 0, 1).ev(22, 2, EventKind.SEMAPHORE_RELEASE, sem, 0, 1)
                .ev(23, 1, EventKind.SEMAPHORE_ACQUIRE_END, sem, 0, 1);
        tr.ev(30, 1, EventKind.BARRIER_AWAIT_BEGIN, barrier, 0, 0, "await")
                .ev(32, 2, EventKind.BARRIER_AWAIT_BEGIN, barrier, 0, 0, "await")
                .ev(33, 2, EventKind.BARRIER_AWAIT_END, barrier, 0, 0, "await")
                .ev(34, 1, EventKind.BARRIER_AWAIT_END, barrier, 0, 1, "await");
        tr.ev(40, 1, EventKind.FUTURE_GET_BEGIN, future, 0, 0, "join")
                .ev(42, 2, EventKind.FUTURE_COMPLETE, future, FAILED, 0, "completeExceptionally")
                .ev(43, 1, EventKind.FUTURE_GET_END, future, FAILED, 0, "join");
        TraceModel m = tr.endAt(50).model();

        assertThat(List.of(11L, 21L, 31L, 41L)).map(t -> m.stateAt(1, t).orElseThrow().reason()).containsExactly(
                BlockReason.LATCH_AWAIT, BlockReason.SEMAPHORE_ACQUIRE, BlockReason.BARRIER_AWAIT,
                BlockReason.FUTURE_GET);
        assertThat(m.wokenBy(1, 11)).map(Operation::kind).hasValue(OperationKind.COUNT_DOWN);
        assertThat(m.wokenBy(1, 21)).map(Operation::kind).hasValue(OperationKind.RELEASE);
        assertThat(m.wokenBy(1, 31)).map(Operation::threadId).hasValue(2L);
        // the get failed: the future completed exceptionally
        assertThat(m.stateAt(1, 41).orElseThrow().failed()).isTrue();
        assertThat(m.completions(future)).singleElement().satisfies(c -> {
            assertThat(c.threadId()).isEqualTo(2);
            assertThat(c.method()).isEqualTo("completeExceptionally");
            assertThat(c.outcome()).isEqualTo(Operation.Outcome.FAILED);
        });
        assertThat(m.resource(latch).kind()).isEqualTo(ResourceKind.LATCH);
        assertThat(m.resource(barrier).describe()).endsWith(", 2 parties)");
        assertThat(m.resource(future).kind()).isEqualTo(ResourceKind.FUTURE);
    }

    @Test
    void poolWorkersAreIdleBetweenTasksAndTasksLinkTheSubmitterToTheWorker() {
        SyntheticTrace tr = new SyntheticTrace();
        long pool = tr.pool(1);
        long task = tr.futureTask();
        long queue = tr.queue("java.util.concurrent.LinkedBlockingQueue", Integer.MAX_VALUE);
        int created = tr.stack("java.util.concurrent.Executors.newFixedThreadPool", "dev.example.App.main");
        tr.begin(1, 1, "main", PREEXISTING);
        tr.ev(2, 1, EventKind.POOL_CREATE, pool, 0, 1, "java.util.concurrent.ThreadPoolExecutor", created);
        tr.start(3, 1, 2, "pool-1-thread-1", 0);
        tr.ev(10, 2, EventKind.WORKER_IDLE_BEGIN, pool);
        // the pool's own wait for work (its queue, a park) does not make the idle worker look blocked
        tr.ev(11, 2, EventKind.CHANNEL_RECV_BEGIN, queue, 0, 0, "take");
        tr.ev(20, 1, EventKind.TASK_SUBMIT, task, 0, pool);
        tr.ev(21, 2, EventKind.CHANNEL_RECV_END, queue, 0, 0, "take").ev(22, 2, EventKind.WORKER_IDLE_END, pool);
        tr.ev(23, 2, EventKind.TASK_BEGIN, task, 0, pool);
        tr.ev(25, 2, EventKind.FUTURE_COMPLETE, task, 0, 0, "set").ev(26, 2, EventKind.TASK_END, task);
        tr.ev(27, 2, EventKind.WORKER_IDLE_BEGIN, pool);
        tr.ev(30, 1, EventKind.POOL_SHUTDOWN, pool, 0, 0, "shutdown");
        TraceModel m = tr.endAt(50).model();

        assertThat(m.stateAt(2, 15).orElseThrow()).satisfies(s -> {
            assertThat(s.state()).isEqualTo(ThreadState.IDLE);
            assertThat(s.reason()).isEqualTo(BlockReason.WORKER_IDLE);
            assertThat(s.resource()).isEqualTo(pool);
        });
        assertThat(m.stateAt(2, 24).orElseThrow().state()).isEqualTo(ThreadState.RUNNING);
        assertThat(m.stateAtEnd(2).orElseThrow().state()).isEqualTo(ThreadState.IDLE);
        assertThat(m.tasks()).singleElement().satisfies(r -> {
            assertThat(r.taskId()).isEqualTo(task);
            assertThat(r.poolId()).isEqualTo(pool);
            assertThat(r.submitter()).isEqualTo(1);
            assertThat(r.submitTime()).isEqualTo(20);
            assertThat(r.worker()).isEqualTo(2);
            assertThat(r.beginTime()).isEqualTo(23);
            assertThat(r.endTime()).isEqualTo(26);
            assertThat(r.submitSite().line()).isEqualTo(20);
        });
        assertThat(m.tasksRunBy(2)).hasSize(1);
        assertThat(m.pool(pool)).hasValueSatisfying(p -> {
            assertThat(p.className()).isEqualTo("java.util.concurrent.ThreadPoolExecutor");
            assertThat(p.maxSize()).isEqualTo(1);
            assertThat(p.coreSize()).isEqualTo(1);
            assertThat(p.creator()).isEqualTo(1);
            assertThat(p.creationStack().frames()).hasSize(2);
            assertThat(p.workers()).containsExactly(2L);
            assertThat(p.shutdownHow()).isEqualTo("shutdown");
            assertThat(p.submitted()).isEqualTo(1);
        });
        assertThat(m.poolOf(2)).map(Pool::id).hasValue(pool);
        assertThat(m.resource(task).kind()).isEqualTo(ResourceKind.FUTURE);
        assertThat(m.resource(pool).kind()).isEqualTo(ResourceKind.POOL);
    }

    @Test
    void aTaskStillQueuedAtTheEndIsATaskRunWithoutAWorker() {
        SyntheticTrace tr = new SyntheticTrace();
        long pool = tr.pool(1);
        long task = tr.futureTask();
        tr.begin(1, 1, "main", PREEXISTING).ev(5, 1, EventKind.TASK_SUBMIT, task, 0, pool);
        TraceModel m = tr.endAt(50).model();

        assertThat(m.tasks()).singleElement().satisfies(r -> {
            assertThat(r.queuedAtEnd()).isTrue();
            assertThat(r.worker()).isZero();
        });
        assertThat(m.tasksOf(pool)).hasSize(1);
    }

    @Test
    void anAttachSnapshotGivesHoldsWithTheirCountsAndWaitsInProgressButNoLockOrder() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        long m2 = tr.monitor("Mailbox");
        tr.begin(100, 7, "worker", PREEXISTING | SNAPSHOT);
        tr.ev(100, 7, EventKind.MONITOR_ACQUIRED, a, SNAPSHOT, 2)
                .ev(100, 7, EventKind.MONITOR_ACQUIRED, b, SNAPSHOT, 1);
        tr.begin(100, 8, "waiter", PREEXISTING | SNAPSHOT).ev(100, 8, EventKind.WAIT_BEGIN, m2, SNAPSHOT, 0);
        tr.exit(110, 7, b).exit(111, 7, a).exit(112, 7, a);
        tr.ev(120, 8, EventKind.WAIT_END, m2, 0, 1).exit(121, 8, m2);
        TraceModel m = tr.endAt(200).model();

        assertThat(m.thread(7)).hasValueSatisfying(t -> {
            assertThat(t.snapshot()).isTrue();
            assertThat(t.preexisting()).isTrue();
        });
        // A was held twice: the first exit left it held, the second released it
        assertThat(m.holds(a)).singleElement().satisfies(h -> {
            assertThat(h.start()).isEqualTo(100);
            assertThat(h.end()).isEqualTo(112);
        });
        assertThat(m.holds(b)).singleElement().satisfies(h -> assertThat(h.end()).isEqualTo(110));
        assertThat(m.lockOrderEdges()).isEmpty();
        assertThat(m.stateAt(8, 105).orElseThrow().reason()).isEqualTo(BlockReason.MONITOR_WAIT);
        assertThat(m.holds(m2)).singleElement().satisfies(h -> {
            assertThat(h.start()).isEqualTo(120);
            assertThat(h.end()).isEqualTo(121);
        });
    }

    @Test
    void aThreadBlockedWhenTheAgentAttachedIsBlockedUntilItGetsTheLock() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        // the blocked thread comes first in the trace, so its request is replayed before the holder's hold
        tr.begin(100, 8, "blocked", PREEXISTING | SNAPSHOT).ev(100, 8, EventKind.MONITOR_REQUEST, a, SNAPSHOT, 0);
        tr.begin(100, 7, "holder", PREEXISTING | SNAPSHOT).ev(100, 7, EventKind.MONITOR_ACQUIRED, a, SNAPSHOT, 1);
        tr.exit(130, 7, a).ev(131, 8, EventKind.MONITOR_ACQUIRED, a, 0, 1).exit(140, 8, a);
        TraceModel m = tr.endAt(200).model();

        assertThat(m.stateAt(8, 120).orElseThrow()).satisfies(s -> {
            assertThat(s.state()).isEqualTo(ThreadState.BLOCKED);
            assertThat(s.resource()).isEqualTo(a);
            assertThat(s.end()).isEqualTo(131);
        });
        assertThat(m.waits(a)).singleElement().satisfies(w -> assertThat(w.outcome())
                .isEqualTo(LockWait.Outcome.ACQUIRED));
        assertThat(m.holds(a)).extracting(Hold::threadId).containsExactly(7L, 8L);
    }

    @Test
    void aWaitStillGoingOnAtTheEndIsAPendingOperation() {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue("java.util.concurrent.LinkedBlockingQueue", Integer.MAX_VALUE);
        tr.begin(1, 1, "main", PREEXISTING).ev(10, 1, EventKind.CHANNEL_RECV_BEGIN, q, 0, 0, "take");
        TraceModel m = tr.endAt(90).model();

        assertThat(m.operations(q)).singleElement().satisfies(op -> {
            assertThat(op.outcome()).isEqualTo(Operation.Outcome.PENDING);
            assertThat(op.end()).isEqualTo(90);
        });
        assertThat(m.stateAtEnd(1).orElseThrow()).satisfies(s -> {
            assertThat(s.open()).isTrue();
            assertThat(s.reason()).isEqualTo(BlockReason.CHANNEL_RECEIVE);
        });
        assertThat(m.resource(q).describe()).endsWith(", unbounded)");
    }

    @Test
    void eventsOutOfTheirUsualOrderNeitherFailNorInventWaits() {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue("java.util.concurrent.LinkedBlockingQueue", Integer.MAX_VALUE);
        long pool = tr.pool(1);
        long task = tr.futureTask();
        long m = tr.monitor("M");
        tr.begin(1, 1, "main", PREEXISTING);
        // ends whose begin came before recording (or was lost), an idle end and a task end without their begins
        tr.ev(10, 1, EventKind.CHANNEL_RECV_END, q, 0, 0, "take");
        tr.ev(11, 1, EventKind.WORKER_IDLE_END, pool).ev(12, 1, EventKind.TASK_END, task);
        // a task begun while idle ends the idle wait; a park inside a receive returns to the receive
        tr.ev(20, 1, EventKind.WORKER_IDLE_BEGIN, pool).ev(21, 1, EventKind.TASK_BEGIN, task, 0, pool);
        tr.ev(30, 1, EventKind.CHANNEL_RECV_BEGIN, q, 0, 0, "take").ev(31, 1, EventKind.PARK_BEGIN, q)
                .ev(32, 1, EventKind.PARK_END, q);
        tr.enter(40, 1, m).exit(41, 1, m).ev(50, 1, EventKind.CHANNEL_RECV_END, q, 0, 0, "take");
        tr.ev(51, 1, EventKind.TASK_END, task);
        TraceModel model = tr.endAt(60).model();

        assertThat(model.operations(q)).extracting(Operation::start, Operation::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple(10L, 10L), org.assertj.core.groups.Tuple.tuple(30L, 50L));
        assertThat(model.stateAt(1, 15).orElseThrow().state()).isEqualTo(ThreadState.RUNNING);
        assertThat(model.stateAt(1, 25).orElseThrow().state()).isEqualTo(ThreadState.RUNNING);
        assertThat(model.stateAt(1, 31).orElseThrow().reason()).isEqualTo(BlockReason.PARK);
        assertThat(model.stateAt(1, 35).orElseThrow().reason()).isEqualTo(BlockReason.CHANNEL_RECEIVE);
        assertThat(model.stateAt(1, 55).orElseThrow().state()).isEqualTo(ThreadState.RUNNING);
        assertThat(model.tasks()).singleElement().satisfies(r -> {
            assertThat(r.submitter()).isZero();
            assertThat(r.worker()).isEqualTo(1);
            assertThat(r.endTime()).isEqualTo(51);
        });
    }
}
