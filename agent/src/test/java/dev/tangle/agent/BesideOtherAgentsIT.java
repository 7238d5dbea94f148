package dev.tangle.agent;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent in the company it meets in real test JVMs: JaCoCo's agent and Mockito's inline mock maker (ByteBuddy
 * too, its own copy beside the agent's relocated one) in one JVM, and classes defined by child-first class loaders
 * as application servers have. Each program is run bare (no agent) and under the agent(s); the program's own
 * output must be the same, the other tool must still do its job (mocks, a coverage file) and the locks must be
 * recorded event for event (with {@code leafHolds=record}, so that every hold is three events).
 */
class BesideOtherAgentsIT {
    @TempDir
    Path dir;

    private static String lib(String name) {
        Path jar = Path.of(System.getProperty("tangle.itLibs", "target/it-libs"), name);
        assertThat(jar).exists();
        return jar.toString();
    }

    private static String mockitoClassPath() {
        return String.join(File.pathSeparator, lib("mockito-core-5.20.0.jar"), lib("byte-buddy-1.17.7.jar"),
                lib("byte-buddy-agent-1.17.7.jar"), lib("objenesis-3.3.jar"));
    }

    /** The three lock operations of one round, as the ledger thread does them. */
    private static final List<String> ROUND = List.of("MONITOR_REQUEST Ledger", "MONITOR_ACQUIRED Ledger",
            "MONITOR_RELEASE Ledger", "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
            "LOCK_RELEASE ReentrantLock");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void withJaCoCoAndMockitosInlineMockMaker(Jdks jdk) throws Exception {
        List<String> flags = jdk.feature() >= 21 ? List.of("-XX:+EnableDynamicAgentLoading") : List.of();
        Bare bare = Bare.run(jdk, dir, mockitoClassPath(), "fixtures.BesideOtherAgents", flags);
        assertThat(bare.exitCode).as(bare.stderr).isZero();
        assertThat(bare.stdout.trim()).isEqualTo("mocked 42, real 4, total 138, mock is a Prices");

        Path exec = dir.resolve("jacoco.exec");
        List<String> withJacoco = new ArrayList<>(flags);
        withJacoco.add("-javaagent:" + lib("org.jacoco.agent-0.8.15-runtime.jar") + "=destfile=" + exec);
        // three agents instrument at start: a hang guard longer than the usual one (startup took 40 s on 2 busy cores)
        AgentRun run = AgentRun.run(jdk, dir, "leafHolds=record", mockitoClassPath(), "fixtures.BesideOtherAgents",
                withJacoco, 180);

        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.stdout).as("the program's own output").isEqualTo(bare.stdout);
        assertThat(run.stderr.lines().filter(l -> l.startsWith("tangle:")).toList()).as("the agent's complaints")
                .isEmpty();
        // JaCoCo wrote its coverage data, with the program's classes in it
        assertThat(exec).exists();
        String data = new String(Files.readAllBytes(exec), StandardCharsets.ISO_8859_1);
        assertThat(data).contains("fixtures/BesideOtherAgents", "fixtures/BesideOtherAgents$Prices");
        // every lock operation of the ledger thread on the program's two locks, exactly: the monitor by its identity
        // hash, the ReentrantLock by its class (the agent records a lock under its synchronizer's identity)
        String ledgerHash = run.stderr.lines().filter(l -> l.startsWith("locks ")).findFirst().orElseThrow()
                .split(" ")[1];
        List<TraceEvent> ownEvents = run.of("ledger").stream().filter(e -> e.object() != null
                && (Integer.toHexString(e.object().identityHash()).equals(ledgerHash)
                || e.object().className().equals("java.util.concurrent.locks.ReentrantLock"))).toList();
        assertThat(ownEvents.stream().map(TraceEvent::objectId).distinct()).as("two locks").hasSize(2);
        List<String> own = ownEvents.stream().map(run::describe).toList();
        assertThat(own).isEqualTo(Collections.nCopies(3, ROUND).stream().flatMap(List::stream).toList());
        assertThat(run.reader.isComplete()).isTrue();
        assertThat(run.reader.lostEvents()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void withClassesOfChildFirstClassLoaders(Jdks jdk) throws Exception {
        Bare bare = Bare.run(jdk, dir, "", "fixtures.ChildFirstLoaders", List.of());
        assertThat(bare.exitCode).as(bare.stderr).isZero();
        assertThat(bare.stdout.lines()).containsExactly("webapp-a: 6", "webapp-b: 6",
                "two copies: true, loaded by webapp-a and webapp-b, not by the application loader: true");

        AgentRun run = AgentRun.run(jdk, dir, "leafHolds=record", "fixtures.ChildFirstLoaders", List.of());

        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.stdout).isEqualTo(bare.stdout);
        List<String> round = List.of("MONITOR_REQUEST Class", "MONITOR_ACQUIRED Class", "MONITOR_RELEASE Class",
                "MONITOR_REQUEST Object", "MONITOR_ACQUIRED Object", "MONITOR_RELEASE Object",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock", "LOCK_RELEASE ReentrantLock");
        List<Long> lockIds = new ArrayList<>();
        for (String thread : List.of("webapp-a", "webapp-b")) {
            List<TraceEvent> locks = run.of(thread).stream().filter(e -> e.kind().name().startsWith("MONITOR_")
                    || e.kind().name().startsWith("LOCK_")).toList();
            assertThat(locks.stream().map(run::describe).toList()).as(thread)
                    .isEqualTo(Collections.nCopies(2, round).stream().flatMap(List::stream).toList());
            lockIds.addAll(locks.stream().map(TraceEvent::objectId).distinct().toList());
            // the synchronized method's monitor is this loader's copy of the class
            assertThat(locks.get(0).kind()).isEqualTo(EventKind.MONITOR_REQUEST);
        }
        assertThat(lockIds).as("each copy has its own three locks").hasSize(6).doesNotHaveDuplicates();
        assertThat(run.reader.isComplete()).isTrue();
    }

    /** A program run without any agent. */
    private record Bare(String stdout, String stderr, int exitCode) {
        static Bare run(Jdks jdk, Path dir, String classpath, String mainClass, List<String> flags)
                throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
            cmd.addAll(flags);
            cmd.addAll(List.of("-cp", classpath.isEmpty() ? AgentRun.testClasses()
                    : AgentRun.testClasses() + File.pathSeparator + classpath, mainClass));
            Path out = dir.resolve("bare-stdout.txt");
            Path err = dir.resolve("bare-stderr.txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(mainClass + " did not end within 60 s on " + jdk);
            }
            return new Bare(Files.readString(out), Files.readString(err), p.exitValue());
        }
    }
}
