package dev.tangle.agent;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stall watcher and the class-initialisation hooks, on real programs in a child JVM under the real agent jar,
 * on JDK 17 and every JDK 21+ present: what the JVM said blocked threads held and waited for, once per change,
 * and the final snapshot on a normal end, on {@code System.exit} and on SIGTERM.
 */
class StallWatcherIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void monitorsTakenInsideTheJdkAreObservedWithTheirOwnerOncePerChange(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.HashtableCrossing");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertHashtableCrossing(run);
        for (String thread : List.of("left", "right")) {
            // once per change: after the observation of the deadlock, nothing until the final snapshot
            List<TraceEvent> states = run.watched(thread).stream()
                    .filter(e -> e.kind() == EventKind.THREAD_STATE).toList();
            assertThat(states).as("observations of %s", thread).hasSizeBetween(2, 3);
            assertThat(states.get(states.size() - 2).time()).as("observed while running")
                    .isLessThan(run.reader.endTime() - 300_000_000L);
        }
    }

    /** Each thread holds one table and waits for the other, which the other thread owns; the JVM's stacks. */
    private static void assertHashtableCrossing(AgentRun run) {
        for (String[] pair : new String[][] {{"left", "right"}, {"right", "left"}}) {
            assertThat(run.lastObservation(pair[0])).containsExactly("THREAD_STATE BLOCKED watched",
                    "MONITOR_ACQUIRED Hashtable watched", "MONITOR_REQUEST Hashtable watched");
            List<TraceEvent> last = lastObservationEvents(run, pair[0]);
            TraceEvent held = last.get(1);
            TraceEvent wanted = last.get(2);
            assertThat(wanted.value()).as("owner of the wanted monitor").isEqualTo(run.threadId(pair[1]));
            assertThat(wanted.objectId()).isNotEqualTo(held.objectId());
            assertThat(held.stack().frames().get(0).toString()).startsWith("java.util.Hashtable.equals(");
            assertThat(wanted.stack().frames().get(0).toString()).startsWith("java.util.Hashtable.");
            assertThat(wanted.stack().frames().get(1).toString()).startsWith("java.util.Hashtable.equals(");
            assertThat(wanted.stack().frames()).anySatisfy(f -> assertThat(f.toString())
                    .startsWith("fixtures.HashtableCrossing.compareForEver(HashtableCrossing.java:"));
            assertThat(lastObservationEvents(run, pair[1]).get(1).objectId()).as("the other holds what it wants")
                    .isEqualTo(wanted.objectId());
        }
    }

    private static List<TraceEvent> lastObservationEvents(AgentRun run, String thread) {
        List<TraceEvent> w = run.watched(thread);
        int last = 0;
        for (int i = 0; i < w.size(); i++) {
            if (w.get(i).kind() == EventKind.THREAD_STATE) {
                last = i;
            }
        }
        return w.subList(last, w.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void theFinalSnapshotIsTakenOnSystemExit(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "", "fixtures.HashtableCrossing", List.of(), "exit");
        assertThat(run.exitCode).as(run.stderr).isEqualTo(3);
        assertThat(run.reader.isComplete()).isTrue();
        assertHashtableCrossing(run);
        assertFinalSnapshotAtTheEnd(run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void theFinalSnapshotIsTakenOnSigterm(Jdks jdk) throws Exception {
        Path trace = dir.resolve("sigterm.trace");
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(jdk.java().toString(),
                "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=out=" + trace, "-cp",
                AgentRun.testClasses(), "fixtures.HashtableCrossing", "hang")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(out).contains("deadlocked") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(out)).contains("deadlocked");
        } finally {
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        List<TraceEvent> events = new ArrayList<>();
        TraceReader reader = TraceReader.open(trace);
        for (TraceEvent e; (e = reader.next()) != null; ) {
            events.add(e);
        }
        reader.close();
        assertThat(reader.isComplete()).isTrue();
        long main = reader.threadNames().entrySet().stream().filter(e -> e.getValue().equals("main"))
                .findFirst().orElseThrow().getKey();
        // main, waiting on its latch when the signal came, is in the final snapshot, with its (hooked) wait
        List<TraceEvent> mainWatched = events.stream().filter(e -> e.threadId() == main
                && e.has(EventFlags.WATCHED)).toList();
        TraceEvent lastState = mainWatched.stream().filter(e -> e.kind() == EventKind.THREAD_STATE)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(lastState.text()).isEqualTo("WAITING");
        long lastOwn = events.stream().filter(e -> e.threadId() == main && !e.has(EventFlags.WATCHED))
                .mapToLong(TraceEvent::time).max().orElseThrow();
        assertThat(lastState.time()).isGreaterThanOrEqualTo(lastOwn);
        for (String name : List.of("left", "right")) {
            long id = reader.threadNames().entrySet().stream().filter(e -> e.getValue().equals(name))
                    .findFirst().orElseThrow().getKey();
            assertThat(events.stream().filter(e -> e.threadId() == id && e.kind() == EventKind.THREAD_STATE
                    && e.time() >= lastState.time())).as("final snapshot of %s", name).hasSize(1);
        }
    }

    private static void assertFinalSnapshotAtTheEnd(AgentRun run) {
        for (String thread : List.of("left", "right")) {
            TraceEvent last = run.watched(thread).stream().filter(e -> e.kind() == EventKind.THREAD_STATE)
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(last.time()).as("final snapshot of %s", thread)
                    .isGreaterThan(run.reader.endTime() - 500_000_000L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void twoClassesWhoseStaticInitialisersUseEachOtherWaitForEachOther(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "", "fixtures.ClassInitCycle", List.of(), "pair");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("first", EventKind.CLASS_INIT_BEGIN, EventKind.CLASS_INIT_END))
                .containsExactly("CLASS_INIT_BEGIN Ping");
        assertThat(run.sequence("second", EventKind.CLASS_INIT_BEGIN, EventKind.CLASS_INIT_END))
                .containsExactly("CLASS_INIT_BEGIN Pong");
        assertThat(run.lastObservation("first")).containsExactly("THREAD_STATE RUNNABLE watched",
                "CLASS_INIT_WAIT Pong watched");
        assertThat(run.lastObservation("second")).containsExactly("THREAD_STATE RUNNABLE watched",
                "CLASS_INIT_WAIT Ping watched");
        TraceEvent wait = lastObservationEvents(run, "first").get(1);
        assertThat(wait.value()).isEqualTo(run.threadId("second"));
        assertThat(wait.stack().frames().get(0).toString())
                .startsWith("fixtures.ClassInitCycle$Ping.<clinit>(ClassInitCycle.java:");
        TraceEvent pingBegin = run.of("first").stream().filter(e -> e.kind() == EventKind.CLASS_INIT_BEGIN)
                .findFirst().orElseThrow();
        assertThat(pingBegin.site().toString()).startsWith("fixtures.ClassInitCycle$Ping.<clinit>(");
        assertThat(lastObservationEvents(run, "second").get(1).objectId()).isEqualTo(pingBegin.objectId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void aSuperclassWhoseStaticInitialiserUsesItsSubclass(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "", "fixtures.ClassInitCycle", List.of(), "subclass");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("first", EventKind.CLASS_INIT_BEGIN, EventKind.CLASS_INIT_END))
                .containsExactly("CLASS_INIT_BEGIN Base");
        assertThat(run.sequence("second", EventKind.CLASS_INIT_BEGIN, EventKind.CLASS_INIT_END)).isEmpty();
        // "second" marked Derived as its own and waits for Base; Base's initialiser waits for Derived
        assertThat(run.lastObservation("second")).containsExactly("THREAD_STATE RUNNABLE watched",
                "CLASS_INIT_BEGIN Derived watched", "CLASS_INIT_WAIT Base watched");
        assertThat(run.lastObservation("first")).containsExactly("THREAD_STATE RUNNABLE watched",
                "CLASS_INIT_WAIT Derived watched");
        assertThat(lastObservationEvents(run, "first").get(1).value()).isEqualTo(run.threadId("second"));
        assertThat(lastObservationEvents(run, "second").get(2).value()).isEqualTo(run.threadId("first"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void slowThreadsAreObservedAndThenRunAgain(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.SlowButNotStuck");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("initialiser", EventKind.CLASS_INIT_BEGIN, EventKind.CLASS_INIT_END))
                .containsExactly("CLASS_INIT_BEGIN Slow", "CLASS_INIT_END Slow");
        assertThat(run.watched("user").stream().map(run::describe))
                .contains("CLASS_INIT_WAIT Slow watched");
        assertThat(run.watched("reader").stream().map(run::describe))
                .contains("MONITOR_REQUEST Hashtable watched");
        for (String thread : List.of("user", "reader")) {
            assertThat(run.sequence(thread)).last().isEqualTo("THREAD_END"); // both went on and ended
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void stallMillisZeroTurnsTheWatcherOff(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "stallMillis=0", "fixtures.HashtableCrossing", List.of());
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.events).noneMatch(e -> e.has(EventFlags.WATCHED));
        assertThat(run.events).noneMatch(e -> e.kind() == EventKind.THREAD_STATE);
    }
}
