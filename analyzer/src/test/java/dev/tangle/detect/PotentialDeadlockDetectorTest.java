package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tangle.model.SyntheticTrace.READ;
import static dev.tangle.model.SyntheticTrace.TIMED;
import static dev.tangle.model.SyntheticTrace.TRY;
import static org.assertj.core.api.Assertions.assertThat;

class PotentialDeadlockDetectorTest {
    private final PotentialDeadlockDetector detector = new PotentialDeadlockDetector();

    /** Two threads, both started before either locks: t1 takes a then b, later t2 takes b then a. */
    static SyntheticTrace inversion(SyntheticTrace tr, long a, long b) {
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "t1", 0).start(4, 1, 3, "t2", 0);
        tr.enter(10, 2, a).enter(12, 2, b).exit(14, 2, b).exit(15, 2, a).end(16, 2);
        tr.enter(20, 3, b).enter(22, 3, a).exit(24, 3, a).exit(25, 3, b).end(26, 3);
        return tr;
    }

    @Test
    void anInversionByTwoConcurrentThreadsIsReportedWithBothStacks() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        List<Finding> findings = Findings.of(detector, inversion(tr, a, b).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.POTENTIAL_DEADLOCK);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.threads()).containsExactly("t1", "t2");
            assertThat(f.resources()).extracting(ResourceRef::id).containsExactly(a, b);
            assertThat(f.summary()).contains("\"t1\" takes A (#" + a + ") then B (#" + b + ")",
                    "\"t2\" takes B (#" + b + ") then A (#" + a + ")");
            assertThat(f.evidence()).extracting(e -> e.stack().get(0)).containsExactly(
                    "dev.example.App.run(App.java:10)", "dev.example.App.run(App.java:12)",
                    "dev.example.App.run(App.java:20)", "dev.example.App.run(App.java:22)");
        });
    }

    /**
     * Synchronized methods of JDK classes are acquired with no request (flag NO_REQUEST): the same lock order,
     * the same inversion, the acquisition's site and stack as evidence.
     */
    @Test
    void acquisitionsWithoutRequestMakeTheSameInversion() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        int noRequest = dev.tangle.trace.EventFlags.NO_REQUEST;
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "t1", 0).start(4, 1, 3, "t2", 0);
        tr.ev(10, 2, EventKind.MONITOR_ACQUIRED, a, noRequest, 1).ev(12, 2, EventKind.MONITOR_ACQUIRED, b, noRequest,
                1).exit(14, 2, b).exit(15, 2, a).end(16, 2);
        tr.ev(20, 3, EventKind.MONITOR_ACQUIRED, b, noRequest, 1).ev(22, 3, EventKind.MONITOR_ACQUIRED, a, noRequest,
                1).exit(24, 3, a).exit(25, 3, b).end(26, 3);
        assertThat(Findings.of(detector, tr.model())).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.POTENTIAL_DEADLOCK);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.threads()).containsExactly("t1", "t2");
            assertThat(f.resources()).extracting(ResourceRef::id).containsExactly(a, b);
        });
    }

    /**
     * A thread that lost events may have released a lock the model still thinks it holds: its "order" is
     * invented (seen on a real ordered-locking program under load). No inversion is reported from it.
     */
    @Test
    void anOrderMadeAfterLostEventsIsNotTrusted() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "t1", 0).start(4, 1, 3, "t2", 0);
        tr.enter(10, 2, a).enter(12, 2, b).exit(14, 2, b).exit(15, 2, a).end(16, 2);
        // t2 takes B, its release is lost, then it takes A: B -> A only in the model
        tr.enter(20, 3, b).ev(21, 3, EventKind.LOST_EVENTS, 0, 0, 1).enter(22, 3, a).exit(24, 3, a).end(26, 3);
        assertThat(Findings.of(detector, tr.model())).isEmpty();
    }

    /** The one finding, a NOTE ordered by {@code orderedBy}, naming exactly {@code threads}. */
    private void assertNote(SyntheticTrace tr, String orderedBy, String... threads) {
        assertThat(Findings.of(detector, tr.model())).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.POTENTIAL_DEADLOCK);
            assertThat(f.severity()).isEqualTo(Severity.NOTE);
            assertThat(f.details()).containsEntry("orderedBy", orderedBy);
            assertThat(f.threads()).containsExactly(threads);
            assertThat(f.summary()).startsWith("Lock-order inversion that this run kept apart: ")
                    .contains("where these paths run at the same time, each can take its first lock and wait for"
                            + " ever for the other's");
            assertThat(f.evidence()).hasSize(4);
        });
    }

    /** One thread never deadlocks with itself, but two threads running its two paths at once can. */
    @Test
    void oneThreadTakingBothOrdersIsANoteOrderedBySameThread() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0);
        tr.enter(10, 1, a).enter(12, 1, b).exit(14, 1, b).exit(15, 1, a);
        tr.enter(20, 1, b).enter(22, 1, a).exit(24, 1, a).exit(25, 1, b);
        assertNote(tr, "sameThread", "main");
        assertThat(Findings.of(detector, tr.model()).get(0).summary())
                .contains("\"main\" took both orders itself, one after the other");
    }

    @Test
    void aGateLockAlsoRulesOutAnOrderedInversion() {
        SyntheticTrace tr = new SyntheticTrace();
        long g = tr.monitor("Gate");
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0);
        tr.enter(8, 1, g).enter(10, 1, a).enter(12, 1, b).exit(14, 1, b).exit(15, 1, a).exit(16, 1, g);
        tr.enter(18, 1, g).enter(20, 1, b).enter(22, 1, a).exit(24, 1, a).exit(25, 1, b).exit(26, 1, g);
        tr.start(30, 1, 2, "t2", 0);
        tr.enter(38, 2, g).enter(40, 2, b).enter(42, 2, a).exit(44, 2, a).exit(45, 2, b).exit(46, 2, g).end(47, 2);
        assertThat(Findings.of(detector, tr.model())).isEmpty();
    }

    @Test
    void sharedReadsByOneThreadAreNoNote() {
        SyntheticTrace reads = new SyntheticTrace();
        long r1 = reads.rwLock("R1");
        long r2 = reads.rwLock("R2");
        reads.begin(1, 1, "main", 0);
        reads.lock(10, 1, r1, READ).lock(12, 1, r2, READ).unlock(14, 1, r2, READ).unlock(15, 1, r1, READ);
        reads.lock(20, 1, r2, READ).lock(22, 1, r1, READ).unlock(24, 1, r1, READ).unlock(25, 1, r2, READ);
        assertThat(Findings.of(detector, reads.model())).isEmpty();
    }

    /** An ordered order and a concurrent one on the same locks: the concurrent pair wins (one WARNING). */
    @Test
    void anInversionThatCanOverlapIsAWarningEvenWhenAnotherPairWasOrdered() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0);
        tr.enter(10, 1, a).enter(12, 1, b).exit(14, 1, b).exit(15, 1, a);
        tr.enter(16, 1, b).enter(17, 1, a).exit(18, 1, a).exit(19, 1, b);
        tr.start(20, 1, 2, "t1", 0).start(22, 1, 3, "t2", 0);
        tr.enter(30, 2, a).enter(32, 2, b).exit(34, 2, b).exit(35, 2, a).end(36, 2);
        tr.enter(40, 3, b).enter(42, 3, a).exit(44, 3, a).exit(45, 3, b).end(46, 3);
        assertThat(Findings.of(detector, tr.model())).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.threads()).containsExactly("t1", "t2");
            assertThat(f.details()).doesNotContainKey("orderedBy");
        });
    }

    @Test
    void aCommonGateLockSuppressesTheInversion() {
        SyntheticTrace tr = new SyntheticTrace();
        long g = tr.monitor("Gate");
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "t1", 0).start(4, 1, 3, "t2", 0);
        tr.enter(8, 2, g).enter(10, 2, a).enter(12, 2, b).exit(14, 2, b).exit(15, 2, a).exit(16, 2, g);
        tr.enter(18, 3, g).enter(20, 3, b).enter(22, 3, a).exit(24, 3, a).exit(25, 3, b).exit(26, 3, g);
        assertThat(Findings.of(detector, tr.model())).isEmpty();
    }

    @Test
    void aLockTakenBetweenTheTwoIsNoGate() {
        SyntheticTrace tr = new SyntheticTrace();
        long g = tr.monitor("G");
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "t1", 0).start(4, 1, 3, "t2", 0);
        tr.enter(10, 2, a).enter(11, 2, g).enter(12, 2, b).exit(14, 2, b).exit(15, 2, g).exit(16, 2, a);
        tr.enter(20, 3, b).enter(21, 3, g).enter(22, 3, a).exit(24, 3, a).exit(25, 3, g).exit(26, 3, b);
        assertThat(Findings.of(detector, tr.model())).isNotEmpty();
    }

    @Test
    void anEdgeMadeBeforeTheOtherThreadWasStartedIsANoteOrderedByStart() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0);
        tr.enter(10, 1, a).enter(12, 1, b).exit(14, 1, b).exit(15, 1, a);
        tr.start(20, 1, 2, "t2", 0);
        tr.enter(30, 2, b).enter(32, 2, a).exit(34, 2, a).exit(35, 2, b).end(36, 2);
        assertNote(tr, "start", "main", "t2");
        assertThat(Findings.of(detector, tr.model()).get(0).summary())
                .contains("\"t2\" was started only after \"main\" had taken its locks");
    }

    @Test
    void anEdgeMadeAfterTheOtherThreadWasJoinedIsANoteOrderedByJoin() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "t1", 0);
        tr.enter(10, 2, a).enter(12, 2, b).exit(14, 2, b).exit(15, 2, a).end(16, 2);
        tr.ev(17, 1, EventKind.JOIN_BEGIN, 2).ev(18, 1, EventKind.JOIN_END, 2);
        tr.start(20, 1, 3, "t2", 0);
        tr.enter(30, 3, b).enter(32, 3, a).exit(34, 3, a).exit(35, 3, b).end(36, 3);
        assertNote(tr, "join", "t1", "t2");
        assertThat(Findings.of(detector, tr.model()).get(0).summary())
                .contains("\"t1\" had ended and was joined before \"t2\" took its locks");
    }

    @Test
    void tryLocksAndSharedReadsCannotDeadlock() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.lock("A");
        long b = tr.lock("B");
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "t1", 0).start(4, 1, 3, "t2", 0);
        tr.lock(10, 2, a, 0).ev(12, 2, EventKind.LOCK_ACQUIRED, b, TRY, 1).unlock(14, 2, b, 0)
                .unlock(15, 2, a, 0);
        tr.lock(20, 3, b, 0).ev(22, 3, EventKind.LOCK_REQUEST, a, TIMED | TRY, 100)
                .ev(23, 3, EventKind.LOCK_ACQUIRED, a, TRY, 1).unlock(24, 3, a, 0).unlock(25, 3, b, 0);
        assertThat(Findings.of(detector, tr.model())).isEmpty();

        SyntheticTrace reads = new SyntheticTrace();
        long r1 = reads.rwLock("R1");
        long r2 = reads.rwLock("R2");
        reads.begin(1, 1, "main", 0).start(2, 1, 2, "t1", 0).start(4, 1, 3, "t2", 0);
        reads.lock(10, 2, r1, READ).lock(12, 2, r2, READ).unlock(14, 2, r2, READ).unlock(15, 2, r1, READ);
        reads.lock(20, 3, r2, READ).lock(22, 3, r1, READ).unlock(24, 3, r1, READ).unlock(25, 3, r2, READ);
        assertThat(Findings.of(detector, reads.model())).isEmpty();
    }

    @Test
    void aCycleThatDeadlockedIsOnlyADeadlock() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        DeadlockDetectorTest.abba(tr, a, b);
        assertThat(Findings.of(detector, tr.model())).isEmpty();
        assertThat(Findings.all(tr.model())).extracting(Finding::type).containsExactly(FindingType.DEADLOCK);
    }
}
