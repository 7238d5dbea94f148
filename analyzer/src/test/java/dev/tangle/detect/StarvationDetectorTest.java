package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StarvationDetectorTest {
    private static final long MS = 1_000_000L;
    private final StarvationDetector detector = new StarvationDetector();

    /**
     * "starved" asks for the lock at 1 ms and gets it after {@code waitMs}; meanwhile "greedy-1" and
     * "greedy-2" take turns holding it {@code rounds} times. Times are in µs steps to keep frame ids small.
     */
    static SyntheticTrace greedy(long waitMs, int rounds) {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(1, 1, "starved", 0).begin(2, 2, "greedy-1", 0).begin(3, 3, "greedy-2", 0);
        tr.lock(10, 2, l, 0); // greedy-1 holds it when starved asks
        tr.ev(20, 1, EventKind.LOCK_REQUEST, l);
        long t = 30;
        long step = Math.max(4, (waitMs * 1000 - 100) / Math.max(1, rounds));
        tr.unlock(t++, 2, l, 0);
        for (int i = 0; i < rounds; i++) {
            long thread = 2 + (i + 1) % 2;
            tr.lock(t, thread, l, 0);
            tr.unlock(t + 2, thread, l, 0);
            t += step;
        }
        tr.ev(waitMs * 1000, 1, EventKind.LOCK_ACQUIRED, l, 0, 1).unlock(waitMs * 1000 + 1, 1, l, 0);
        return tr;
    }

    @Test
    void aThreadOvertakenAgainAndAgainForALongWaitIsStarved() {
        // times are in µs-scale units of 1 ns each here; scale them: the detector needs >= 500 ms
        SyntheticTrace tr = greedy(600, 300);
        List<Finding> findings = Findings.of(new StarvationDetector(), scaled(tr));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.STARVATION);
            assertThat(f.threads()).containsExactly("starved", "greedy-1", "greedy-2");
            assertThat(f.summary()).startsWith("Starvation: \"starved\" waited")
                    .contains("while other threads acquired it 300 times (\"greedy-1\" 150, \"greedy-2\" 150)");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> shares = (List<Map<String, Object>>) f.details().get("shares");
            assertThat(shares).extracting(m -> m.get("share")).containsExactly("0.0%", "50.0%", "50.0%");
        });
    }

    @Test
    void aShortWaitOrFewOvertakesIsNormalContention() {
        assertThat(Findings.of(detector, scaled(greedy(100, 300)))).isEmpty();
        assertThat(Findings.of(detector, scaled(greedy(600, 20)))).isEmpty();
    }

    /**
     * Go's greedy and polite workers, in ms (scaled): every cycle "greedy-1" and then "greedy-2" hold the lock
     * for 24 ms each; "polite" asks for it at 2 ms, gets it only when both are done, at 51 ms, and holds it for
     * {@code politeHoldMs}, asking again at {@code askAt} of the next cycle.
     */
    static SyntheticTrace greedyAndPolite(int cycles, long politeHoldMs, long askAt) {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(0, 1, "polite", 0).begin(0, 2, "greedy-1", 0).begin(0, 3, "greedy-2", 0);
        long cycle = 52 + politeHoldMs + 5;
        for (int c = 0; c < cycles; c++) {
            long t = 10 + c * cycle;
            tr.lock(t, 2, l, 0);
            if (askAt < 25) {
                tr.ev(t + askAt, 1, EventKind.LOCK_REQUEST, l);
            }
            tr.unlock(t + 25, 2, l, 0);
            tr.lock(t + 26, 3, l, 0);
            if (askAt >= 25) {
                tr.ev(t + askAt, 1, EventKind.LOCK_REQUEST, l);
            }
            tr.unlock(t + 50, 3, l, 0);
            tr.ev(t + 51, 1, EventKind.LOCK_ACQUIRED, l, 0, 1).unlock(t + 51 + politeHoldMs, 1, l, 0);
        }
        return tr.timeScale(1_000_000);
    }

    @Test
    void aThreadThatKeepsWaitingButGetsAFarSmallerShareIsStarved() {
        List<Finding> findings = Findings.of(detector, greedyAndPolite(40, 1, 2).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.STARVATION);
            assertThat(f.threads()).containsExactly("polite", "greedy-1", "greedy-2");
            assertThat(f.summary()).startsWith("Starvation: \"polite\" spent").contains("in 40 waits")
                    .contains("\"polite\" 2.0%");
            assertThat(f.details()).containsEntry("rule", "share").containsEntry("waits", 40L);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> shares = (List<Map<String, Object>>) f.details().get("shares");
            assertThat(shares).extracting(m -> m.get("thread")).containsExactly("polite", "greedy-1", "greedy-2");
            // acquisitions that began in polite's window, its first request to its last grant (greedy-1 held it then)
            assertThat(shares).extracting(m -> m.get("acquisitions")).containsExactly(40L, 39L, 40L);
        });
    }

    @Test
    void anEqualShareUnderHeavyContentionIsNotStarvation() {
        // polite waits most of the time, but holds the lock as long as each greedy thread: a fair rotation
        assertThat(Findings.of(detector, greedyAndPolite(40, 24, 2).model())).isEmpty();
    }

    @Test
    void aShortWindowFewWaitsOrLittleWaitingIsNotStarvation() {
        assertThat(Findings.of(detector, greedyAndPolite(15, 1, 2).model())).as("0.9 s window").isEmpty();
        assertThat(Findings.of(detector, greedyAndPolite(19, 1, 2).model()).size()).as("19 waits").isZero();
        assertThat(Findings.of(detector, greedyAndPolite(40, 1, 40).model())).as("waits 11 of 58 ms").isEmpty();
    }

    /** The synthetic trace's times are 1 ns apart; the detector's thresholds are in real time. */
    private static dev.tangle.model.TraceModel scaled(SyntheticTrace tr) {
        return tr.timeScale(1000).model();
    }
}
