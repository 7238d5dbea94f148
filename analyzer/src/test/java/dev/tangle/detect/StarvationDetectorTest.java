package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.model.TraceModel;
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

    /**
     * Peers that run the same code, like H2's JDBC clients on its {@code MVTable} monitor on an overloaded
     * machine: {@code clients} threads "client-N" take the monitor in turn every 0.5 ms for 10 s (units of 0.1 ms,
     * scaled). Each {@code stalls} pair {client, second} makes that client ask at that second and get the monitor
     * only 1 s later, while the others go on taking it. With {@code countedOutsideStalls}, the holds that begin
     * outside every stall are written as LEAF_HOLDS (counted by the agent, one per hold), as the agent does for
     * uncontended holds.
     */
    static SyntheticTrace peers(int clients, boolean countedOutsideStalls, int... stalls) {
        SyntheticTrace tr = new SyntheticTrace().chunkSize(512);
        long m = tr.monitor("MVTable");
        for (int c = 0; c < clients; c++) {
            tr.begin(0, c + 1, "client-" + c, 0);
        }
        long[] stallFrom = new long[clients];
        long[] stallTo = new long[clients];
        java.util.Arrays.fill(stallFrom, -1);
        for (int k = 0; k < stalls.length; k += 2) {
            int c = stalls[k];
            stallFrom[c] = stalls[k + 1] * 10_000L + 3; // between two turns
            stallTo[c] = stallFrom[c] + 10_000; // 1 s later
        }
        int next = 0;
        for (long t = 5; t < 100_000; t += 5) {
            int c = next;
            while (stallFrom[c] >= 0 && t > stallFrom[c] && t < stallTo[c] + 5) {
                c = (c + 1) % clients; // a stalled client's turn goes to the next one
            }
            next = (c + 1) % clients;
            boolean inStall = false;
            for (int o = 0; o < clients; o++) {
                inStall |= stallFrom[o] >= 0 && t > stallFrom[o] && t < stallTo[o];
            }
            if (countedOutsideStalls && !inStall) {
                tr.ev(t + 1, c + 1, EventKind.LEAF_HOLDS, m, 0, 1);
            } else {
                tr.enter(t, c + 1, m).exit(t + 2, c + 1, m);
            }
            for (int o = 0; o < clients; o++) {
                if (stallFrom[o] > t && stallFrom[o] < t + 5) {
                    tr.ev(stallFrom[o], o + 1, EventKind.MONITOR_REQUEST, m);
                } else if (stallTo[o] > t && stallTo[o] < t + 5) {
                    tr.ev(stallTo[o], o + 1, EventKind.MONITOR_ACQUIRED, m, 0, 1).exit(stallTo[o] + 1, o + 1, m);
                }
            }
        }
        return tr.timeScale(100_000);
    }

    @Test
    void peersRunningTheSameCodeThatEachWaitLongInTurnAreNotStarved() {
        TraceModel model = peers(8, false, 3, 3, 5, 6).model();
        long m = model.resources().iterator().next().id();
        // each of the two waits alone has the shape of the first rule: 1 s, overtaken 2,000 times
        assertThat(model.waits(m)).filteredOn(w -> w.end() - w.start() >= StarvationDetector.MIN_WAIT_NANOS)
                .hasSize(2).allSatisfy(w -> assertThat(model.holds(m).stream()
                        .filter(h -> h.start() > w.start() && h.start() < w.end()).count()).isEqualTo(2_000));

        assertThat(Findings.of(detector, model)).as("each took the monitor about as often as the others").isEmpty();
    }

    @Test
    void theRoleCheckCountsTheHoldsTheAgentCounted() {
        // the same peers with one wait, and the holds outside it counted (LEAF_HOLDS): without them the
        // stalled client would seem to have taken the monitor once in 10 s, the others 286 times each
        TraceModel model = peers(8, true, 3, 3).model();
        long m = model.resources().iterator().next().id();
        assertThat(model.holds(m)).hasSize(2_000 + 1);

        assertThat(Findings.of(detector, model)).isEmpty();
    }

    @Test
    void aThreadThatNeedsTheResourceRarelyAndIsOvertakenAgainAndAgainIsStarved() {
        // client-0 to client-7 take the monitor every 0.5 ms; "reporter" only once a second, and waits 1 s once
        SyntheticTrace tr = peers(8, false);
        long m = 100; // the only object
        long reporter = 9;
        tr.begin(0, reporter, "reporter", 0);
        for (int s = 0; s < 10; s++) {
            long t = s * 10_000L + 3; // between two turns of the clients
            if (s == 5) {
                tr.ev(t, reporter, EventKind.MONITOR_REQUEST, m).ev(t + 10_000, reporter,
                        EventKind.MONITOR_ACQUIRED, m, 0, 1).exit(t + 10_001, reporter, m);
            } else if (s != 6) {
                tr.enter(t, reporter, m).exit(t + 1, reporter, m);
            }
        }
        List<Finding> findings = Findings.of(detector, tr.model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.threads()).first().isEqualTo("reporter");
            assertThat(f.summary()).startsWith("Starvation: \"reporter\" waited 1.000 s for MVTable")
                    .contains("while other threads acquired it 2000 times")
                    .contains("it acquired it 9 times, the threads that overtook it");
            assertThat(f.details()).containsEntry("spanAcquisitions", 9L);
        });
    }

    /**
     * "starved" waits 600 ms for a lock that "greedy" held when it asked; meanwhile "greedy" takes it only in
     * holds the agent counted (LEAF_HOLDS): 50 events of {@code perEvent} holds inside the wait, then {@code more}
     * at its end, and 5,000 holds just before it and just after it (ms units, scaled).
     */
    static SyntheticTrace overtakenByCountedHolds(long perEvent, long more) {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(0, 1, "starved", 0).begin(0, 2, "greedy", 0);
        tr.ev(1, 2, EventKind.LEAF_HOLDS, l, 0, 5_000);
        tr.lock(2, 2, l, 0);
        tr.ev(4, 1, EventKind.LOCK_REQUEST, l);
        tr.unlock(5, 2, l, 0);
        for (long t = 10; t <= 500; t += 10) {
            tr.ev(t, 2, EventKind.LEAF_HOLDS, l, 0, perEvent);
        }
        if (more > 0) {
            tr.ev(600, 2, EventKind.LEAF_HOLDS, l, 0, more);
        }
        tr.ev(604, 1, EventKind.LOCK_ACQUIRED, l, 0, 1).unlock(605, 1, l, 0);
        tr.ev(610, 2, EventKind.LEAF_HOLDS, l, 0, 5_000);
        return tr.timeScale(1_000_000);
    }

    @Test
    void holdsTheAgentCountedDuringTheWaitAreOvertakes() {
        List<Finding> findings = Findings.of(detector, overtakenByCountedHolds(2, 0).model());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.threads()).containsExactly("starved", "greedy");
            assertThat(f.summary()).startsWith("Starvation: \"starved\" waited 0.600 s")
                    .contains("while other threads acquired it 100 times (\"greedy\" 100)");
            assertThat(f.details()).containsEntry("overtakes", 100L);
            assertThat(f.evidence()).hasSize(2);
            assertThat(f.evidence().get(1).stack()).singleElement().asString().contains("App.java:10)");
        });
    }

    @Test
    void countedHoldsBelowTheThresholdOrOutsideTheWaitAreNotOvertakes() {
        // 50 or 99 counted holds inside the wait; the 10,000 just before and after it do not count
        assertThat(Findings.of(detector, overtakenByCountedHolds(1, 0).model())).isEmpty();
        assertThat(Findings.of(detector, overtakenByCountedHolds(1, 49).model())).isEmpty();
        assertThat(Findings.of(detector, overtakenByCountedHolds(1, 50).model())).as("the 100th").hasSize(1);
    }

    @Test
    void reentrantCountedHoldsOfTheHolderAreNotOvertakes() {
        // "greedy" holds the lock through the whole wait and re-enters it 1,000 times meanwhile
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(0, 1, "starved", 0).begin(0, 2, "greedy", 0);
        tr.lock(2, 2, l, 0);
        tr.ev(4, 1, EventKind.LOCK_REQUEST, l);
        for (long t = 10; t <= 500; t += 10) {
            tr.ev(t, 2, EventKind.LEAF_HOLDS, l, 0, 20);
        }
        tr.unlock(603, 2, l, 0);
        tr.ev(604, 1, EventKind.LOCK_ACQUIRED, l, 0, 1).unlock(605, 1, l, 0);

        assertThat(Findings.of(detector, tr.timeScale(1_000_000).model())).isEmpty();
    }

    /**
     * The share rule's peers, when the agent counted most of their holds: "greedy-1" and "greedy-2" hold the lock
     * for 49 ms in turn, one cycle of 60 ms each, each recorded only 10 times in 20 cycles; "polite" asks at the
     * start of every cycle and holds it 1 ms at its end. Between cycles each greedy thread takes the lock
     * {@code counted} more times in uncontended holds the agent counted (ms units, scaled).
     */
    static SyntheticTrace alternatingGreedy(long counted) {
        SyntheticTrace tr = new SyntheticTrace();
        long l = tr.lock("L");
        tr.begin(0, 1, "polite", 0).begin(0, 2, "greedy-1", 0).begin(0, 3, "greedy-2", 0);
        for (int c = 0; c < 20; c++) {
            long t = 10 + c * 60L;
            long greedy = 2 + c % 2;
            tr.lock(t, greedy, l, 0);
            tr.ev(t + 2, 1, EventKind.LOCK_REQUEST, l);
            tr.unlock(t + 50, greedy, l, 0);
            tr.ev(t + 51, 1, EventKind.LOCK_ACQUIRED, l, 0, 1).unlock(t + 52, 1, l, 0);
            if (counted > 0) {
                tr.ev(t + 55, greedy, EventKind.LEAF_HOLDS, l, 0, counted);
            }
        }
        return tr.timeScale(1_000_000);
    }

    @Test
    void theShareRuleCountsThePeersCountedHolds() {
        assertThat(Findings.of(detector, alternatingGreedy(0).model())).as("10 recorded holds: no peer").isEmpty();

        assertThat(Findings.of(detector, alternatingGreedy(2).model())).singleElement().satisfies(f -> {
            assertThat(f.details()).containsEntry("rule", "share").containsEntry("waits", 20L);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> shares = (List<Map<String, Object>>) f.details().get("shares");
            // in polite's window (its first request to its last grant): greedy-1's first hold began before it,
            // greedy-2's last counted holds after it; 10 or 9 recorded holds each, the rest counted
            assertThat(shares).extracting(m -> m.get("thread"), m -> m.get("acquisitions")).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("polite", 20L),
                    org.assertj.core.groups.Tuple.tuple("greedy-2", 28L),
                    org.assertj.core.groups.Tuple.tuple("greedy-1", 29L));
        });
    }

    /** The synthetic trace's times are 1 ns apart; the detector's thresholds are in real time. */
    private static dev.tangle.model.TraceModel scaled(SyntheticTrace tr) {
        return tr.timeScale(1000).model();
    }
}
