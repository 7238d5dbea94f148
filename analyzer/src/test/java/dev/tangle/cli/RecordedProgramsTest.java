package dev.tangle.cli;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.Severity;
import dev.tangle.model.ModelBuilder;
import dev.tangle.programs.CountedLockHolds;
import dev.tangle.programs.DaemonAwaitsDeadLatch;
import dev.tangle.programs.DaemonConsumerOfDeadProducer;
import dev.tangle.programs.DaemonNotifiedBeforeWait;
import dev.tangle.programs.ExecutorNeverShutDown;
import dev.tangle.programs.IdleDaemons;
import dev.tangle.programs.InversionThatDidNotHang;
import dev.tangle.programs.JoinOrderedInversion;
import dev.tangle.programs.OrderedInversionBehindGate;
import dev.tangle.programs.LockCycleDeadlock;
import dev.tangle.programs.OrderedLocking;
import dev.tangle.programs.PoisonPillPipeline;
import dev.tangle.programs.PoliteLivelock;
import dev.tangle.programs.PoolsMapsAndStreams;
import dev.tangle.programs.SameThreadInversion;
import dev.tangle.programs.SignalNobodySends;
import dev.tangle.programs.StartOrderedInversion;
import dev.tangle.programs.TryLockBackoff;
import dev.tangle.samples.deadlock.PrintSumDeadlock;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real programs recorded under the real agent in a child JVM, then analysed: both sides of precision. */
class RecordedProgramsTest {
    @TempDir
    Path dir;

    private List<Finding> record(Class<?> program, String... args) throws IOException, URISyntaxException {
        return Detectors.analyze(ModelBuilder.build(record(dir, program, List.of(), args)));
    }

    /**
     * Records {@code program} (with the test classes, the samples and {@code libraries} on its class path) under
     * the real agent in a child JVM through {@code tangle record}; returns the trace.
     */
    static Path record(Path dir, Class<?> program, List<Class<?>> libraries, String... args)
            throws IOException, URISyntaxException {
        String name = program.getSimpleName() + String.join("-", args);
        Path trace = dir.resolve(name + ".trace");
        Path log = dir.resolve(name + ".log");
        List<String> command = new java.util.ArrayList<>(List.of("record", "--no-analyze", "--out",
                trace.toString(), "--", "-cp", classPath(program, libraries), program.getName()));
        command.addAll(List.of(args));
        Cli.Result r = Cli.run(cmd -> ((RecordCommand) cmd.getSubcommands().get("record").getCommand())
                        .redirectChildOutput(log), command.toArray(String[]::new));
        assertThat(r.exitCode()).as("exit code; child output: %s", Files.exists(log) ? Files.readString(log) : "")
                .isZero();
        return trace;
    }

    private static String classPath(Class<?> program) throws URISyntaxException {
        return classPath(program, List.of());
    }

    private static String classPath(Class<?> program, List<Class<?>> libraries) throws URISyntaxException {
        StringBuilder path = new StringBuilder(location(program)).append(File.pathSeparator)
                .append(location(PrintSumDeadlock.class));
        for (Class<?> library : libraries) {
            path.append(File.pathSeparator).append(location(library));
        }
        return path.toString();
    }

