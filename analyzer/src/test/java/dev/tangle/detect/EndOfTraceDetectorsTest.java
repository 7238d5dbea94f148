package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tangle.model.SyntheticTrace.DAEMON;
import static dev.tangle.model.SyntheticTrace.TIMED;
import static org.assertj.core.api.Assertions.assertThat;

/** THREAD_LEAK and COMMUNICATION_DEADLOCK: what was stuck at the end, each blocked-for-ever thread once. */
class EndOfTraceDetectorsTest {
    private static final int PREEXISTING = dev.tangle.trace.EventFlags.PREEXISTING;

    @Test
    void mainJoiningAWorkerThatAwaitsASignalNobodySendsIsACommunicationDeadlock() {
        SyntheticTrace tr = new SyntheticTrace();
        long lock = tr.lock("L");
        long cond = tr.condition(lock);
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "worker", 0);
        tr.lock(10, 2, lock, 0).ev(12, 2, EventKind.CONDITION_AWAIT_BEGIN, cond);
        tr.ev(20, 1, EventKind.JOIN_BEGIN, 2);
        List<Finding> findings = Findings.all(tr.incomplete().endAt(100).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
            assertThat(f.threads()).containsExactly("main", "worker");
            assertThat(f.resources()).extracting(ResourceRef::id).containsExactly(cond, lock);
            assertThat(f.evidence()).extracting(Evidence::what).containsExactly(
                    "\"main\" joins \"worker\", which never ends, here",
                    "\"worker\" awaits a signal on AbstractQueuedSynchronizer$ConditionObject@1001 (#" + cond
                            + ") of lock ReentrantLock@1000 (#" + lock + "), here");
            assertThat(f.time()).isEqualTo(20);
            assertThat(f.details().get("notes").toString()).contains("nothing ever signalled or notified"
                    + " AbstractQueuedSynchronizer$ConditionObject@1001 (#" + cond + ")");
        });
    }

    @Test
    void aSignalSentBeforeTheWaitIsShownAsALostWakeUp() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("Mailbox");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "reader", 0);
        tr.enter(5, 1, m).ev(6, 1, EventKind.NOTIFY, m).exit(7, 1, m);
        tr.enter(10, 2, m).ev(12, 2, EventKind.WAIT_BEGIN, m);
        tr.ev(20, 1, EventKind.JOIN_BEGIN, 2);
        Finding f = Findings.all(tr.incomplete().endAt(100).model()).get(0);

        assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
        assertThat(f.evidence()).extracting(Evidence::what, Evidence::thread).contains(org.assertj.core.groups
                .Tuple.tuple("the last notify() on it came before \"reader\" began to wait (a lost wake-up),"
                        + " here", "main"));
        assertThat(f.evidence()).anySatisfy(e -> assertThat(e.stack()).containsExactly(
                "dev.example.App.run(App.java:6)"));
    }

    @Test
    void aWorkerWaitingForEverWhileMainWentOnToExitIsALeakNotADeadlock() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("Queue");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "consumer", 0);
        tr.enter(10, 2, m).ev(12, 2, EventKind.WAIT_BEGIN, m);
        tr.enter(30, 1, m).exit(32, 1, m); // main goes on (and calls System.exit)
        List<Finding> findings = Findings.all(tr.endAt(100).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactly("consumer");
            assertThat(f.summary()).isEqualTo("Thread leak: \"consumer\" was still alive at the end, not daemon,"
                    + " keeping the JVM from exiting by itself.");
            assertThat(f.evidence().get(0).what()).isEqualTo("\"consumer\" was started here");
            assertThat(f.evidence().get(0).stack()).containsExactly("dev.example.App.run(App.java:2)");
            assertThat(f.evidence().get(1).what()).startsWith("\"consumer\" waits (Object.wait) for a notify on"
                    + " Queue@1000");
        });
    }

    @Test
    void daemonsAndTheJvmsOwnThreadsAliveAtTheEndAreFine() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("Queue");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "daemon-consumer", DAEMON);
        tr.enter(10, 2, m).ev(12, 2, EventKind.WAIT_BEGIN, m);
        tr.end(50, 1).begin(60, 9, "DestroyJavaVM", PREEXISTING);
        assertThat(Findings.all(tr.endAt(100).model())).isEmpty();
    }

    @Test
    void anExecutorNeverShutDownIsOneLeakForItsWorkers() {
        SyntheticTrace tr = new SyntheticTrace();
        long blocker = tr.monitor("ConditionObject");
        int creation = tr.stack("java.lang.Thread.start", "java.util.concurrent.ThreadPoolExecutor.addWorker",
                "java.util.concurrent.ThreadPoolExecutor.execute", "dev.example.App.main");
        tr.begin(1, 1, "main", PREEXISTING);
        for (int i = 0; i < 3; i++) {
            long t = 10 + i;
            tr.start(2 + 2 * i, 1, t, "pool-1-thread-" + (i + 1), 0, creation);
            tr.ev(20 + i, t, EventKind.PARK_BEGIN, blocker);
        }
        tr.end(50, 1);
        List<Finding> findings = Findings.all(tr.endAt(100).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactly("pool-1-thread-1", "pool-1-thread-2", "pool-1-thread-3");
            assertThat(f.summary()).endsWith("an executor's pool that was never shut down.");
            assertThat(f.evidence().get(0).stack()).contains(
                    "java.util.concurrent.ThreadPoolExecutor.addWorker(Unknown Source)");
        });
    }

    @Test
    void aLockLeftLockedByADeadThreadHangsItsWaiters() {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "forgetful", 0).start(4, 1, 3, "waiter", 0);
        tr.lock(10, 2, l, 0).end(12, 2);
        tr.ev(20, 3, EventKind.LOCK_REQUEST, l);
        tr.end(30, 1);
        List<Finding> findings = Findings.all(tr.endAt(100).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
            assertThat(f.threads()).containsExactly("waiter");
            assertThat(f.evidence().get(0).what()).contains("held by \"forgetful\" (ended without releasing it)");
        });
    }

    @Test
    void aTimedWaitAtTheEndIsNotStuck() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("M");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "poller", 0);
        tr.enter(10, 2, m).ev(12, 2, EventKind.WAIT_BEGIN, m, TIMED, 1000);
        tr.end(30, 1);
        List<Finding> findings = Findings.all(tr.endAt(100).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.details().get("threads").toString()).contains("stuck=false");
        });
    }

    @Test
    void threadsBlockedBehindADeadlockAreNotReportedTwice() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "ab", 0).start(4, 1, 3, "ba", 0);
        tr.enter(10, 2, a).enter(12, 3, b);
        tr.ev(20, 2, EventKind.MONITOR_REQUEST, b).ev(22, 3, EventKind.MONITOR_REQUEST, a);
        SyntheticTrace hung = new SyntheticTrace();
        long a2 = hung.monitor("A");
        long b2 = hung.monitor("B");
        hung.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "ab", 0).start(4, 1, 3, "ba", 0);
        hung.enter(10, 2, a2).enter(12, 3, b2);
        hung.ev(20, 2, EventKind.MONITOR_REQUEST, b2).ev(22, 3, EventKind.MONITOR_REQUEST, a2);
        hung.ev(30, 1, EventKind.JOIN_BEGIN, 2); // main waits for ever, because of the deadlock
        tr.end(30, 1);
        assertThat(Findings.all(tr.endAt(100).model())).extracting(Finding::type)
                .containsExactly(FindingType.DEADLOCK);
        assertThat(Findings.all(hung.incomplete().endAt(100).model())).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.details().get("notes")).isEqualTo(List.of("\"main\" is stuck too: it joins \"ab\""));
        });
    }
}
