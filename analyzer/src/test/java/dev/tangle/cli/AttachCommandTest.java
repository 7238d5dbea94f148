package dev.tangle.cli;

import dev.tangle.agent.Jdks;
import dev.tangle.programs.DeadlockBeforeAttach;
import dev.tangle.programs.ProducerConsumerToAttach;
import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code tangle attach} and {@code tangle detach} on programs running in child JVMs, on JDK 17 and every JDK 21+
 * present (the CLI runs on the test JVM's JDK, so attaching crosses versions).
 */
class AttachCommandTest {
    private static final int SNAPSHOT = EventFlags.SNAPSHOT;

    @TempDir
    Path dir;

    /** Two threads deadlocked on two monitors before the attach: the snapshot shows it, the analyser finds it. */
    @ParameterizedTest
    @MethodSource("dev.tangle.agent.Jdks#all")
    void aDeadlockOnMonitorsThatExistsBeforeTheAttachIsInTheSnapshot(Jdks jdk) throws Exception {
        Path trace = dir.resolve("monitors.trace");
        try (Child child = Child.start(jdk, DeadlockBeforeAttach.class, "monitors", "60")) {
            child.awaitLine("deadlocked");

            Cli.Result r = Cli.run("attach", Long.toString(child.pid()), "--out", trace.toString(),
                    "--duration", "0.5");

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertReported(r, trace, child.pid(), "duration over: detached from JVM " + child.pid());
            assertOneDeadlockOfLeftAndRight(r.errLines());
            assertThat(child.process.isAlive()).as("the program goes on after the detach").isTrue();
        }
        Map<String, List<TraceEvent>> threads = eventsByThread(trace);
        List<TraceEvent> left = threads.get("left");
        List<TraceEvent> right = threads.get("right");
        String fork = DeadlockBeforeAttach.class.getName();
        // exactly: the thread, the monitor it holds, the one it waits for; all from the snapshot
        assertThat(left).extracting(TraceEvent::kind, TraceEvent::flags, e -> className(e))
                .containsExactly(
                        tuple(EventKind.THREAD_BEGIN, EventFlags.PREEXISTING | EventFlags.DAEMON | SNAPSHOT, null),
                        tuple(EventKind.MONITOR_ACQUIRED, SNAPSHOT, fork + "$LeftFork"),
                        tuple(EventKind.MONITOR_REQUEST, SNAPSHOT, fork + "$RightFork"));
        assertThat(right).extracting(TraceEvent::kind, TraceEvent::flags, e -> className(e))
                .containsExactly(
                        tuple(EventKind.THREAD_BEGIN, EventFlags.PREEXISTING | EventFlags.DAEMON | SNAPSHOT, null),
                        tuple(EventKind.MONITOR_ACQUIRED, SNAPSHOT, fork + "$RightFork"),
                        tuple(EventKind.MONITOR_REQUEST, SNAPSHOT, fork + "$LeftFork"));
        assertThat(left.get(0).text()).isEqualTo("left");
        assertThat(left.get(1).value()).isEqualTo(1);
        assertThat(left.get(1).objectId()).isEqualTo(right.get(2).objectId());
        assertThat(right.get(1).objectId()).isEqualTo(left.get(2).objectId());
        assertThat(left.get(1).object().identityHash()).isNotZero();
        assertThat(left.get(2).site().toString()).startsWith(fork + ".enterBoth(DeadlockBeforeAttach.java:");
        assertThat(left.get(2).stack().frames()).isNotEmpty();
        // holds come before requests in time, as the analyser's merge needs
        assertThat(left.get(2).time()).isGreaterThan(right.get(1).time());
        // main sleeps; the JVM's own threads are there too, the agent's and the attaching one are not
        assertThat(threads.get("main")).extracting(TraceEvent::kind)
                .containsExactly(EventKind.THREAD_BEGIN, EventKind.SLEEP_BEGIN);
        // main was running while its class was retransformed: the dump lacks its file, the agent knows it
        assertThat(threads.get("main").get(1).site().toString())
                .startsWith(fork + ".main(DeadlockBeforeAttach.java:");
        assertThat(threads).containsKey("Reference Handler").doesNotContainKeys("Attach Listener", "tangle-writer");

        // tangle analyze shows the blind spots in the header of its report, and the deadlock
        Cli.Result analyze = Cli.run("analyze", trace.toString());
        assertThat(analyze.exitCode()).isEqualTo(AnalyzeCommand.FINDINGS);
        assertThat(analyze.outLines().get(0)).startsWith("blind spot: ");
        assertThat(analyze.out()).contains("blind spot: synchronizedMethods: synchronized methods of classes loaded"
                + " before the attach");
        assertOneDeadlockOfLeftAndRight(analyze.outLines());
    }

    /**
     * The same with ReentrantLocks: held locks come from the dump as class and identity hash only, requests
     * with the real lock; both must get one id for the analyser to see the cycle.
     */
    @ParameterizedTest
    @MethodSource("dev.tangle.agent.Jdks#all")
    void aDeadlockOnReentrantLocksThatExistsBeforeTheAttachIsInTheSnapshot(Jdks jdk) throws Exception {
        Path trace = dir.resolve("locks.trace");
        try (Child child = Child.start(jdk, DeadlockBeforeAttach.class, "locks", "60")) {
            child.awaitLine("deadlocked");

            Cli.Result r = Cli.run("attach", Long.toString(child.pid()), "--out", trace.toString(),
                    "--duration", "0.5");

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertOneDeadlockOfLeftAndRight(r.errLines());
        }
        Map<String, List<TraceEvent>> threads = eventsByThread(trace);
        List<TraceEvent> left = threads.get("left");
        List<TraceEvent> right = threads.get("right");
        String lockClass = "java.util.concurrent.locks.ReentrantLock";
        for (List<TraceEvent> t : List.of(left, right)) {
            assertThat(t).extracting(TraceEvent::kind, TraceEvent::flags, e -> className(e))
                    .containsExactly(
                            tuple(EventKind.THREAD_BEGIN, EventFlags.PREEXISTING | EventFlags.DAEMON | SNAPSHOT, null),
                            tuple(EventKind.LOCK_ACQUIRED, SNAPSHOT, lockClass),
                            tuple(EventKind.LOCK_REQUEST, SNAPSHOT, lockClass));
        }
        assertThat(left.get(1).objectId()).isEqualTo(right.get(2).objectId()).isNotEqualTo(left.get(2).objectId());
        assertThat(right.get(1).objectId()).isEqualTo(left.get(2).objectId());
        assertThat(left.get(2).site().toString()).startsWith(DeadlockBeforeAttach.class.getName()
                + ".lockBoth(DeadlockBeforeAttach.java:");
    }

    /**
     * {@code attach --live}: the deadlock that already exists (from the snapshot) is printed while the JVM is still
     * recorded, before the duration ends, and not again in the final report.
     */
    @Test
    void liveAttachPrintsAnExistingDeadlockWhileRecording() throws Exception {
        Path trace = dir.resolve("live.trace");
        try (Child child = Child.start(Jdks.all().get(0), DeadlockBeforeAttach.class, "monitors", "60")) {
            child.awaitLine("deadlocked");

            Cli.Result r = Cli.run("attach", Long.toString(child.pid()), "--out", trace.toString(),
                    "--duration", "4", "--live");

            assertThat(r.exitCode()).as(r.err()).isZero();
            List<String> lines = r.errLines();
            assertOneDeadlockOfLeftAndRight(lines);
            int deadlock = indexOfFirst(lines, "error[DEADLOCK]");
            int ended = indexOfFirst(lines, "tangle: duration over");
            assertThat(deadlock).as(r.err()).isNotNegative().isLessThan(ended);
            assertThat(lines).as(r.err()).anyMatch(l -> l.endsWith(" (1 reported while the program ran)"));
        }
    }

    private static int indexOfFirst(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A running producer and consumer: after the snapshot, their real lock, condition, monitor and channel events;
     * {@code tangle detach} ends the recording with a complete trace and the program runs on and ends normally.
     * A second attach meanwhile, and one after the detach, are refused.
     */
    @ParameterizedTest
    @MethodSource("dev.tangle.agent.Jdks#all")
    void aRunningProducerAndConsumerAreRecordedUntilDetach(Jdks jdk) throws Exception {
        Path trace = dir.resolve("pc.trace");
        Path stop = dir.resolve("stop");
        Map<String, List<TraceEvent>> threads;
        try (Child child = Child.start(jdk, ProducerConsumerToAttach.class, stop.toString())) {
            child.awaitLine("ready");
            String pid = Long.toString(child.pid());
            CompletableFuture<Cli.Result> attach = CompletableFuture.supplyAsync(
                    () -> Cli.run("attach", pid, "--out", trace.toString()));
            awaitEvents(trace, attach);

            Cli.Result second = Cli.run("attach", pid, "--out", dir.resolve("second.trace").toString());
            assertThat(second.exitCode()).isEqualTo(2);
            assertThat(second.errLines()).containsExactly("tangle attach: JVM " + pid
                    + " is already being recorded by Tangle, to " + trace + " (stop that with 'tangle detach " + pid
                    + "')");

            Cli.Result detach = Cli.run("detach", pid);
            assertThat(detach.exitCode()).as(detach.err()).isZero();
            assertThat(detach.errLines()).singleElement().asString()
                    .startsWith("tangle: stopped recording JVM " + pid + " (application classes restored: ")
                    .endsWith("); the trace is " + trace);

            Cli.Result r = attach.get(30, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertReported(r, trace, child.pid(), "JVM " + pid + " stopped recording ('tangle detach')");
            assertThat(r.errLines()).last().asString().startsWith("no concurrency bugs found in " + trace);

            Cli.Result again = Cli.run("attach", pid);
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.errLines()).containsExactly("tangle attach: JVM " + pid + " was recorded by Tangle"
                    + " before (to " + trace + ") and cannot be recorded again until it restarts");

            Files.createFile(stop);
            assertThat(child.process.waitFor(20, TimeUnit.SECONDS)).as("the program ends by itself").isTrue();
            assertThat(child.process.exitValue()).as(child.output()).isZero();
            assertThat(child.output()).containsPattern("(?m)^done [1-9][0-9]*$");
        }
        try (TraceReader reader = TraceReader.open(trace)) {
            while (reader.next() != null) {
                // read to the end
            }
            assertThat(reader.isComplete()).as("the trace has its end chunk").isTrue();
        }
        threads = eventsByThread(trace);
        // each thread begins once, in the snapshot; the snapshot comes before every real event
        threads.forEach((name, events) -> {
            assertThat(events).filteredOn(e -> e.kind() == EventKind.THREAD_BEGIN).as(name).singleElement()
                    .satisfies(e -> assertThat(e.flags() & SNAPSHOT).isEqualTo(SNAPSHOT));
            assertThat(events.get(0).kind()).as(name).isEqualTo(EventKind.THREAD_BEGIN);
            int firstReal = indexOfFirstReal(events);
            assertThat(events.subList(firstReal, events.size())).as(name).noneMatch(e -> e.has(SNAPSHOT));
        });
        // "holder" entered the counter monitor and waits on it: the snapshot's id for that monitor (known by
        // class and hash only) is the id of the real events on it later
        List<TraceEvent> holder = threads.get("holder");
        assertThat(holder).extracting(TraceEvent::kind, TraceEvent::flags)
                .containsExactly(tuple(EventKind.THREAD_BEGIN, EventFlags.PREEXISTING | EventFlags.DAEMON | SNAPSHOT),
                        tuple(EventKind.MONITOR_ACQUIRED, SNAPSHOT), tuple(EventKind.WAIT_BEGIN, SNAPSHOT));
        long counter = holder.get(1).objectId();
        assertThat(holder.get(2).objectId()).isEqualTo(counter);
        assertThat(holder.get(1).object().className()).isEqualTo("java.lang.Object");
        List<TraceEvent> consumer = threads.get("consumer");
        assertThat(consumer).filteredOn(e -> !e.has(SNAPSHOT)).extracting(TraceEvent::kind)
                .contains(EventKind.LOCK_REQUEST, EventKind.LOCK_ACQUIRED, EventKind.LOCK_RELEASE,
                        EventKind.CONDITION_AWAIT_BEGIN, EventKind.CONDITION_AWAIT_END, EventKind.MONITOR_REQUEST,
                        EventKind.MONITOR_ACQUIRED, EventKind.MONITOR_RELEASE);
        assertThat(consumer).filteredOn(e -> e.kind() == EventKind.MONITOR_ACQUIRED && !e.has(SNAPSHOT))
                .allSatisfy(e -> assertThat(e.objectId()).isEqualTo(counter));
        assertThat(threads.get("main")).filteredOn(e -> !e.has(SNAPSHOT)).extracting(TraceEvent::kind)
                .contains(EventKind.LOCK_ACQUIRED, EventKind.CONDITION_SIGNAL, EventKind.LOCK_RELEASE);
        // the receipts channel, used only from methods called after the attach: its sends and receives
        assertThat(threads.get("main")).filteredOn(e -> e.kind() == EventKind.CHANNEL_SEND_END).isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.text()).isEqualTo("put");
                    assertThat(e.object().className()).isEqualTo("java.util.concurrent.LinkedBlockingQueue");
                    assertThat(e.object().capacity()).isEqualTo(Integer.MAX_VALUE);
                });
        assertThat(threads.get("auditor")).filteredOn(e -> !e.has(SNAPSHOT)).extracting(TraceEvent::kind)
                .contains(EventKind.CHANNEL_RECV_BEGIN, EventKind.CHANNEL_RECV_END)
                .doesNotContain(EventKind.LOCK_REQUEST, EventKind.CONDITION_AWAIT_BEGIN);
    }

    /** The program ends while recorded: its shutdown hook completes the trace, attach reports it. */
    @Test
    void aJvmThatExitsWhileRecordedLeavesACompleteTrace() throws Exception {
        Path trace = dir.resolve("exit.trace");
        Path stop = dir.resolve("stop");
        try (Child child = Child.start(Jdks.all().get(0), ProducerConsumerToAttach.class, stop.toString())) {
            child.awaitLine("ready");
            CompletableFuture<Cli.Result> attach = CompletableFuture.supplyAsync(
                    () -> Cli.run("attach", Long.toString(child.pid()), "--out", trace.toString()));
            awaitEvents(trace, attach);

            Files.createFile(stop);
            Cli.Result r = attach.get(30, TimeUnit.SECONDS);

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertReported(r, trace, child.pid(), "JVM " + child.pid() + " exited");
            assertThat(child.process.exitValue()).isZero();
        }
        try (TraceReader reader = TraceReader.open(trace)) {
            while (reader.next() != null) {
                // read to the end
            }
            assertThat(reader.isComplete()).as("the trace has its end chunk").isTrue();
        }
        assertThat(eventsByThread(trace).get("main")).last().extracting(TraceEvent::kind)
                .isEqualTo(EventKind.THREAD_END);
    }

    /**
     * Ctrl-C (here SIGTERM, the same shutdown) on a separate tangle process: it detaches, then reports. Tangle
     * runs on each JDK, the program on this one (so a JDK 25 tangle records a JDK 17 program).
     */
    @ParameterizedTest
    @MethodSource("dev.tangle.agent.Jdks#all")
    void interruptingAttachDetachesAndReports(Jdks cliJdk) throws Exception {
        Path trace = dir.resolve("interrupted.trace");
        Path stop = dir.resolve("stop");
        try (Child child = Child.start(Jdks.all().get(0), ProducerConsumerToAttach.class, stop.toString())) {
            child.awaitLine("ready");
            Path log = dir.resolve("tangle.log");
            Process tangle = new ProcessBuilder(cliJdk.java().toString(),
                    "-D" + RecordCommand.AGENT_JAR_PROPERTY + "=" + System.getProperty(RecordCommand.AGENT_JAR_PROPERTY),
                    "-cp", System.getProperty("java.class.path"), TangleCommand.class.getName(),
                    "attach", Long.toString(child.pid()), "--out", trace.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + 30_000;
                while (!(Files.exists(log) && Files.readString(log).contains("tangle: recording JVM"))) {
                    assertThat(System.currentTimeMillis()).as("attached").isLessThan(deadline);
                    assertThat(tangle.isAlive()).as(Files.readString(log)).isTrue();
                    Thread.sleep(50);
                }
                Thread.sleep(300);

                tangle.destroy();

                assertThat(tangle.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(log)).as("exit %d", tangle.exitValue()).contains(
                        "tangle: interrupted: detached from JVM " + child.pid(),
                        "tangle: trace written to " + trace, "no concurrency bugs found in " + trace);
            } finally {
                tangle.destroyForcibly();
            }
            assertThat(child.process.isAlive()).as("the program goes on").isTrue();
        }
        try (TraceReader reader = TraceReader.open(trace)) {
            while (reader.next() != null) {
                // read to the end
            }
            assertThat(reader.isComplete()).as("the trace has its end chunk").isTrue();
        }
    }

    @Test
    void aProcessThatIsNoJvmIsRefusedAndLeftAlone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Cli.Result r = Cli.run("attach", Long.toString(sleep.pid()));

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString().matches("tangle attach: process " + sleep.pid()
                    + " \\(.*sleep\\) is not a JVM that accepts attach");
            assertThat(sleep.isAlive()).as("not killed by an attach signal").isTrue();
        } finally {
            sleep.destroy();
        }
    }

    /**
     * A JVM of another user: refused before any attach is tried. Run as root, the test starts one as "nobody";
     * otherwise process 1 (root's) is the other user's process.
     */
    @Test
    void aProcessOfAnotherUserIsRefused() throws Exception {
        boolean root = System.getProperty("user.name").equals("root");
        Process other = null;
        try {
            long pid = 1;
            String owner = "root";
            if (root) {
                other = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        Jdks.all().get(0).java().toString(), "-cp", Path.of(DeadlockBeforeAttach.class
                                .getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                        DeadlockBeforeAttach.class.getName(), "monitors", "30").redirectErrorStream(true).start();
                pid = other.pid();
                long deadline = System.currentTimeMillis() + 10_000;
                while (owner.equals("root") && System.currentTimeMillis() < deadline) { // until setpriv has run
                    Thread.sleep(20);
                    owner = ProcessHandle.of(pid).flatMap(p -> p.info().user()).orElse("root");
                }
                assertThat(owner).isEqualTo("nobody");
            }

            Cli.Result r = Cli.run("attach", Long.toString(pid));

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).containsExactly("tangle attach: process " + pid + " belongs to user " + owner
                    + ", not " + System.getProperty("user.name") + ": a JVM accepts attach only from its own user"
                    + " (run tangle as " + owner + ")");
        } finally {
            if (other != null) {
                other.destroy();
                other.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aJvmThatRefusesAttachIsReported() throws Exception {
        Jdks jdk = Jdks.all().get(0);
        Process refusing = new ProcessBuilder(jdk.java().toString(), "-XX:+DisableAttachMechanism", "-cp",
                Path.of(DeadlockBeforeAttach.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString(), DeadlockBeforeAttach.class.getName(), "monitors", "30").start();
        try (Child child = new Child(refusing)) {
            child.awaitLine("deadlocked");

            Cli.Result r = Cli.run("attach", Long.toString(child.pid()));

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).containsExactly("tangle attach: JVM " + child.pid()
                    + " refuses attach: The VM does not support the attach mechanism");
            assertThat(refusing.isAlive()).isTrue();
        }
    }

    @Test
    void aPidWithoutProcessIsRefused() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();

        Cli.Result attach = Cli.run("attach", Long.toString(gone.pid()));
        Cli.Result detach = Cli.run("detach", Long.toString(gone.pid()));

        assertThat(attach.exitCode()).isEqualTo(2);
        assertThat(attach.errLines()).containsExactly("tangle attach: no process with PID " + gone.pid());
        assertThat(detach.exitCode()).isEqualTo(2);
        assertThat(detach.errLines()).containsExactly("tangle detach: no process with PID " + gone.pid());
    }

    @Test
    void detachingAJvmThatIsNotRecordedIsRefused() throws Exception {
        Path stop = dir.resolve("stop");
        try (Child child = Child.start(Jdks.all().get(0), ProducerConsumerToAttach.class, stop.toString())) {
            child.awaitLine("ready");

            Cli.Result r = Cli.run("detach", Long.toString(child.pid()));

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).containsExactly("tangle detach: JVM " + child.pid()
                    + " is not being recorded by Tangle");
            Files.createFile(stop);
            assertThat(child.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBadDurationIsAUsageError() {
        Cli.Result r = Cli.run("attach", "1", "--duration", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("tangle attach: --duration must be a positive number of seconds, not 0.0");
    }

    private static void assertReported(Cli.Result r, Path trace, long pid, String howItEnded) throws IOException {
        List<String> lines = r.errLines();
        assertThat(lines.get(0)).startsWith("tangle: recording JVM " + pid + " to " + trace);
        assertThat(lines.get(1)).isEqualTo("tangle: " + howItEnded);
        assertThat(lines.get(2)).matches("tangle: trace written to \\Q" + trace + "\\E \\(\\d+ events, "
                + Files.size(trace) + " bytes\\)");
        assertThat(lines).filteredOn(l -> l.startsWith("tangle: blind spot: ")).extracting(l -> l.substring(20,
                        l.indexOf(':', 20)))
                // leafHolds: the agent's default since the overhead merge (holds counted, not recorded one by one)
                .containsExactly("leafHolds", "preexisting", "runningFrames", "synchronizedMethods",
                        "virtualThreads");
        assertThat(lines).noneMatch(l -> l.startsWith("tangle: warning:"));
    }

    private static void assertOneDeadlockOfLeftAndRight(List<String> report) {
        assertThat(report).filteredOn(l -> l.startsWith("error[") || l.startsWith("warning["))
                .singleElement().asString()
                .startsWith("error[DEADLOCK]: Deadlock: \"left\" and \"right\" each hold a lock the other one waits");
    }

    private static String className(TraceEvent e) {
        return e.object() == null ? null : e.object().className();
    }

    private static int indexOfFirstReal(List<TraceEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            if (!events.get(i).has(SNAPSHOT)) {
                return i;
            }
        }
        return events.size();
    }

    /** Every event, per thread name, in each thread's order. */
    private static Map<String, List<TraceEvent>> eventsByThread(Path trace) throws IOException {
        Map<Long, List<TraceEvent>> byId = new LinkedHashMap<>();
        Map<String, List<TraceEvent>> byName = new LinkedHashMap<>();
        try (TraceReader reader = TraceReader.open(trace)) {
            for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
                byId.computeIfAbsent(e.threadId(), id -> new ArrayList<>()).add(e);
            }
            byId.forEach((id, events) -> byName.put(reader.threadName(id), events));
        }
        return byName;
    }

    /** Waits until the recording has written a few hundred events after the snapshot (or the attach failed). */
    private static void awaitEvents(Path trace, CompletableFuture<Cli.Result> attach) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !attach.isDone()) {
            if (Files.exists(trace) && Files.size(trace) > 8_000) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no events recorded: " + (attach.isDone() ? attach.get().err() : "timeout"));
    }

    /** A program of the test classes in a child JVM, its output collected. */
    private static final class Child implements AutoCloseable {
        final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        private Child(Process process) {
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            }, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Jdks jdk, Class<?> program, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "-cp",
                    Path.of(program.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                    program.getName()));
            command.addAll(List.of(args));
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        long pid() {
            return process.pid();
        }

        /** What the child printed; all of it once the child has ended. */
        String output() throws InterruptedException {
            if (!process.isAlive()) {
                reader.join(10_000);
            }
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        void awaitLineStartingWith(String prefix) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 30_000;
            synchronized (lines) {
                while (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0 || !process.isAlive()) {
                        throw new AssertionError("no line '" + prefix + "...' from the child: " + lines);
                    }
                    lines.wait(Math.min(left, 100));
                }
            }
        }

        void awaitLine(String line) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 20_000;
            synchronized (lines) {
                while (!lines.contains(line)) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0 || !process.isAlive()) {
                        throw new AssertionError("no line '" + line + "' from the child: " + lines);
                    }
                    lines.wait(Math.min(left, 100));
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
