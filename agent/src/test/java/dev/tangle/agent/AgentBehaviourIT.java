package dev.tangle.agent;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the agent promises about the program it watches: the JIT still compiles instrumented code, events on one
 * object are in their true order, it never breaks the program (bad option, unwritable file, its own ByteBuddy),
 * and it never drops events silently. On JDK 17 and every JDK 21+ present.
 */
class AgentBehaviourIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void jitCompilesInstrumentedMethodsWithoutMonitorMismatch(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "", "fixtures.HotMonitors",
                List.of("-XX:+PrintCompilation", "-Xlog:monitormismatch=info"));
        assertThat(run.exitCode).as(run.stderr).isZero();
        List<String> fixtureLines = run.stdout.lines().filter(l -> l.contains("fixtures.HotMonitors")).toList();
        // each instrumented method reached C2 (tier 4) or C1 full profile, proving it was compiled...
        for (String method : List.of("syncMethod", "syncBlock", "loopInside", "lock", "instanceSync", "earlyReturn",
                "queue", "semaphore")) {
            assertThat(fixtureLines).as("compilations of " + method + "\n" + run.stdout)
                    .anyMatch(l -> l.contains("fixtures.HotMonitors::" + method) && !l.contains("made not entrant")
                            && !l.contains("COMPILE SKIPPED"));
        }
        // ...and none was refused
        assertThat(run.stdout.lines().filter(l -> l.contains("COMPILE SKIPPED") && l.contains("fixtures.")
                || l.toLowerCase().contains("monitor mismatch") || l.contains("bailout")))
                .as(run.stdout).isEmpty();
    }

    /**
     * The hooks' event writing stays out of the program's compiled methods (it is marked {@code @DontInline},
     * which HotSpot honours only for classes of the boot class path): inlined wherever a hot path had once written
     * an event, it doubled C2's work on a server's methods. A hot queue writes events on every operation, so C2
     * would inline {@code put} into its hooks if it could.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void eventWritingIsNeverInlinedIntoTheProgram(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "", "fixtures.HotMonitors",
                List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining"));
        assertThat(run.exitCode).as(run.stderr).isZero();
        List<String> putCalls = run.stdout.lines()
                .filter(l -> l.contains("dev.tangle.agent.bootstrap.ThreadRecorder::put ")).toList();
        assertThat(putCalls).as(run.stdout).anyMatch(l -> l.contains("don't inline by annotation"));
        assertThat(putCalls).noneMatch(l -> l.matches(".*\\)\\s+inline( \\(hot\\))?\\s*$"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void eventsOnOneMonitorAreInTheirTrueOrderAcrossThreads(Jdks jdk) throws Exception {
        // buffers that hold the whole run: a lost event would leave a gap this check cannot see through
        AgentRun run = AgentRun.run(jdk, dir, "buffer=262144", "fixtures.Counter", List.of());
        assertThat(run.stdout.trim()).isEqualTo("40000");
        assertThat(run.reader.lostEvents()).isZero();
        Map<String, Integer> acquisitions = new HashMap<>();
        Long holder = null;
        java.util.Deque<String> recent = new java.util.ArrayDeque<>();
        for (TraceEvent e : run.events) {
            if (e.object() == null || !e.object().className().endsWith("Tally")) {
                continue;
            }
            recent.addLast(e.time() + " " + e.threadId() + " " + e.kind());
            if (recent.size() > 8) {
                recent.removeFirst();
            }
            if (e.kind() == EventKind.LEAF_HOLDS) { // holds counted, not recorded one by one (leaf holds)
                acquisitions.merge(run.threadNames.get(e.threadId()), (int) e.value(), Integer::sum);
            } else if (e.kind() == EventKind.MONITOR_ACQUIRED) {
                assertThat(holder).as("acquired by %s while held by %s at %d after %s", e.threadId(), holder,
                        e.time(), recent).isNull();
                holder = e.threadId();
                acquisitions.merge(run.threadNames.get(e.threadId()), 1, Integer::sum);
            } else if (e.kind() == EventKind.MONITOR_RELEASE) {
                assertThat(holder).isEqualTo(e.threadId());
                holder = null;
            }
        }
        assertThat(acquisitions).containsEntry("a", 20_000).containsEntry("b", 20_000);
        assertThat(run.reader.lostEvents()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#newer")
    void virtualThreads(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.Virtual");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("main", EventKind.THREAD_START)).contains("THREAD_START v daemon,virtual");
        assertThat(run.sequence("v")).containsExactly("THREAD_BEGIN daemon,virtual",
                "MONITOR_REQUEST Gate", "MONITOR_ACQUIRED Gate", "MONITOR_RELEASE Gate",
                "SLEEP_BEGIN", "SLEEP_END",
                "CHANNEL_RECV_BEGIN SynchronousQueue", "CHANNEL_RECV_END SynchronousQueue", "THREAD_END");
        // the virtual thread's parking inside take (it unmounts) is part of the take, not an event of its own
        assertThat(run.sequence("v", EventKind.PARK_BEGIN, EventKind.PARK_END, EventKind.UNPARK)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void badOptionIsReportedOnceAndTheProgramRuns(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "out=" + dir.resolve("x.trace") + ",bogus=1", "fixtures.Plain",
                List.of());
        assertThat(run.exitCode).isZero();
        assertThat(run.stdout.trim()).isEqualTo("plain ok");
        assertThat(run.stderrWithoutJvmNotes().lines())
                .containsExactly("tangle: bad agent option: unknown agent option 'bogus' (known: out, stackDepth,"
                        + " stacks, buffer, tickMicros, flushMillis, exclude, command, drainDelayMillis,"
                        + " dumpClasses, full, leafHolds, detach, live, token, liveRemote, liveQueueBytes,"
                        + " liveConnectMillis, stallMillis, jdkMonitors); not recording");
        assertThat(Files.exists(dir.resolve("x.trace"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void unwritableTraceIsReportedOnceAndTheProgramRuns(Jdks jdk) throws Exception {
        Path out = dir.resolve("missing-folder").resolve("x.trace");
        AgentRun run = AgentRun.run(jdk, dir, "out=" + out, "fixtures.Plain", List.of());
        assertThat(run.exitCode).isZero();
        assertThat(run.stdout.trim()).isEqualTo("plain ok");
        assertThat(run.stderrWithoutJvmNotes().lines()).hasSize(1).first().asString()
                .startsWith("tangle: cannot write trace " + out).endsWith("; not recording");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void programWithItsOwnByteBuddyRuns(Jdks jdk) throws Exception {
        String other = System.getProperty("tangle.otherByteBuddy");
        assertThat(Path.of(other)).exists();
        AgentRun run = AgentRun.run(jdk, dir, "", other, "fixtures.OwnByteBuddy", List.of());
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.stdout.trim()).isEqualTo("made true with ByteBuddy 1.14.18");
        assertThat(run.reader.isComplete()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void aWriterThatFallsBehindCostsCountedEventsNeverTheProgram(Jdks jdk) throws Exception {
        // every hold recorded (leafHolds=record), so that the events outrun the writer
        AgentRun run = AgentRun.run(jdk, dir, "buffer=64,drainDelayMillis=200,leafHolds=record", "fixtures.Counter",
                List.of());
        assertThat(run.exitCode).isZero();
        assertThat(run.stdout.trim()).isEqualTo("40000");
        long markedLost = run.events.stream().filter(e -> e.kind() == EventKind.LOST_EVENTS)
                .mapToLong(TraceEvent::value).sum();
        assertThat(markedLost).isPositive();
        // every loss is marked in its thread's stream, and the total is in the end chunk
        assertThat(run.reader.lostEvents()).isGreaterThanOrEqualTo(markedLost);
        assertThat(run.reader.isComplete()).isTrue();
    }
}
