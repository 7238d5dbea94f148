package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.tangle.model.SyntheticTrace.DAEMON;
import static dev.tangle.model.SyntheticTrace.INTERRUPTED;
import static dev.tangle.model.SyntheticTrace.READ;
import static dev.tangle.model.SyntheticTrace.TIMED;
import static dev.tangle.model.SyntheticTrace.TIMED_OUT;
import static dev.tangle.model.SyntheticTrace.TRY;
import static dev.tangle.model.SyntheticTrace.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

class DeadlockDetectorTest {
    private final DeadlockDetector detector = new DeadlockDetector();

    /** main starts two daemon workers; "ab" holds a and waits for b, "ba" the reverse. */
    static SyntheticTrace abba(SyntheticTrace tr, long a, long b) {
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "ab", DAEMON).start(4, 1, 3, "ba", DAEMON);
        tr.enter(10, 2, a).enter(12, 3, b);
        tr.ev(20, 2, EventKind.MONITOR_REQUEST, b).ev(22, 3, EventKind.MONITOR_REQUEST, a);
        tr.ev(30, 1, EventKind.JOIN_BEGIN, 2, TIMED, 1000).ev(60, 1, EventKind.JOIN_END, 2, TIMED_OUT, 0);
        return tr.end(70, 1).endAt(80);
    }

    @Test
    void abbaMonitorsAreOneDeadlockWithTheFourConditions() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        TraceModel model = abba(tr, a, b).model();

        List<Finding> findings = Findings.of(detector, model);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.threads()).containsExactly("ab", "ba");
            assertThat(f.resources()).extracting(ResourceRef::id).containsExactly(b, a);
            assertThat(f.time()).isEqualTo(22);
            assertThat(f.summary()).contains("\"ab\" and \"ba\"");
            assertThat(f.evidence()).extracting(Evidence::what).containsExactly(
                    "\"ab\" holds A@1000 (#" + a + "), acquired here", "\"ab\" waits for B@1001 (#" + b + ") here",
                    "\"ba\" holds B@1001 (#" + b + "), acquired here", "\"ba\" waits for A@1000 (#" + a + ") here");
            assertThat(f.evidence().get(0).stack()).containsExactly("dev.example.App.run(App.java:10)");
            assertThat(f.evidence().get(1).stack()).containsExactly("dev.example.App.run(App.java:20)");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> coffman = (Map<String, Map<String, Object>>) f.details().get("coffman");
            assertThat(coffman).containsOnlyKeys("mutualExclusion", "holdAndWait", "noPreemption", "circularWait");
            assertThat(coffman.values()).allSatisfy(c -> assertThat(c).containsEntry("holds", true));
            assertThat((String) coffman.get("circularWait").get("evidence"))
                    .contains("\"ab\" → B (#" + b + ") held by \"ba\"", "\"ba\" → A (#" + a + ") held by \"ab\"");
            assertThat(f.details()).containsEntry("formedAt", 22L);
        });
    }

    @Test
    void threeLocksRoundThreeThreads() {
        SyntheticTrace tr = new SyntheticTrace();
        long[] l = {tr.lock("L0"), tr.lock("L1"), tr.lock("L2")};
        tr.begin(1, 1, "main", 0);
        for (int i = 0; i < 3; i++) {
            tr.start(2 + 2 * i, 1, 10 + i, "t" + i, DAEMON);
            tr.lock(20 + i * 2, 10 + i, l[i], 0);
        }
        for (int i = 0; i < 3; i++) {
            tr.ev(30 + i, 10 + i, EventKind.LOCK_REQUEST, l[(i + 1) % 3]);
        }
        List<Finding> findings = Findings.of(detector, tr.endAt(50).model());

        assertThat(findings).singleElement().extracting(Finding::threads).asList()
                .containsExactly("t0", "t1", "t2");
    }

    @Test
    void aTimedTryLockCycleIsNotADeadlock() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.lock("A");
        long b = tr.lock("B");
        tr.begin(1, 1, "x", 0).begin(2, 2, "y", 0);
        tr.lock(10, 1, a, 0).lock(12, 2, b, 0);
        tr.ev(20, 1, EventKind.LOCK_REQUEST, b, TIMED | TRY, 1_000_000);
        tr.ev(22, 2, EventKind.LOCK_REQUEST, a);
        assertThat(Findings.of(detector, tr.endAt(30).model())).isEmpty();
    }

    @Test
    void aTimedTryLockThatExpiredBrokeTheCycle() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.lock("A");
        long b = tr.lock("B");
        tr.begin(1, 1, "x", 0).begin(2, 2, "y", 0);
        tr.lock(10, 1, a, 0).lock(12, 2, b, 0);
        tr.ev(20, 1, EventKind.LOCK_REQUEST, b, TIMED | TRY, 10);
        tr.ev(22, 2, EventKind.LOCK_REQUEST, a);
        tr.ev(30, 1, EventKind.LOCK_TRY_FAILED, b, TRY | TIMED_OUT, 0).unlock(31, 1, a, 0);
        tr.ev(32, 2, EventKind.LOCK_ACQUIRED, a, 0, 1);
        assertThat(Findings.of(detector, tr.endAt(40).model())).isEmpty();
    }

    @Test
    void aThreadInterruptedOutOfItsWaitBreaksNoPreemption() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.lock("A");
        long b = tr.lock("B");
        tr.begin(1, 1, "x", 0).begin(2, 2, "y", 0).begin(3, 3, "main", 0);
        tr.lock(10, 1, a, 0).lock(12, 2, b, 0);
        tr.ev(20, 1, EventKind.LOCK_REQUEST, b).ev(22, 2, EventKind.LOCK_REQUEST, a);
        tr.ev(25, 3, EventKind.INTERRUPT, 1);
        tr.ev(26, 1, EventKind.LOCK_TRY_FAILED, b, INTERRUPTED, 0).unlock(27, 1, a, 0);
        tr.ev(28, 2, EventKind.LOCK_ACQUIRED, a, 0, 1);
        assertThat(Findings.of(detector, tr.endAt(40).model())).isEmpty();
    }

    @Test
    void anInterruptIgnoredByMonitorEntryIsMentioned() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        abba(tr, a, b).ev(40, 1, EventKind.INTERRUPT, 2);
        Finding f = Findings.of(detector, tr.model()).get(0);
        assertThat(f.details().get("coffman").toString()).contains("\"ab\" was interrupted at 40 ns but stayed"
                + " blocked");
    }

    @Test
    void readersDoNotBlockEachOtherButAnUpgradeDeadlocks() {
        SyntheticTrace tr = new SyntheticTrace();
        long rw = tr.rwLock("RW");
        long m = tr.monitor("M");
        tr.begin(1, 1, "r1", 0).begin(2, 2, "r2", 0);
        // r1 reads rw then wants m; r2 holds m and wants to read rw: readers share, so r2 gets it... no cycle
        tr.lock(10, 1, rw, READ).enter(12, 2, m);
        tr.ev(20, 1, EventKind.MONITOR_REQUEST, m).ev(22, 2, EventKind.LOCK_REQUEST, rw, READ, 0);
        assertThat(Findings.of(detector, tr.endAt(30).model())).isEmpty();

        SyntheticTrace up = new SyntheticTrace();
        long rw2 = up.rwLock("RW");
        up.begin(1, 1, "upgrader", 0).lock(10, 1, rw2, READ).ev(20, 1, EventKind.LOCK_REQUEST, rw2, WRITE, 0);
        assertThat(Findings.of(detector, up.endAt(30).model())).singleElement().satisfies(f -> {
            assertThat(f.threads()).containsExactly("upgrader");
            assertThat(f.summary()).contains("write-lock a lock it holds for reading");
        });
    }

    @Test
    void reentrantRequestsAndAFreedLockAreNotDeadlocks() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        tr.begin(1, 1, "x", 0).enter(10, 1, a).ev(20, 1, EventKind.MONITOR_REQUEST, a);
        assertThat(Findings.of(detector, tr.endAt(30).model())).isEmpty();
    }
}
