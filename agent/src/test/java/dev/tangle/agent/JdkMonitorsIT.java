package dev.tangle.agent;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monitors of the JDK classes programs lock through (agent option jdkMonitors), recorded from a real program in
 * a child JVM under the real agent jar, on JDK 17 and every JDK 21+ present.
 */
class JdkMonitorsIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void synchronizedMethodsAreAcquiredWithoutRequestAndWrapperBlocksAreRequested(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.JdkMonitors");
        assertThat(run.exitCode).as(run.stderr).isZero();
        // outermost holds only: the JDK's methods call each other reentrantly, differently from one JDK to the next
        // (StringBuffer.toString does on JDK 25, Hashtable.equals calls its own size())
        assertThat(hooked(run, "worker", true)).containsExactly(
                "THREAD_BEGIN",
                // Hashtable put, get
                "MONITOR_ACQUIRED Hashtable noRequest", "MONITOR_RELEASE Hashtable",
                "MONITOR_ACQUIRED Hashtable noRequest", "MONITOR_RELEASE Hashtable",
                // Vector add, get
                "MONITOR_ACQUIRED Vector noRequest", "MONITOR_RELEASE Vector",
                "MONITOR_ACQUIRED Vector noRequest", "MONITOR_RELEASE Vector",
                // StringBuffer append, toString
                "MONITOR_ACQUIRED StringBuffer noRequest", "MONITOR_RELEASE StringBuffer",
                "MONITOR_ACQUIRED StringBuffer noRequest", "MONITOR_RELEASE StringBuffer",
                // synchronizedList add, get: synchronized (mutex) blocks
                "MONITOR_REQUEST SynchronizedRandomAccessList", "MONITOR_ACQUIRED SynchronizedRandomAccessList",
                "MONITOR_RELEASE SynchronizedRandomAccessList",
                "MONITOR_REQUEST SynchronizedRandomAccessList", "MONITOR_ACQUIRED SynchronizedRandomAccessList",
                "MONITOR_RELEASE SynchronizedRandomAccessList",
                // second Hashtable put, then table.equals(same), which holds table while it calls same.size(),
                // same.get()
                "MONITOR_ACQUIRED Hashtable noRequest", "MONITOR_RELEASE Hashtable",
                "MONITOR_ACQUIRED Hashtable noRequest",
                "MONITOR_ACQUIRED Hashtable noRequest", "MONITOR_RELEASE Hashtable",
                "MONITOR_ACQUIRED Hashtable noRequest", "MONITOR_RELEASE Hashtable",
                "MONITOR_RELEASE Hashtable",
                "THREAD_END");
        List<TraceEvent> worker = run.of("worker").stream().filter(e -> (e.flags() & EventFlags.WATCHED) == 0)
                .toList();
        assertThat(worker.stream().filter(e -> e.kind() != EventKind.THREAD_BEGIN
                && e.kind() != EventKind.THREAD_END && e.value() <= 1).map(e -> e.site().className() + "." + e.site().methodName())
                .distinct()).containsExactly("java.util.Hashtable.put", "java.util.Hashtable.get",
                "java.util.Vector.add", "java.util.Vector.get", "java.lang.StringBuffer.append",
                "java.lang.StringBuffer.toString", "java.util.Collections$SynchronizedCollection.add",
                "java.util.Collections$SynchronizedList.get", "java.util.Hashtable.equals",
                "java.util.Hashtable.size");
        // the nested acquisition (a lock-order edge) carries the program's stack; a top-level one needs none
        TraceEvent nestedGet = worker.stream().filter(e -> e.kind() == EventKind.MONITOR_ACQUIRED
                && e.site().methodName().equals("get") && e.object().className().equals("java.util.Hashtable")
                && (e.flags() & EventFlags.NO_REQUEST) != 0).reduce((a, b) -> b).orElseThrow();
        assertThat(nestedGet.stack().frames()).extracting(Object::toString)
                .anyMatch(f -> f.startsWith("fixtures.JdkMonitors.work(JdkMonitors.java:"));
        TraceEvent firstPut = worker.stream().filter(e -> e.kind() == EventKind.MONITOR_ACQUIRED).findFirst()
                .orElseThrow();
        assertThat(firstPut.stack()).isNull();
        // the program's main thread records nothing of the agent's own work (class files read through Hashtable)
        assertThat(hooked(run, "main", false)).containsExactly("THREAD_BEGIN preexisting", "THREAD_START worker",
                "JOIN_BEGIN worker", "JOIN_END worker", "THREAD_END");
    }

    /**
     * The thread's events from the agent's hooks, as {@link AgentRun#sequence}: without park events and without
     * what the stall watcher adds (WATCHED) when a thread of this loaded machine is slow; with
     * {@code outermost}, without reentrant monitor entries and exits (hold count above 1).
     */
    private static List<String> hooked(AgentRun run, String thread, boolean outermost) {
        return run.of(thread).stream().filter(e -> (e.flags() & EventFlags.WATCHED) == 0
                        && e.kind() != EventKind.PARK_BEGIN && e.kind() != EventKind.PARK_END
                        && e.kind() != EventKind.UNPARK && e.kind() != EventKind.THREAD_STATE)
                .filter(e -> !outermost || e.value() <= 1 || (e.kind() != EventKind.MONITOR_ACQUIRED
                        && e.kind() != EventKind.MONITOR_RELEASE))
                .map(run::describe).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void theOptionChoosesTheTypes(Jdks jdk) throws Exception {
        AgentRun none = AgentRun.run(jdk, dir, "jdkMonitors=none", "fixtures.JdkMonitors", List.of());
        assertThat(none.exitCode).as(none.stderr).isZero();
        assertThat(hooked(none, "worker", false)).containsExactly("THREAD_BEGIN", "THREAD_END");
        assertThat(none.reader.header().properties()).containsEntry("jdkMonitors", "");

        AgentRun some = AgentRun.run(jdk, dir.resolve(""), "out=" + dir.resolve("some.trace")
                + ",jdkMonitors=Vector;synchronizedCollections", "fixtures.JdkMonitors", List.of());
        assertThat(some.exitCode).as(some.stderr).isZero();
        assertThat(some.of("worker").stream().filter(e -> e.object() != null
                        && (e.flags() & EventFlags.WATCHED) == 0)
                .map(e -> e.object().className()).distinct())
                .containsExactly("java.util.Vector", "java.util.Collections$SynchronizedRandomAccessList");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void aBadTypeIsReportedOnceAndTheProgramRuns(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "out=" + dir.resolve("x.trace") + ",jdkMonitors=Vector;Map",
                "fixtures.Plain", List.of());
        assertThat(run.exitCode).isZero();
        assertThat(run.stdout.trim()).isEqualTo("plain ok");
        assertThat(run.stderrWithoutJvmNotes().lines()).containsExactly("tangle: bad agent option: option"
                + " jdkMonitors: unknown type 'Map' (known: all, none, or a ';'-separated list of Hashtable,"
                + " Properties, Vector, Stack, StringBuffer, synchronizedCollections); not recording");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void jitCompilesTheRewrittenJdkMethodsWithoutMonitorMismatch(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "", "fixtures.HotJdkMonitors",
                List.of("-XX:+PrintCompilation", "-Xlog:monitormismatch=info"));
        assertThat(run.exitCode).as(run.stderr).isZero();
        List<String> lines = run.stdout.lines().toList();
        for (String method : List.of("java.util.Hashtable::put", "java.util.Hashtable::get",
                "java.util.Vector::add", "java.lang.StringBuffer::append",
                "java.util.Collections$SynchronizedMap::put", "java.util.Collections$SynchronizedMap::get",
                "java.util.Collections$SynchronizedCollection::add")) {
            assertThat(lines).as("compilations of " + method + "\n" + run.stdout)
                    .anyMatch(l -> l.contains(method + " ") && !l.contains("made not entrant")
                            && !l.contains("COMPILE SKIPPED"));
        }
        // none of the rewritten classes' methods was refused ("Jvmti state change invalidated dependencies" is
        // not a refusal: a class was retransformed while the method compiled, and it is compiled again)
        assertThat(lines.stream().filter(l -> l.contains("COMPILE SKIPPED") && isRewritten(l)
                && !l.contains("Jvmti state change invalidated dependencies")
                || l.toLowerCase().contains("monitor mismatch") || l.contains("bailout"))).as(run.stdout).isEmpty();
    }

    private static boolean isRewritten(String compilationLine) {
        return compilationLine.contains("java.util.Hashtable::") || compilationLine.contains("java.util.Properties::")
                || compilationLine.contains("java.util.Vector::") || compilationLine.contains("java.util.Stack::")
                || compilationLine.contains("java.lang.StringBuffer::")
                || compilationLine.contains("java.util.Collections$Synchronized");
    }
}
