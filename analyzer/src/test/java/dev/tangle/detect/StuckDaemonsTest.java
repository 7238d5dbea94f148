package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tangle.model.SyntheticTrace.DAEMON;
import static dev.tangle.model.SyntheticTrace.PREEXISTING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * THREAD_LEAK for daemons stuck for good: a daemon in an untimed wait that nothing alive can end, and the idle
 * daemons that look alike but are not stuck.
 */
class StuckDaemonsTest {
    private static final String LBQ = "java.util.concurrent.LinkedBlockingQueue";

    /** main starts a daemon "consumer" (2) and a "producer" (3) that sends twice, then ends ({@code uncaught}). */
    private static SyntheticTrace consumerOfProducer(String uncaught) {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue(LBQ, Integer.MAX_VALUE);
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "consumer", DAEMON).start(4, 1, 3, "producer", 0);
        SynchronizerDetectorsTest.send(tr, 10, 3, q);
        SynchronizerDetectorsTest.send(tr, 12, 3, q);
        tr.ev(14, 3, EventKind.THREAD_END, 0, 0, 0, uncaught);
        SynchronizerDetectorsTest.receive(tr, 20, 2, q);
        SynchronizerDetectorsTest.receive(tr, 22, 2, q);
        SynchronizerDetectorsTest.takeBegins(tr, 24, 2, q);
        tr.end(50, 1);
        return tr;
    }

    @Test
    void aDaemonConsumerWhoseOnlyProducerDiedIsAStuckDaemon() {
        List<Finding> findings = Findings.all(consumerOfProducer("java.lang.IllegalStateException").endAt(100)
                .model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.threads()).containsExactly("consumer", "producer");
            assertThat(f.summary()).startsWith("Stuck daemon: \"consumer\" waits in take() to receive from"
                    + " LinkedBlockingQueue@").contains("nothing alive can wake it: only \"producer\" ever sent to",
                    "\"producer\" died of java.lang.IllegalStateException");
            assertThat(f.details()).containsEntry("daemon", true);
            assertThat(f.time()).isEqualTo(24);
            assertThat(f.evidence()).extracting(Evidence::what).contains(
                    "\"producer\" last served it here, then died of java.lang.IllegalStateException");
        });
    }

    /** A producer that simply ended with the program: nothing says more work was due (a daemon worker idles). */
    @Test
    void aDaemonConsumerWhoseProducerEndedNormallyIsIdleNotStuck() {
        assertThat(Findings.all(consumerOfProducer(null).endAt(100).model())).isEmpty();
    }

    @Test
    void aDaemonConsumerThatALiveThreadStillFeedsIsIdle() {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue(LBQ, Integer.MAX_VALUE);
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "consumer", DAEMON).start(4, 1, 3, "ticker", DAEMON);
        tr.begin(5, 4, "died", 0).ev(6, 4, EventKind.THREAD_END, 0, 0, 0, "java.lang.Error");
        SynchronizerDetectorsTest.send(tr, 10, 3, q);
        SynchronizerDetectorsTest.receive(tr, 20, 2, q);
        SynchronizerDetectorsTest.takeBegins(tr, 24, 2, q);
        tr.ev(30, 3, EventKind.SLEEP_BEGIN, 0, 0, 1_000_000);
        tr.end(50, 1);
        assertThat(Findings.all(tr.endAt(100).model())).isEmpty();
    }

    @Test
    void aDaemonAwaitingALatchWhoseCountersAllEndedIsAStuckDaemon() {
        SyntheticTrace tr = new SyntheticTrace();
        long latch = tr.latch(2);
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "awaiter", DAEMON).start(4, 1, 3, "worker", 0);
        tr.ev(10, 2, EventKind.LATCH_AWAIT_BEGIN, latch);
        tr.ev(12, 3, EventKind.LATCH_COUNT_DOWN, latch, 0, 1).end(14, 3);
        tr.end(50, 1);

        assertThat(Findings.all(tr.endAt(100).model())).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactly("awaiter", "worker");
            assertThat(f.summary()).contains("only \"worker\" ever counted down",
                    "nothing can count it down any more");
        });
    }

    /** A latch nobody ever counted down may be a daemon's "until the JVM exits" gate: not reported. */
    @Test
    void aDaemonAwaitingALatchNobodyEverCountedDownIsNotReported() {
        SyntheticTrace tr = new SyntheticTrace();
        long latch = tr.latch(1);
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "awaiter", DAEMON);
        tr.ev(10, 2, EventKind.LATCH_AWAIT_BEGIN, latch);
        tr.end(50, 1);
        assertThat(Findings.all(tr.endAt(100).model())).isEmpty();
    }

    /** Daemon "starter" notifies (nobody waits), starts daemon "waiter", which waits; then starter ends or sleeps. */
    private static SyntheticTrace lostNotify(boolean starterEnds, boolean waitedBefore) {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("Ready");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 3, "starter", DAEMON);
        if (waitedBefore) { // a loop: waited, was notified, waits again
            tr.start(4, 1, 2, "waiter", DAEMON);
            tr.enter(6, 2, m).ev(7, 2, EventKind.WAIT_BEGIN, m);
            tr.enter(8, 3, m).ev(9, 3, EventKind.NOTIFY, m).exit(10, 3, m);
            tr.ev(11, 2, EventKind.WAIT_END, m).exit(12, 2, m);
        }
        tr.enter(14, 3, m).ev(15, 3, EventKind.NOTIFY_ALL, m).exit(16, 3, m);
        if (!waitedBefore) {
            tr.start(18, 3, 2, "waiter", DAEMON);
        }
        tr.enter(20, 2, m).ev(22, 2, EventKind.WAIT_BEGIN, m);
        if (starterEnds) {
            tr.end(30, 3);
        } else {
            tr.ev(30, 3, EventKind.SLEEP_BEGIN, 0, 0, 1_000_000);
        }
        tr.end(50, 1);
        return tr;
    }

    @Test
    void aDaemonWaitingForANotifySentBeforeItsWaitIsAStuckDaemon() {
        assertThat(Findings.all(lostNotify(true, false).endAt(100).model())).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactly("waiter", "starter");
            assertThat(f.summary()).contains("came from \"starter\" before \"waiter\" began to wait, found nobody"
                    + " waiting", "(a lost wake-up)");
            assertThat(f.evidence()).extracting(Evidence::what, Evidence::thread).contains(org.assertj.core.groups
                    .Tuple.tuple("the wake-up it waits for was sent here, before it began to wait", "starter"));
        });
    }

    @Test
    void aLostNotifyIsNoStuckDaemonWhileItsSenderLivesOrWhenTheDaemonWasWokenBefore() {
        assertThat(Findings.all(lostNotify(false, false).endAt(100).model())).isEmpty();
        assertThat(Findings.all(lostNotify(true, true).endAt(100).model())).isEmpty();
    }

    @Test
    void aDaemonBlockedOnALockThatADeadThreadNeverReleasedIsAStuckDaemon() {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(1, 1, "main", PREEXISTING).start(2, 1, 2, "forgetful", 0).start(4, 1, 3, "waiter", DAEMON);
        tr.lock(10, 2, l, 0).end(12, 2);
        tr.ev(20, 3, EventKind.LOCK_REQUEST, l);
        tr.end(30, 1);

        assertThat(Findings.all(tr.endAt(100).model())).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactly("waiter", "forgetful");
            assertThat(f.summary()).contains("\"forgetful\" holds ReentrantLock@", "but ended without releasing it");
        });
    }
}
