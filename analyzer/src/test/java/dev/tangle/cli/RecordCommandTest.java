package dev.tangle.cli;

import dev.tangle.programs.DeadlockUntilTold;
import dev.tangle.samples.deadlock.PrintSumDeadlock;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RecordCommandTest {
    @TempDir
    Path dir;

    /** Runs PrintSumDeadlock in a child JVM under the real agent and finds the ABBA deadlock in its trace. */
    @Test
    void recordsPrintSumDeadlock() throws IOException, URISyntaxException {
        assertThat(Path.of(System.getProperty(RecordCommand.AGENT_JAR_PROPERTY, "(unset)")))
                .as("the agent jar (package the agent module first: mvn verify builds it before these tests)")
                .isRegularFile();
        Path trace = dir.resolve("printsum.trace");
        Path childLog = dir.resolve("child.log");

        Cli.Result r = Cli.run(cmd -> ((RecordCommand) cmd.getSubcommands().get("record").getCommand())
                        .redirectChildOutput(childLog),
                "record", "--out", trace.toString(), "--stacks", "all", "--",
                "-cp", samplesClassPath(), PrintSumDeadlock.class.getName());

        assertThat(Files.readString(childLog)).contains("deadlock: each thread holds one value");
        assertThat(r.exitCode()).isZero();
        assertThat(r.errLines().get(0))
                .matches("tangle: trace written to \\Q" + trace + "\\E \\(\\d+ events, " + Files.size(trace)
                        + " bytes\\)");
        // then the analysis: exactly one deadlock, of the two workers
        assertThat(r.errLines()).filteredOn(l -> l.startsWith("error[") || l.startsWith("warning["))
                .singleElement().asString().startsWith("error[DEADLOCK]: Deadlock: \"printSum(a, b)\" and"
                        + " \"printSum(b, a)\"");
        assertThat(r.err()).contains("at dev.tangle.samples.deadlock.PrintSumDeadlock.printSum(PrintSumDeadlock.java:");
        assertThat(r.errLines().get(r.errLines().size() - 1)).startsWith("1 finding (1 DEADLOCK) in " + trace);

        Map<String, Worker> workers = replay(trace);
        Worker ab = workers.get("printSum(a, b)");
        Worker ba = workers.get("printSum(b, a)");
        assertThat(ab).as("events of printSum(a, b)").isNotNull();
        assertThat(ba).as("events of printSum(b, a)").isNotNull();
        assertThat(ab.held()).hasSize(1);
        assertThat(ba.held()).hasSize(1);
        // each one asks for the monitor the other holds, and never gets it
        assertThat(ab.waitingFor).isEqualTo(ba.held().get(0));
        assertThat(ba.waitingFor).isEqualTo(ab.held().get(0));
        assertThat(ab.waitingClass).isEqualTo(PrintSumDeadlock.class.getName() + "$Value");
    }

    /**
     * With --live the deadlock is printed while the program runs: the program (deadlocked, waiting for a file)
     * only ends once the test has seen the DEADLOCK on stderr. At the end it is not printed again.
     */
    @Test
    void liveRecordPrintsTheDeadlockWhileTheProgramRuns() throws Exception {
        Path trace = dir.resolve("live.trace");
        Path go = dir.resolve("go");
        StringWriter err = new StringWriter();
        String classPath = Path.of(DeadlockUntilTold.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString();
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run(cmd -> {
                    ((RecordCommand) cmd.getSubcommands().get("record").getCommand())
                            .redirectChildOutput(dir.resolve("child.log"));
                    cmd.setErr(new PrintWriter(err, true));
                }, "record", "--live", "--out", trace.toString(), "--", "-cp", classPath,
                DeadlockUntilTold.class.getName(), go.toString()));
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!err.toString().contains("error[DEADLOCK]") && !run.isDone()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(run).as("record still runs the deadlocked program").isNotDone();
        } finally {
            Files.createFile(go);
        }
        Cli.Result r = run.get(60, TimeUnit.SECONDS);

        assertThat(r.exitCode()).isZero();
        List<String> lines = err.toString().lines().toList();
        int found = lines.indexOf("tangle: found while the program runs:");
        assertThat(found).isNotNegative();
        assertThat(lines.get(found + 1)).startsWith("error[DEADLOCK]: Deadlock: \"ab\" and \"ba\"");
        assertThat(lines).filteredOn(l -> l.startsWith("error[") || l.startsWith("warning[")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("tangle: trace written to " + trace)).singleElement()
                .satisfies(l -> assertThat(lines.indexOf(l)).isGreaterThan(found));
        assertThat(lines.get(lines.size() - 1)).startsWith("1 finding (1 DEADLOCK) in " + trace)
                .endsWith(" (1 reported while the program ran)");
    }

    @Test
    void noJavaArgumentsIsAUsageError() {
        Cli.Result r = Cli.run("record", "--out", dir.resolve("x.trace").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("tangle record: Missing required parameter: 'JAVA_ARGS'");
    }

    @Test
    void javaOptionsBeforeTheSeparatorAreAUsageError() {
        Cli.Result r = Cli.run("record", "-cp", "app.jar", "Main");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("tangle record: Unknown option: '-cp'")
                .contains("java arguments go after '--'");
    }

    @Test
    void badStackOptionsAreOneErrorLine() {
        Cli.Result mode = Cli.run("record", "--stacks", "sometimes", "--", "Main");
        Cli.Result depth = Cli.run("record", "--stack-depth", "0", "--", "Main");
        Cli.Result notANumber = Cli.run("record", "--stack-depth", "deep", "--", "Main");

        assertThat(mode.exitCode()).isEqualTo(2);
        assertThat(mode.errLines()).containsExactly("tangle record: --stacks must be first, all or none, not"
                + " 'sometimes' (see 'tangle record --help')");
        assertThat(depth.exitCode()).isEqualTo(2);
        assertThat(depth.errLines()).containsExactly("tangle record: --stack-depth must be between 1 and 1024,"
                + " not 0 (see 'tangle record --help')");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.errLines()).singleElement().asString()
                .startsWith("tangle record: Invalid value for option '--stack-depth'");
    }

    @Test
    void missingAgentJarIsOneErrorLine() {
        String saved = System.clearProperty(RecordCommand.AGENT_JAR_PROPERTY);
        try {
            Cli.Result r = Cli.run("record", "--out", dir.resolve("x.trace").toString(), "--", "Main");

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).containsExactly("tangle record: the agent jar is unknown: system property"
                    + " tangle.agentJar is not set (run tangle through the ./tangle launcher)");
        } finally {
            if (saved != null) {
                System.setProperty(RecordCommand.AGENT_JAR_PROPERTY, saved);
            }
        }
    }

    @Test
    void defaultTraceNameHasTheMainClassAndTheTime() {
        LocalDateTime at = LocalDateTime.of(2025, 11, 22, 5, 7, 9);

        assertThat(RecordCommand.defaultFileName(List.of("-cp", "a.jar", "-Xmx1g", "com.example.Main", "x"), at))
                .isEqualTo("tangle-Main-20251122-050709.trace");
        assertThat(RecordCommand.mainName(List.of("--module-path", "mods", "-m", "app/com.example.App")))
                .isEqualTo("App");
        assertThat(RecordCommand.mainName(List.of("-Dx=y", "Outer$Inner"))).isEqualTo("Inner");
        assertThat(RecordCommand.mainName(List.of("Hello.java"))).isEqualTo("Hello");
        assertThat(RecordCommand.mainName(List.of("-version"))).isEqualTo("java");
        assertThat(RecordCommand.mainName(List.of("-jar", "missing.jar"))).isEqualTo("java");
    }

    /** Per thread: the monitors it still holds at the end, and the one it asked for last and never got. */
    private static final class Worker {
        final Map<Long, Integer> holds = new HashMap<>();
        long waitingFor;
        String waitingClass;

        List<Long> held() {
            return holds.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        }
    }

    private static Map<String, Worker> replay(Path trace) throws IOException {
        Map<Long, Worker> byThread = new HashMap<>();
        Map<String, Worker> byName = new HashMap<>();
        try (TraceReader reader = TraceReader.open(trace)) {
            for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
                Worker w = byThread.computeIfAbsent(e.threadId(), id -> new Worker());
                if (e.kind() == EventKind.MONITOR_REQUEST) {
                    w.waitingFor = e.objectId();
                    w.waitingClass = e.object() == null ? null : e.object().className();
                } else if (e.kind() == EventKind.MONITOR_ACQUIRED) {
                    w.holds.merge(e.objectId(), 1, Integer::sum);
                    if (w.waitingFor == e.objectId()) {
                        w.waitingFor = 0;
                    }
                } else if (e.kind() == EventKind.MONITOR_RELEASE) {
                    w.holds.merge(e.objectId(), -1, Integer::sum);
                }
            }
            reader.threadNames().forEach((id, name) -> byName.put(name, byThread.get(id)));
        }
        return byName;
    }

    private static String samplesClassPath() throws URISyntaxException {
        return Path.of(PrintSumDeadlock.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
