package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tangle.model.SyntheticTrace.TRY;
import static org.assertj.core.api.Assertions.assertThat;

class LivelockDetectorTest {
    /** Time unit of these traces: 10 µs, so that 150 rounds of 70 units span 105 ms. */
    private static final long UNIT = 10_000;

    /**
     * "left" holds a and tries b, "right" holds b and tries a, both fail, let go and retry, in step; every
     * {@code successEvery}-th round (0: never) left gets b.
     */
    static SyntheticTrace polite(int rounds, int successEvery) {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.lock("A");
        long b = tr.lock("B");
        tr.begin(1, 1, "left", 0).begin(2, 2, "right", 0);
        for (int i = 0; i < rounds; i++) {
            long t = 10 + 70L * i;
            boolean success = successEvery > 0 && i % successEvery == successEvery - 1;
            tr.lock(t, 1, a, 0);
            if (success) {
                tr.ev(t + 20, 1, EventKind.LOCK_ACQUIRED, b, TRY, 1).unlock(t + 21, 1, b, 0);
            } else {
                tr.lock(t + 1, 2, b, 0);
                tr.ev(t + 20, 1, EventKind.LOCK_TRY_FAILED, b, TRY, 0);
                tr.ev(t + 21, 2, EventKind.LOCK_TRY_FAILED, a, TRY, 0);
                tr.unlock(t + 30, 2, b, 0);
            }
            tr.unlock(t + 31, 1, a, 0);
        }
        return tr.timeScale(UNIT);
    }

    @Test
    void twoThreadsFailingOnEachOthersLocksInStepAreALivelock() {
        List<Finding> findings = Findings.of(new LivelockDetector(), polite(150, 0).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.LIVELOCK);
            assertThat(f.threads()).containsExactly("left", "right");
            assertThat(f.resources()).hasSize(2);
            assertThat(f.summary()).startsWith("Livelock: \"left\" and \"right\" kept failing tryLock on each"
                    + " other's locks (150, 150 times over").contains("every 700 µs");
            assertThat(f.details()).containsEntry("periodNanos", 700_000L);
            assertThat(f.evidence()).extracting(Evidence::what).contains(
                    "\"left\" failed to get ReentrantLock@1001 (#101) 150 times in a row, here",
                    "\"left\" meanwhile holds ReentrantLock@1000 (#100), which \"right\" tries; taken here");
        });
    }

    @Test
    void aBackoffThatSucceedsNowAndThenIsNoLivelock() {
        assertThat(Findings.of(new LivelockDetector(), polite(300, 50).model())).isEmpty();
    }

    @Test
    void aShortBurstIsNoLivelock() {
        assertThat(Findings.of(new LivelockDetector(), polite(120, 0).timeScale(1).model())).isEmpty();
    }

    @Test
    void oneThreadSpinningOnABusyLockIsNoLivelock() {
        SyntheticTrace tr = new SyntheticTrace();
        long b = tr.lock("B");
        tr.begin(1, 1, "spinner", 0).begin(2, 2, "busy", 0);
        tr.lock(5, 2, b, 0);
        for (int i = 0; i < 200; i++) {
            tr.ev(10 + 60L * i, 1, EventKind.LOCK_TRY_FAILED, b, TRY, 0);
        }
        tr.unlock(20_000, 2, b, 0);
        assertThat(Findings.of(new LivelockDetector(), tr.timeScale(UNIT).model())).isEmpty();
    }
}
