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

    /** The synthetic trace's times are 1 ns apart; the detector's thresholds are in real time. */
    private static dev.tangle.model.TraceModel scaled(SyntheticTrace tr) {
        return tr.timeScale(1000).model();
    }
}
