package dev.tangle.agent;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import fixtures.DeepHolds;
import fixtures.LeafHolds;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaf-hold collapse ({@code leafHolds=collapse}, the default) on a real program in a child JVM, JDK 17 and 21+:
 * every hold is accounted for, either recorded in full or counted in a LEAF_HOLDS event; the first hold in each
 * context, nested holds and a hold another thread waited for are recorded in full; {@code leafHolds=record}
 * records every hold.
 */
class LeafHoldsIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void leafHoldsAreCountedAndEverythingTheDetectorsNeedIsRecorded(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.LeafHolds");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.reader.header().properties()).containsEntry("leafHolds", "collapse")
                .containsKey("blindSpot.leafHolds");

        // "leaf": the first hold in full, every hold accounted for, most of them counted
        List<TraceEvent> leaf = run.of("leaf");
        assertThat(run.sequence("leaf").subList(0, 4)).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock");
        long full = count(leaf, EventKind.LOCK_ACQUIRED);
        long counted = leaf.stream().filter(e -> e.kind() == EventKind.LEAF_HOLDS).mapToLong(TraceEvent::value).sum();
        assertThat(full + counted).isEqualTo(LeafHolds.HOLDS);
        assertThat(count(leaf, EventKind.LOCK_REQUEST)).isEqualTo(full);
        assertThat(count(leaf, EventKind.LOCK_RELEASE)).isEqualTo(full);
        assertThat(counted).isGreaterThan(LeafHolds.HOLDS / 2);
        long lockId = leaf.stream().filter(e -> e.kind() == EventKind.LOCK_ACQUIRED).findFirst().orElseThrow()
                .objectId();
        assertThat(leaf.stream().filter(e -> e.kind() == EventKind.LEAF_HOLDS).map(TraceEvent::objectId))
                .containsOnly(lockId);

        // "nested": the first hold of each lock in full, with the lock-order edge outer -> inner; then both are
        // kept back and counted, nested as they are; every hold of both accounted for
        List<TraceEvent> nestedEvents = run.of("nested");
        assertThat(run.sequence("nested").subList(1, 7)).containsExactly(
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "LOCK_RELEASE ReentrantLock", "LOCK_RELEASE ReentrantLock");
        long outerId = first(nestedEvents, EventKind.LOCK_ACQUIRED).objectId();
        long innerId = nestedEvents.stream().filter(e -> e.kind() == EventKind.LOCK_ACQUIRED
                && e.objectId() != outerId).findFirst().orElseThrow().objectId();
        for (long id : new long[] {outerId, innerId}) {
            assertThat(accounted(nestedEvents, id, EventKind.LOCK_ACQUIRED)).isEqualTo(LeafHolds.HOLDS);
        }
        assertThat(counted(nestedEvents, innerId)).isGreaterThan(LeafHolds.HOLDS / 2);
        assertThat(counted(nestedEvents, outerId)).isGreaterThan(LeafHolds.HOLDS / 2);

        // "rotating": a dozen locks in turn are each counted in a row of their own per clock tick, not a row every
        // few holds (as when a thread had 8 rows for the (lock, site) pairs of a tick)
        List<TraceEvent> rotating = run.of("rotating");
        long rows = count(rotating, EventKind.LEAF_HOLDS);
        assertThat(count(rotating, EventKind.LOCK_ACQUIRED) + rotating.stream()
                .filter(e -> e.kind() == EventKind.LEAF_HOLDS).mapToLong(TraceEvent::value).sum())
                .isEqualTo(LeafHolds.ROTATED_HOLDS);
        assertThat(rotating.stream().filter(e -> e.kind() == EventKind.LEAF_HOLDS).map(TraceEvent::objectId)
                .distinct().count()).isEqualTo(LeafHolds.ROTATED);
        // at most one row per lock in each tick of the 1 ms clock the thread ran (a 8-row table wrote ~17,000)
        long ticks = (rotating.get(rotating.size() - 1).time() - rotating.get(0).time()) / 1_000_000 + 2;
        assertThat(rows).as("LEAF_HOLDS rows for %d holds in %d ticks", LeafHolds.ROTATED_HOLDS, ticks)
                .isLessThanOrEqualTo(LeafHolds.ROTATED * ticks);

        // "holder" and "waiter": the waiter records its request before it blocks; the hold it waited for is
        // recorded in full, so the wait has a holder
        assertThat(run.sequence("holder")).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock",
                "THREAD_END");
        assertThat(run.sequence("waiter")).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock",
                "THREAD_END");
        // acquisitions and releases are ordered on their lock (a request is not: trace-format.md, "The clock")
        TraceEvent acquired = first(run.of("waiter"), EventKind.LOCK_ACQUIRED);
        List<TraceEvent> holderAcquired = run.of("holder").stream()
                .filter(e -> e.kind() == EventKind.LOCK_ACQUIRED).toList();
        TraceEvent released = run.of("holder").stream().filter(e -> e.kind() == EventKind.LOCK_RELEASE)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(holderAcquired.get(1).time()).isLessThan(released.time());
        assertThat(acquired.time()).isGreaterThan(released.time());

        assertMonitors(run);
    }

    /** The monitor half of the fixture ({@code LeafHolds.monitors}). */
    private static void assertMonitors(AgentRun run) {
        // "monitorLeaf": the first hold in full, then counted; every hold accounted for
        List<TraceEvent> leaf = run.of("monitorLeaf");
        assertThat(run.sequence("monitorLeaf").subList(0, 4)).containsExactly("THREAD_BEGIN",
                "MONITOR_REQUEST Object", "MONITOR_ACQUIRED Object", "MONITOR_RELEASE Object");
        long monitorId = first(leaf, EventKind.MONITOR_ACQUIRED).objectId();
        assertThat(accounted(leaf, monitorId, EventKind.MONITOR_ACQUIRED)).isEqualTo(LeafHolds.HOLDS);
        assertThat(counted(leaf, monitorId)).isGreaterThan(LeafHolds.HOLDS / 2);
        assertThat(count(leaf, EventKind.MONITOR_REQUEST)).isEqualTo(count(leaf, EventKind.MONITOR_ACQUIRED));
        assertThat(count(leaf, EventKind.MONITOR_RELEASE)).isEqualTo(count(leaf, EventKind.MONITOR_ACQUIRED));

        // "reentrant": the first round in full, reentries with their hold counts; later rounds counted once per
        // outer hold (a reentry of a kept-back hold is part of it)
        List<TraceEvent> reentrant = run.of("reentrant");
        assertThat(run.sequence("reentrant").subList(1, 13)).containsExactly(
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "MONITOR_REQUEST Object", "MONITOR_ACQUIRED Object",
                "MONITOR_REQUEST Object", "MONITOR_ACQUIRED Object",
                "MONITOR_RELEASE Object", "MONITOR_RELEASE Object",
                "LOCK_RELEASE ReentrantLock", "LOCK_RELEASE ReentrantLock");
        assertThat(reentrant.stream().filter(e -> e.kind() == EventKind.LOCK_ACQUIRED).limit(2)
                .map(TraceEvent::value)).containsExactly(1L, 2L);
        for (EventKind kind : new EventKind[] {EventKind.LOCK_ACQUIRED, EventKind.MONITOR_ACQUIRED}) {
            long id = first(reentrant, kind).objectId();
            assertThat(accounted(reentrant, id, kind)).isEqualTo(LeafHolds.HOLDS);
            assertThat(counted(reentrant, id)).isGreaterThan(LeafHolds.HOLDS / 2);
        }

        // "monitorHolder" and "monitorWaiter": the waiter's request in a known context is deferred while it is
        // blocked, then written once the monitor is granted, at the time it was made; the hold it waited for
        // lasted several ticks, so it is written in full
        List<String> once = List.of("THREAD_BEGIN",
                "MONITOR_REQUEST Object", "MONITOR_ACQUIRED Object", "MONITOR_RELEASE Object",
                "MONITOR_REQUEST Object", "MONITOR_ACQUIRED Object", "MONITOR_RELEASE Object", "THREAD_END");
        assertThat(run.sequence("monitorHolder")).isEqualTo(once);
        assertThat(run.sequence("monitorWaiter")).isEqualTo(once);
        List<TraceEvent> holder = run.of("monitorHolder");
        List<TraceEvent> waiter = run.of("monitorWaiter");
        // (a request is not ordered on its lock: it may share the clock tick of the holder's acquisition)
        TraceEvent released = holder.get(6);
        TraceEvent requested = waiter.get(4);
        TraceEvent granted = waiter.get(5);
        assertThat(requested.time()).isLessThan(released.time());
        assertThat(granted.time()).isGreaterThan(released.time());
        assertThat(released.time() - requested.time()).isGreaterThan(1_000_000L); // the holder kept it ~5 ms more
    }

    /** Holds of object {@code id} recorded in full (a first acquisition) plus those counted in LEAF_HOLDS. */
    private static long accounted(List<TraceEvent> events, long id, EventKind acquired) {
        return events.stream().filter(e -> e.kind() == acquired && e.objectId() == id && e.value() == 1).count()
                + counted(events, id);
    }

    private static long counted(List<TraceEvent> events, long id) {
        return events.stream().filter(e -> e.kind() == EventKind.LEAF_HOLDS && e.objectId() == id)
                .mapToLong(TraceEvent::value).sum();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void leafHoldsRecordRecordsEveryHold(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "leafHolds=record", "fixtures.LeafHolds", List.of());
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.reader.header().properties()).containsEntry("leafHolds", "record")
                .doesNotContainKey("blindSpot.leafHolds");
        assertThat(run.events).noneMatch(e -> e.kind() == EventKind.LEAF_HOLDS);
        assertThat(count(run.of("leaf"), EventKind.LOCK_ACQUIRED)).isEqualTo(LeafHolds.HOLDS);
    }

    private static long count(List<TraceEvent> events, EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }

    private static TraceEvent first(List<TraceEvent> events, EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).findFirst().orElseThrow();
    }

    /**
     * Eighty holds nested at once, more than the recorder's 32 pinned entries: every release names the object of
     * the innermost open hold, and each object is held exactly twice (recorded or counted). An object used both
     * as a monitor and as a lock is two holds, each released as what it is.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void holdsNestedDeeperThanThePinnedEntriesAreReleasedInOrder(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.DeepHolds");
        assertThat(run.exitCode).as(run.stderr).isZero();

        Deque<Long> open = new ArrayDeque<>();
        Map<Long, Long> holds = new HashMap<>();
        for (TraceEvent e : run.of("deep")) {
            switch (e.kind()) {
                case MONITOR_ACQUIRED, LOCK_ACQUIRED -> open.push(e.objectId());
                case MONITOR_RELEASE, LOCK_RELEASE -> {
                    assertThat(open).as("released without an open hold: %s", e).isNotEmpty();
                    assertThat(open.pop()).as("the innermost open hold is the one released: %s", e)
                            .isEqualTo(e.objectId());
                    holds.merge(e.objectId(), 1L, Long::sum);
                }
                case LEAF_HOLDS -> holds.merge(e.objectId(), e.value(), Long::sum);
                default -> { }
            }
        }
        assertThat(open).isEmpty();
        assertThat(holds).hasSize(2 * DeepHolds.DEPTH);
        assertThat(holds.values()).containsOnly(2L);

        assertThat(run.sequence("both")).containsExactly("THREAD_BEGIN",
                "MONITOR_REQUEST ReentrantLock", "MONITOR_ACQUIRED ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock",
                "MONITOR_RELEASE ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "MONITOR_REQUEST ReentrantLock", "MONITOR_ACQUIRED ReentrantLock", "MONITOR_RELEASE ReentrantLock",
                "LOCK_RELEASE ReentrantLock", "THREAD_END");
        assertThat(run.of("both").stream().filter(e -> e.kind() == EventKind.MONITOR_ACQUIRED
                || e.kind() == EventKind.LOCK_ACQUIRED).map(TraceEvent::value)).containsOnly(1L);
    }
}