    static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void abbaMonitorsAreExactlyOneDeadlock() throws Exception {
        assertThat(record(PrintSumDeadlock.class)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("printSum(a, b)", "printSum(b, a)");
        });
    }

    /**
     * The same inversion looped until it deadlocks: by then the requests are in contexts already recorded, which
     * the agent defers (not in the trace while the thread waits). The stall watcher and the end of the recording
     * still give exactly one DEADLOCK.
     */
    @Test
    void abbaMonitorsLoopedUntilTheyDeadlockAreExactlyOneDeadlock() throws Exception {
        assertThat(record(fixtures.RepeatedCrossing.class)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("left", "right");
            assertThat(f.resources()).hasSize(2);
        });
    }

    /** Monitors taken and requested inside JDK code (JDK-6582568): only the stall watcher sees them. */
    @Test
    void twoThreadsCrossingHashtableEqualsAreExactlyOneDeadlockWithTheJvmsStacks() throws Exception {
        assertThat(record(fixtures.HashtableCrossing.class)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("left", "right");
            assertThat(f.resources()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.className()).isEqualTo("java.util.Hashtable"));
            for (String thread : List.of("left", "right")) {
                assertThat(f.evidence()).anySatisfy(e -> {
                    assertThat(e.what()).startsWith("\"" + thread + "\" waits for Hashtable@");
                    assertThat(e.stack().get(0)).startsWith("java.util.Hashtable.");
                    assertThat(e.stack()).anyMatch(s -> s.startsWith(
                            "fixtures.HashtableCrossing.compareForEver(HashtableCrossing.java:"));
                });
                assertThat(f.evidence()).anySatisfy(e -> {
                    assertThat(e.what()).startsWith("\"" + thread + "\" holds Hashtable@");
                    assertThat(e.stack().get(0)).startsWith("java.util.Hashtable.equals(");
                });
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"pair", "subclass"})
    void aClassInitialisationCycleIsExactlyOneDeadlockOnClassInitResources(String shape) throws Exception {
        List<String> classes = shape.equals("pair")
                ? List.of("fixtures.ClassInitCycle$Ping", "fixtures.ClassInitCycle$Pong")
                : List.of("fixtures.ClassInitCycle$Base", "fixtures.ClassInitCycle$Derived");
        assertThat(record(fixtures.ClassInitCycle.class, shape)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("first", "second");
            assertThat(f.resources()).extracting(r -> r.className()).containsExactlyInAnyOrderElementsOf(classes);
            assertThat(f.resources()).allSatisfy(r -> assertThat(r.kind()).isEqualTo("CLASS_INIT"));
            for (String thread : List.of("first", "second")) {
                assertThat(f.evidence()).anySatisfy(e -> {
                    assertThat(e.what()).startsWith("\"" + thread + "\" runs the initialisation of class ");
                    assertThat(e.stack()).isNotEmpty();
                });
                assertThat(f.evidence()).anySatisfy(e -> {
                    assertThat(e.what()).startsWith("\"" + thread + "\" waits for the initialisation of class ");
                    assertThat(e.stack().get(0)).startsWith("fixtures.ClassInitCycle");
                });
            }
        });
    }

    /** The clean twins: a monitor held a while inside the JDK, a slow static initialiser. */
    @Test
    void slowButNotStuckThreadsAreNoFinding() throws Exception {
        assertThat(record(fixtures.SlowButNotStuck.class)).isEmpty();
    }

    @Test
    void aReentrantLockCycleOfThreeIsExactlyOneDeadlock() throws Exception {
        assertThat(record(LockCycleDeadlock.class)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("cycle-0", "cycle-1", "cycle-2");
            assertThat(f.resources()).hasSize(3)
                    .allSatisfy(r -> assertThat(r.className()).isEqualTo("java.util.concurrent.locks.ReentrantLock"));
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.stack()).anyMatch(
                    s -> s.startsWith("dev.tangle.programs.LockCycleDeadlock.lambda$main$0(LockCycleDeadlock.java:")));
        });
    }

    @Test
    void anInversionThatDidNotHangIsAPotentialDeadlock() throws Exception {
        assertThat(record(InversionThatDidNotHang.class)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.POTENTIAL_DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("forward", "backward");
            assertThat(f.evidence()).hasSize(4);
        });
    }

    /** The one finding of {@code program}: a NOTE potential deadlock kept apart by {@code orderedBy}. */
    private void assertOrderedInversion(Class<?> program, String orderedBy, String... threads) throws Exception {
        assertThat(record(program)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.POTENTIAL_DEADLOCK);
            assertThat(f.severity()).isEqualTo(Severity.NOTE);
            assertThat(f.details()).containsEntry("orderedBy", orderedBy);
            assertThat(f.threads()).containsExactlyInAnyOrder(threads);
            assertThat(f.summary()).contains("where these paths run at the same time");
            assertThat(f.evidence()).hasSize(4).allSatisfy(e -> assertThat(e.stack()).anyMatch(s -> s.startsWith(
                    "dev.tangle.programs." + program.getSimpleName() + ".")));
        });
    }

    @Test
    void anInversionThatJoinKeptApartIsANote() throws Exception {
        assertOrderedInversion(JoinOrderedInversion.class, "join", "first", "second");
    }

    @Test
    void anInversionThatStartKeptApartIsANote() throws Exception {
        assertOrderedInversion(StartOrderedInversion.class, "start", "first", "second");
    }

    @Test
    void anInversionMadeByOneThreadIsANote() throws Exception {
        assertOrderedInversion(SameThreadInversion.class, "sameThread", "worker");
    }

    /** The one finding of {@code program}: a stuck daemon, naming it then the ended threads that served it. */
    private void assertStuckDaemon(Class<?> program, String because, String... threads) throws Exception {
        assertThat(record(program)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactly(threads);
            assertThat(f.summary()).startsWith("Stuck daemon: \"" + threads[0] + "\" ").contains(because);
            assertThat(f.details()).containsEntry("daemon", true);
            assertThat(f.evidence().get(0).stack()).anyMatch(s -> s.startsWith(
                    "dev.tangle.programs." + program.getSimpleName() + ".lambda$main$"));
        });
    }

    @Test
    void aDaemonConsumerWhoseOnlyProducerDiedIsAStuckDaemon() throws Exception {
        assertStuckDaemon(DaemonConsumerOfDeadProducer.class, "\"producer\" died of"
                + " java.lang.IllegalStateException", "consumer", "producer");
    }

    @Test
    void aDaemonAwaitingALatchNothingCanCountDownIsAStuckDaemon() throws Exception {
        assertStuckDaemon(DaemonAwaitsDeadLatch.class, "nothing can count it down any more", "awaiter", "worker-1");
    }

    @Test
    void aDaemonWaitingForANotifySentBeforeItsWaitIsAStuckDaemon() throws Exception {
        assertStuckDaemon(DaemonNotifiedBeforeWait.class, "(a lost wake-up)", "waiter", "starter");
    }

    @Test
    void anExecutorNeverShutDownIsOneThreadLeakWithItsCreationStack() throws Exception {
        assertThat(record(ExecutorNeverShutDown.class)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.THREAD_LEAK);
            assertThat(f.threads()).containsExactlyInAnyOrder("pool-1-thread-1", "pool-1-thread-2",
                    "pool-1-thread-3");
            assertThat(f.evidence().get(0).stack()).anyMatch(s -> s.startsWith(
                    "dev.tangle.programs.ExecutorNeverShutDown.main(ExecutorNeverShutDown.java:"));
        });
    }

    @RepeatedTest(3) // once failed on a loaded machine before the program kept its threads in step
    void twoPoliteThreadsRetryingInStepAreALivelock() throws Exception {
        assertThat(record(PoliteLivelock.class)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.LIVELOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("polite-left", "polite-right");
        });
    }

    /** A program that hangs, stopped (SIGTERM) once it has: the agent still writes a complete trace. */
    @Test
    void aHungProgramIsACommunicationDeadlock() throws Exception {
        Path trace = dir.resolve("hang.trace");
        Process child = new ProcessBuilder(RecordCommand.javaExecutable(),
                "-javaagent:" + System.getProperty(RecordCommand.AGENT_JAR_PROPERTY) + "=out=" + trace,
                "-cp", classPath(SignalNobodySends.class), SignalNobodySends.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("hang.log").toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.readString(dir.resolve("hang.log")).contains("started")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500); // the waiter is waiting by now
        } finally {
            child.destroy();
            assertThat(child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        List<Finding> findings = Detectors.analyze(ModelBuilder.build(trace));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("main", "waiter");
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.what()).startsWith("\"waiter\" awaits a signal"));
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.stack()).anyMatch(s -> s.startsWith(
                    "dev.tangle.programs.SignalNobodySends.lambda$main$0(SignalNobodySends.java:")));
            // the lost wake-up: the signal main sent before the waiter waited
            assertThat(f.evidence()).anySatisfy(e -> {
                assertThat(e.what()).isEqualTo("the last signal() on it came before \"waiter\" began to wait"
                        + " (a lost wake-up), here");
                assertThat(e.thread()).isEqualTo("main");
                assertThat(e.stack().get(0)).startsWith("dev.tangle.programs.SignalNobodySends.main("
                        + "SignalNobodySends.java:");
            });
        });
    }

    @ParameterizedTest
    @ValueSource(classes = {OrderedLocking.class, TryLockBackoff.class, PoisonPillPipeline.class,
            PoolsMapsAndStreams.class, OrderedInversionBehindGate.class, IdleDaemons.class})
    void correctProgramsHaveNoFindings(Class<?> program) throws Exception {
        assertThat(record(program)).isEmpty();
    }
    /** Every hold of a lock is in the model, recorded (a Hold) or counted by the agent (CountedHolds). */
    @Test
    void theModelHasEveryHoldRecordedOrCounted() throws Exception {
        dev.tangle.model.TraceModel model = ModelBuilder.build(record(dir, CountedLockHolds.class, List.of()));
        assertThat(model.summary().lostEvents()).as("lost events").isZero();
        dev.tangle.model.Resource lock = model.resources().stream()
                .filter(r -> r.className().equals("java.util.concurrent.locks.ReentrantLock")).findFirst()
                .orElseThrow();
        assertThat(model.countedHoldCount()).as("holds counted").isPositive();
        for (dev.tangle.model.ThreadInfo t : model.threads()) {
            if (t.name().startsWith("holder-")) {
                long recorded = model.holds(lock.id()).stream().filter(h -> h.threadId() == t.id()).count();
                long counted = model.countedHolds(lock.id()).stream().filter(c -> c.threadId() == t.id())
                        .mapToLong(dev.tangle.model.CountedHolds::count).sum();
                assertThat(recorded + counted).as("holds of %s", t.name()).isEqualTo(CountedLockHolds.PER_THREAD);
            }
        }
        assertThat(Detectors.analyze(model)).isEmpty();
    }
}
