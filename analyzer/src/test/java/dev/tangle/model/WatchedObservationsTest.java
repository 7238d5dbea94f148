package dev.tangle.model;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tangle.model.SyntheticTrace.DAEMON;
import static dev.tangle.model.SyntheticTrace.WATCHED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the model takes the stall watcher's observations (WATCHED events): only what the thread's own events do
 * not say, for as long as nothing the thread records says otherwise.
 */
class WatchedObservationsTest {
    private static SyntheticTrace observe(SyntheticTrace tr, long time, long thread, String state) {
        return tr.ev(time, thread, EventKind.THREAD_STATE, 0, WATCHED, 0, state);
    }

    @Test
    void monitorsNoHookSawMakeADeadlockWithTheJvmsStacks() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("TableA");
        long b = tr.monitor("TableB");
        int leftStack = tr.stack("java.util.Hashtable.size", "dev.example.App.left");
        tr.begin(1, 2, "left", DAEMON).begin(1, 3, "right", DAEMON);
        observe(tr, 500, 2, "BLOCKED").ev(500, 2, EventKind.MONITOR_ACQUIRED, a, WATCHED, 1)
                .ev(500, 2, EventKind.MONITOR_REQUEST, b, WATCHED, 3, null, leftStack);
        observe(tr, 500, 3, "BLOCKED").ev(500, 3, EventKind.MONITOR_ACQUIRED, b, WATCHED, 1)
                .ev(500, 3, EventKind.MONITOR_REQUEST, a, WATCHED, 2);
        // the final snapshot sees the same: the holds and waits go on from the first observation
        observe(tr, 900, 2, "BLOCKED").ev(900, 2, EventKind.MONITOR_ACQUIRED, a, WATCHED, 1)
                .ev(900, 2, EventKind.MONITOR_REQUEST, b, WATCHED, 3, null, leftStack);
        observe(tr, 900, 3, "BLOCKED").ev(900, 3, EventKind.MONITOR_ACQUIRED, b, WATCHED, 1)
                .ev(900, 3, EventKind.MONITOR_REQUEST, a, WATCHED, 2);
        TraceModel model = tr.endAt(1000).model();
        assertThat(model.holds(a)).singleElement().satisfies(h -> {
            assertThat(h.start()).isEqualTo(500);
            assertThat(h.open()).isTrue();
        });
        assertThat(model.waits(b)).singleElement().satisfies(w -> assertThat(w.start()).isEqualTo(500));
        List<Finding> findings = Detectors.analyze(model);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.time()).isEqualTo(500);
            assertThat(f.threads()).containsExactlyInAnyOrder("left", "right");
            assertThat(f.evidence()).anySatisfy(e -> {
                assertThat(e.what()).startsWith("\"left\" waits for");
                assertThat(e.stack()).first().asString().startsWith("java.util.Hashtable.size");
            });
        });
    }

    @Test
    void anObservedWaitTheHooksSawAlreadyIsNotASecondWaitButGivesItsStack() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("Account");
        int real = tr.stack("dev.example.Logger.log", "dev.example.Account.toString", "dev.example.Logger.log");
        tr.begin(1, 1, "owner", 0).begin(1, 2, "waiter", 0);
        tr.ev(10, 1, EventKind.MONITOR_REQUEST, m).ev(11, 1, EventKind.MONITOR_ACQUIRED, m, 0, 1);
        tr.ev(20, 2, EventKind.MONITOR_REQUEST, m);
        observe(tr, 300, 1, "RUNNABLE").ev(300, 1, EventKind.MONITOR_ACQUIRED, m, WATCHED, 1);
        observe(tr, 300, 2, "BLOCKED").ev(300, 2, EventKind.MONITOR_REQUEST, m, WATCHED, 1, null, real);
        TraceModel model = tr.endAt(400).model();

        assertThat(model.holds(m)).singleElement().satisfies(h -> {
            assertThat(h.threadId()).isEqualTo(1);
            assertThat(h.start()).isEqualTo(11);
        });
        assertThat(model.waits(m)).singleElement().satisfies(w -> {
            assertThat(w.threadId()).isEqualTo(2);
            assertThat(w.start()).isEqualTo(20);
            assertThat(w.outcome()).isEqualTo(LockWait.Outcome.PENDING);
            assertThat(w.stack().frames()).hasSize(3);
            assertThat(w.stack().frames().get(1).toString()).startsWith("dev.example.Account.toString");
        });
    }

    @Test
    void anObservationEndsAtTheThreadsNextOwnEvent() {
        SyntheticTrace tr = new SyntheticTrace();
        long x = tr.monitor("X");
        long y = tr.monitor("Y");
        tr.begin(1, 2, "worker", 0).begin(1, 3, "other", 0);
        observe(tr, 300, 3, "RUNNABLE").ev(300, 3, EventKind.MONITOR_ACQUIRED, y, WATCHED, 1);
        observe(tr, 300, 2, "BLOCKED").ev(300, 2, EventKind.MONITOR_ACQUIRED, x, WATCHED, 1)
                .ev(300, 2, EventKind.MONITOR_REQUEST, y, WATCHED, 3);
        tr.ev(450, 3, EventKind.SLEEP_BEGIN, 0, 0, 10).ev(460, 3, EventKind.SLEEP_END, 0);
        tr.ev(500, 2, EventKind.SLEEP_BEGIN, 0, 0, 10).ev(510, 2, EventKind.SLEEP_END, 0);
        tr.end(600, 2).end(600, 3);
        TraceModel model = tr.endAt(1000).model();

        assertThat(model.holds(x)).singleElement().satisfies(h -> {
            assertThat(h.start()).isEqualTo(300);
            assertThat(h.end()).isEqualTo(500);
            assertThat(h.open()).isFalse();
        });
        assertThat(model.waits(y)).singleElement().satisfies(w -> {
            assertThat(w.start()).isEqualTo(300);
            assertThat(w.end()).isEqualTo(500);
            assertThat(w.outcome()).isEqualTo(LockWait.Outcome.ACQUIRED);
        });
        assertThat(model.holdsAt(550)).isEmpty();
        assertThat(model.stateAt(2, 550)).get().extracting(StateInterval::state).isEqualTo(ThreadState.RUNNING);
        assertThat(Detectors.analyze(model)).isEmpty();
    }

    @Test
    void aNewObservationReplacesTheOldOne() {
        SyntheticTrace tr = new SyntheticTrace();
        long x = tr.monitor("X");
        tr.begin(1, 2, "worker", 0);
        observe(tr, 300, 2, "BLOCKED").ev(300, 2, EventKind.MONITOR_REQUEST, x, WATCHED, 0);
        observe(tr, 500, 2, "RUNNABLE");
        TraceModel model = tr.endAt(1000).model();

        assertThat(model.waits(x)).singleElement().satisfies(w -> assertThat(w.end()).isEqualTo(500));
        assertThat(model.stateAtEnd(2)).get().extracting(StateInterval::state).isEqualTo(ThreadState.RUNNING);
    }

    @Test
    void classInitialisationsWaitedForInACycleAreADeadlockOnClassInitResources() {
        SyntheticTrace tr = new SyntheticTrace();
        long base = tr.classInit("Base");
        long derived = tr.classInit("Derived");
        tr.begin(1, 2, "first", DAEMON).begin(1, 3, "second", DAEMON);
        tr.ev(10, 2, EventKind.CLASS_INIT_BEGIN, base);
        observe(tr, 500, 2, "RUNNABLE").ev(500, 2, EventKind.CLASS_INIT_WAIT, derived, WATCHED, 3);
        observe(tr, 500, 3, "RUNNABLE").ev(500, 3, EventKind.CLASS_INIT_BEGIN, derived, WATCHED, 0)
                .ev(500, 3, EventKind.CLASS_INIT_WAIT, base, WATCHED, 2);
        TraceModel model = tr.endAt(1000).model();

        assertThat(model.resource(base).kind()).isEqualTo(ResourceKind.CLASS_INIT);
        assertThat(model.stateAtEnd(2)).get().satisfies(s -> {
            assertThat(s.state()).isEqualTo(ThreadState.BLOCKED);
            assertThat(s.reason()).isEqualTo(BlockReason.CLASS_INIT);
            assertThat(s.resource()).isEqualTo(derived);
        });
        assertThat(Detectors.analyze(model)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("first", "second");
            assertThat(f.resources()).extracting(r -> r.className())
                    .containsExactlyInAnyOrder("dev.example.Base", "dev.example.Derived");
            assertThat(f.resources()).allSatisfy(r -> assertThat(r.kind()).isEqualTo("CLASS_INIT"));
            assertThat(f.summary()).startsWith("Class-initialisation deadlock: ");
        });
    }

    @Test
    void aClassInitialisationThatEndsIsNoFinding() {
        SyntheticTrace tr = new SyntheticTrace();
        long slow = tr.classInit("Slow");
        tr.begin(1, 2, "initialiser", 0).begin(1, 3, "user", 0);
        tr.ev(10, 2, EventKind.CLASS_INIT_BEGIN, slow);
        observe(tr, 500, 3, "RUNNABLE").ev(500, 3, EventKind.CLASS_INIT_WAIT, slow, WATCHED, 2);
        tr.ev(900, 2, EventKind.CLASS_INIT_END, slow).end(910, 2).end(950, 3);
        TraceModel model = tr.endAt(1000).model();

        assertThat(model.stateAt(3, 600)).get().extracting(StateInterval::reason).isEqualTo(BlockReason.CLASS_INIT);
        assertThat(model.holds(slow)).singleElement().satisfies(h -> assertThat(h.end()).isEqualTo(900));
        assertThat(Detectors.analyze(model)).isEmpty();
    }
}
