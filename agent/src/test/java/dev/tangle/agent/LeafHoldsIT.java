package dev.tangle.agent;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import fixtures.LeafHolds;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

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

    static List<Jdks> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
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

        // "nested": the inner lock is taken inside the outer one, so neither is a leaf of its own kind: every
        // hold of both is recorded, and the lock-order edge outer -> inner with them
        List<String> nested = run.sequence("nested");
        assertThat(nested).doesNotContain("LEAF_HOLDS ReentrantLock");
        assertThat(nested.stream().filter(s -> s.equals("LOCK_ACQUIRED ReentrantLock")).count())
                .isEqualTo(2L * LeafHolds.HOLDS);
        assertThat(nested.subList(1, 9)).containsExactly(
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "LOCK_RELEASE ReentrantLock", "LOCK_RELEASE ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock");

        // "holder" and "waiter": the waiter records its request before it blocks; the hold it waited for is
        // recorded in full, so the wait has a holder
        assertThat(run.sequence("holder")).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock",
                "THREAD_END");
        assertThat(run.sequence("waiter")).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock",
                "THREAD_END");
        TraceEvent request = first(run.of("waiter"), EventKind.LOCK_REQUEST);
        TraceEvent acquired = first(run.of("waiter"), EventKind.LOCK_ACQUIRED);
        TraceEvent released = run.of("holder").stream().filter(e -> e.kind() == EventKind.LOCK_RELEASE)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(request.time()).isLessThanOrEqualTo(released.time());
        assertThat(acquired.time()).isGreaterThan(released.time());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
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
}
