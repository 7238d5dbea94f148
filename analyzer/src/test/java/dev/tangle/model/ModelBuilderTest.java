package dev.tangle.model;

import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tangle.model.SyntheticTrace.DAEMON;
import static dev.tangle.model.SyntheticTrace.READ;
import static dev.tangle.model.SyntheticTrace.TIMED;
import static dev.tangle.model.SyntheticTrace.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

class ModelBuilderTest {
    @Test
    void contendedMonitorGivesBlockedIntervalHoldsAndAWait() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("Account");
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "worker", DAEMON);
        tr.enter(10, 1, m).exit(50, 1, m);
        tr.ev(20, 2, EventKind.MONITOR_REQUEST, m).ev(51, 2, EventKind.MONITOR_ACQUIRED, m, 0, 1)
                .exit(60, 2, m).end(70, 2);
        TraceModel model = tr.endAt(100).model();

        assertThat(model.stateAt(2, 30)).get().satisfies(s -> {
            assertThat(s.state()).isEqualTo(ThreadState.BLOCKED);
            assertThat(s.reason()).isEqualTo(BlockReason.MONITOR_ENTER);
            assertThat(s.resource()).isEqualTo(m);
            assertThat(s.start()).isEqualTo(20);
            assertThat(s.end()).isEqualTo(51);
            assertThat(s.site().line()).isEqualTo(20);
        });
        assertThat(model.stateAt(2, 55)).get().extracting(StateInterval::state).isEqualTo(ThreadState.RUNNING);
        assertThat(model.stateAtEnd(2)).get().extracting(StateInterval::state).isEqualTo(ThreadState.TERMINATED);
        assertThat(model.holds(m)).extracting(Hold::threadId, Hold::start, Hold::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 11L, 50L),
                        org.assertj.core.groups.Tuple.tuple(2L, 51L, 60L));
        assertThat(model.waits(m)).singleElement().satisfies(w -> {
            assertThat(w.threadId()).isEqualTo(2);
            assertThat(w.outcome()).isEqualTo(LockWait.Outcome.ACQUIRED);
            assertThat(w.end() - w.start()).isEqualTo(31);
        });
        assertThat(model.holdsAt(30)).extracting(Hold::threadId).containsExactly(1L);
        ThreadInfo worker = model.thread(2).orElseThrow();
        assertThat(worker.name()).isEqualTo("worker");
        assertThat(worker.daemon()).isTrue();
        assertThat(worker.parentId()).isEqualTo(1);
        assertThat(worker.startSite().line()).isEqualTo(2);
        assertThat(worker.aliveAtEnd()).isFalse();
        assertThat(model.thread(1).orElseThrow().aliveAtEnd()).isTrue();
        assertThat(model.summary().events()).isEqualTo(10);
        assertThat(model.endTime()).isEqualTo(100);
    }

    @Test
    void uncontendedRequestsLeaveNoWaitAndNoBlockedState() {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(1, 1, "main", 0);
        for (int i = 0; i < 10; i++) {
            tr.lock(10 + 10 * i, 1, l, 0).unlock(15 + 10 * i, 1, l, 0);
        }
        TraceModel model = tr.model();

        assertThat(model.waits(l)).isEmpty();
        assertThat(model.holds(l)).hasSize(10);
        assertThat(model.states(1)).extracting(StateInterval::state).containsExactly(ThreadState.RUNNING);
    }

    @Test
    void waitReleasesTheMonitorAndGetsItBack() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("Queue");
        tr.begin(1, 1, "consumer", 0).begin(2, 2, "producer", 0);
        tr.enter(10, 1, m).ev(12, 1, EventKind.WAIT_BEGIN, m).ev(40, 1, EventKind.WAIT_END, m, 0, 1)
                .exit(41, 1, m);
        tr.enter(20, 2, m).ev(25, 2, EventKind.NOTIFY, m).exit(30, 2, m);
        TraceModel model = tr.model();

        assertThat(model.stateAt(1, 15)).get().extracting(StateInterval::state, StateInterval::reason)
                .containsExactly(ThreadState.WAITING, BlockReason.MONITOR_WAIT);
        assertThat(model.holds(m)).extracting(Hold::threadId, Hold::start, Hold::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, 11L, 12L),
                org.assertj.core.groups.Tuple.tuple(2L, 21L, 30L),
                org.assertj.core.groups.Tuple.tuple(1L, 40L, 41L));
    }

    @Test
    void conditionAwaitReleasesItsLockAndTimedOutIsMarked() {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        long c = tr.condition(l);
        tr.begin(1, 1, "main", 0);
        tr.lock(10, 1, l, 0).ev(12, 1, EventKind.CONDITION_AWAIT_BEGIN, c, TIMED, 1000)
                .ev(30, 1, EventKind.CONDITION_AWAIT_END, c, TIMED_OUT, 0).unlock(31, 1, l, 0);
        TraceModel model = tr.model();

        StateInterval await = model.stateAt(1, 20).orElseThrow();
        assertThat(await.state()).isEqualTo(ThreadState.TIMED_WAITING);
        assertThat(await.reason()).isEqualTo(BlockReason.CONDITION_AWAIT);
        assertThat(await.timedOut()).isTrue();
        assertThat(model.holdsAt(20)).isEmpty();
        assertThat(model.holdsAt(30)).hasSize(1);
        assertThat(model.resource(c).kind()).isEqualTo(ResourceKind.CONDITION);
        assertThat(model.resource(c).ownerId()).isEqualTo(l);
    }

    @Test
    void lockOrderEdgesHaveGatesModesAndTimes() {
        SyntheticTrace tr = new SyntheticTrace();
        long g = tr.monitor("Gate");
        long a = tr.monitor("A");
        long b = tr.rwLock("B");
        tr.begin(1, 1, "main", 0);
        tr.enter(10, 1, g).enter(12, 1, a).lock(14, 1, b, READ).unlock(16, 1, b, READ).exit(17, 1, a)
                .exit(18, 1, g);
        TraceModel model = tr.model();

        List<LockOrderEdge> edges = model.lockOrderEdges();
        assertThat(edges).extracting(LockOrderEdge::from, LockOrderEdge::to).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(g, a), org.assertj.core.groups.Tuple.tuple(g, b),
                org.assertj.core.groups.Tuple.tuple(a, b));
        LockOrderEdge ab = edges.stream().filter(e -> e.from() == a).findFirst().orElseThrow();
        assertThat(ab.gates()).containsExactly(g);
        assertThat(ab.toMode()).isEqualTo(LockMode.READ);
        assertThat(ab.fromSite().line()).isEqualTo(12);
        assertThat(ab.toSite().line()).isEqualTo(14);
        assertThat(model.resource(b).kind()).isEqualTo(ResourceKind.READ_WRITE_LOCK);
    }

    @Test
    void happensBeforeFollowsStartsAndJoins() {
        SyntheticTrace tr = new SyntheticTrace();
        tr.begin(1, 1, "main", 0).start(10, 1, 2, "t2", 0).end(20, 2);
        tr.ev(30, 1, EventKind.JOIN_BEGIN, 2).ev(31, 1, EventKind.JOIN_END, 2);
        tr.start(40, 1, 3, "t3", 0).end(50, 3);
        TraceModel model = tr.model();

        assertThat(model.happensBefore(1, 5, 2, 15)).isTrue();   // before the start
        assertThat(model.happensBefore(1, 12, 2, 15)).isFalse(); // after it
        assertThat(model.happensBefore(2, 15, 3, 45)).isTrue();  // t2 joined, then t3 started
        assertThat(model.happensBefore(3, 45, 2, 15)).isFalse();
        assertThat(model.happensBefore(2, 15, 1, 35)).isTrue();  // after the join
    }

    @Test
    void aPendingRequestAtTheEndIsBlockedUntilTheEnd() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("M");
        tr.begin(1, 1, "a", 0).begin(2, 2, "b", 0);
        tr.enter(10, 1, m);
        tr.ev(20, 2, EventKind.MONITOR_REQUEST, m);
        TraceModel model = tr.endAt(90).model();

        StateInterval s = model.stateAtEnd(2).orElseThrow();
        assertThat(s.state()).isEqualTo(ThreadState.BLOCKED);
        assertThat(s.open()).isTrue();
        assertThat(s.end()).isEqualTo(90);
        assertThat(model.holdsAtEnd()).singleElement().extracting(Hold::threadId).isEqualTo(1L);
        assertThat(model.waits(m)).singleElement().extracting(LockWait::outcome)
                .isEqualTo(LockWait.Outcome.PENDING);
    }
    /**
     * LEAF_HOLDS (holds the agent counted instead of recording them) are acquisitions without intervals: the
     * model keeps them per resource in time order, apart from the recorded holds, and they change no thread's
     * state, no hold, no wait and no lock order.
     */
    @Test
    void countedHoldsAreKeptApartFromTheRecordedOnes() {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        long m = tr.monitor("Table");
        tr.begin(1, 1, "main", 0).begin(1, 2, "worker", 0);
        tr.lock(10, 1, l, 0).unlock(12, 1, l, 0); // the first hold of the context is recorded in full
        tr.ev(20, 1, EventKind.LEAF_HOLDS, l, 0, 7).ev(30, 2, EventKind.LEAF_HOLDS, l, 0, 5)
                .ev(40, 1, EventKind.LEAF_HOLDS, l, 0, 3).ev(45, 2, EventKind.LEAF_HOLDS, m, 0, 2);
        tr.enter(50, 2, m).exit(52, 2, m);
        tr.ev(60, 1, EventKind.LEAF_HOLDS, 0, 0, 4); // names no object: not a hold of anything
        TraceModel model = tr.endAt(100).model();

        assertThat(model.countedHolds(l)).extracting(CountedHolds::threadId, CountedHolds::time,
                        CountedHolds::count, c -> c.site().line(), CountedHolds::reentrant)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 20L, 7L, 20, false),
                        org.assertj.core.groups.Tuple.tuple(2L, 30L, 5L, 30, false),
                        org.assertj.core.groups.Tuple.tuple(1L, 40L, 3L, 40, false));
        assertThat(model.countedHolds(m)).extracting(CountedHolds::count).containsExactly(2L);
        assertThat(model.countedHoldsBetween(l, 20, 40)).as("strictly between").isEqualTo(5);
        assertThat(model.countedHoldsBetween(l, 19, 41)).isEqualTo(15);
        assertThat(model.countedHoldsBetween(l, 40, 100)).isZero();
        assertThat(model.countedHoldCount()).isEqualTo(17);
        assertThat(model.holds(l)).hasSize(1);
        assertThat(model.waits(l)).isEmpty();
        assertThat(model.lockOrderEdges()).isEmpty();
        assertThat(model.resource(l).kind()).isEqualTo(ResourceKind.LOCK);
        assertThat(model.resource(m).kind()).isEqualTo(ResourceKind.MONITOR);
        assertThat(model.stateAt(1, 40)).get().extracting(StateInterval::state).isEqualTo(ThreadState.RUNNING);
        assertThat(model.summary().warnings()).anyMatch(w -> w.contains("ignored 1 events that named no object"));
    }
    /** Holds counted while the thread held the resource already are reentrant: no acquisitions of it. */
    @Test
    void holdsCountedInsideTheThreadsOwnHoldAreReentrant() {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(1, 1, "main", 0);
        tr.lock(10, 1, l, 0).ev(20, 1, EventKind.LEAF_HOLDS, l, 0, 1_000).unlock(30, 1, l, 0);
        tr.ev(40, 1, EventKind.LEAF_HOLDS, l, 0, 6);
        TraceModel model = tr.endAt(100).model();

        assertThat(model.countedHolds(l)).extracting(CountedHolds::count, CountedHolds::reentrant)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1_000L, true),
                        org.assertj.core.groups.Tuple.tuple(6L, false));
        assertThat(model.countedHoldsBetween(l, 0, 100)).isEqualTo(6);
        assertThat(model.countedHoldCount()).as("every hold the agent counted").isEqualTo(1_006);
    }
}
