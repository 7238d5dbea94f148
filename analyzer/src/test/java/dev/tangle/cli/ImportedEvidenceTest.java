package dev.tangle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tangle.programs.HangsUntilKilled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tangle analyze} on evidence made by the JDK's own tools against a child JVM ({@link HangsUntilKilled}):
 * {@code jstack -l}, {@code jcmd Thread.print -l}, JFR recordings (default.jfc and profile.jfc, dumped with
 * {@code jcmd JFR.dump} while the program hangs), and on Temurin 25 the JSON {@code Thread.dump_to_file}.
 */
class ImportedEvidenceTest {
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void jstackDumpOfAMonitorDeadlockGivesADeadlockNamingBothThreads() throws Exception {
        Process p = start(JAVA_HOME, List.of(), "monitors");
        Path dump = tool(JAVA_HOME, "jstack", "-l", Long.toString(p.pid()));
        assertThat(Files.readString(dump)).contains("Found one Java-level deadlock");

        JsonNode deadlock = onlyFinding(analyzeJson(dump), "DEADLOCK");
        assertThat(names(deadlock.get("threads"))).containsExactlyInAnyOrder("ab", "ba");
        assertThat(deadlock.get("resources")).hasSize(2);
        assertThat(deadlock.get("resources").get(0).get("className").asText()).isEqualTo("java.lang.Object");
        assertThat(deadlock.at("/details/coffman/circularWait/holds").asBoolean()).isTrue();
        // the same evidence fields as from a recording: what each holds and waits for, with the dump's stacks
        assertThat(deadlock.get("evidence")).hasSize(4);
        assertThat(deadlock.get("evidence").get(0).get("stack").get(0).asText())
                .startsWith("dev.tangle.programs.HangsUntilKilled.both(HangsUntilKilled.java:");

        // tangle dump shows the events the dump was turned into
        Cli.Result events = Cli.run("dump", dump.toString());
        assertThat(events.exitCode()).isZero();
        assertThat(events.outLines()).anyMatch(l -> l.contains("\"threadName\":\"ab\"")
                && l.contains("\"kind\":\"MONITOR_REQUEST\"") && l.contains("\"snapshot\""));
    }

    @Test
    void jcmdThreadPrintOfTheSameDeadlockGivesTheSameFindingAndTheTextReportSaysWhatADumpCannotShow()
            throws Exception {
        Process p = start(JAVA_HOME, List.of(), "monitors");
        Path dump = tool(JAVA_HOME, "jcmd", Long.toString(p.pid()), "Thread.print", "-l");
        Cli.Result r = Cli.run("analyze", dump.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(AnalyzeCommand.FINDINGS);
        assertThat(r.out()).contains("error[DEADLOCK]: Deadlock: \"ab\" and \"ba\"")
                .contains("blind spot: owners: latches, queues, conditions")
                .contains("(thread dump)");
    }

    @Test
    void jfrRecordingsWithDefaultAndProfileSettingsShowTheDeadlockThroughTheirThreadDump() throws Exception {
        // default.jfc dumps the threads at each chunk's start and end (JFR.dump ends one); profile.jfc only every
        // 60 s, so that recording is made with a shorter period, as docs/inputs.md advises
        for (String settings : List.of("settings=default", "settings=profile,jdk.ThreadDump#period=1s")) {
            Path jfr = dir.resolve("monitors-" + settings.hashCode() + ".jfr");
            Process p = start(JAVA_HOME, List.of("-XX:StartFlightRecording:name=t," + settings), "monitors");
            Thread.sleep(1500); // a periodic dump after the deadlock formed
            tool(JAVA_HOME, "jcmd", Long.toString(p.pid()), "JFR.dump", "name=t", "filename=" + jfr);
            assertThat(jfr).isRegularFile();

            JsonNode report = analyzeJson(jfr);
            JsonNode deadlock = onlyFinding(report, "DEADLOCK");
            assertThat(names(deadlock.get("threads"))).as(settings).containsExactlyInAnyOrder("ab", "ba");
            assertThat(report.at("/trace/format").asText()).isEqualTo("JFR recording");
            assertThat(report.at("/trace/blindSpots").toString()).contains("thresholds:")
                    .contains("jdk.JavaMonitorEnter " + (settings.contains("profile") ? "10 ms" : "20 ms"))
                    .contains("lockOrder:");
        }
    }

    @Test
    void aProfileRecordingWithoutAThreadDumpCannotShowTheDeadlockAndSaysSo() throws Exception {
        Path jfr = dir.resolve("profile.jfr");
        Process p = start(JAVA_HOME, List.of("-XX:StartFlightRecording:name=t,settings=profile"), "monitors");
        tool(JAVA_HOME, "jcmd", Long.toString(p.pid()), "JFR.dump", "name=t", "filename=" + jfr);
        JsonNode report = analyzeJson(jfr);
        assertThat(report.get("findings")).isEmpty();
        assertThat(report.at("/trace/blindSpots").toString())
                .contains("this recording has none, so no deadlock can be seen in it");
    }

    @Test
    void aReadToWriteUpgradeHangGivesItsFindingFromADump() throws Exception {
        Process p = start(JAVA_HOME, List.of(), "upgrade");
        Path dump = tool(JAVA_HOME, "jstack", "-l", Long.toString(p.pid()));
        JsonNode deadlock = onlyFinding(analyzeJson(dump), "DEADLOCK");
        assertThat(names(deadlock.get("threads"))).containsExactly("upgrader");
        assertThat(deadlock.get("resources").get(0).get("className").asText())
                .isEqualTo("java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync");
    }

    @Test
    void anUpgradeWhileOtherThreadsCanMoveIsFoundOnlyWhenDumpsSeeItLastFiveSeconds() throws Exception {
        Process p = start(JAVA_HOME, List.of(), "upgrade", "sleeping");
        Path first = tool(JAVA_HOME, "jstack", "-l", Long.toString(p.pid()));
        // main sleeps: it could hold the read lock and release it, so one dump proves nothing
        assertThat(analyzeJson(first).get("findings")).isEmpty();
        Thread.sleep(6000);
        Path second = tool(JAVA_HOME, "jstack", "-l", Long.toString(p.pid()));
        JsonNode deadlock = onlyFinding(analyzeJson(first.toString(), second.toString()), "DEADLOCK");
        assertThat(names(deadlock.get("threads"))).containsExactly("upgrader");
    }

    @Test
    void threeDumpsOfASpinningThreadNameIt() throws Exception {
        Process p = start(JAVA_HOME, List.of(), "spin");
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(tool(JAVA_HOME, "jstack", "-l", Long.toString(p.pid())).toString());
            Thread.sleep(700);
        }
        JsonNode livelock = onlyFinding(analyzeJson(files.toArray(String[]::new)), "LIVELOCK");
        assertThat(names(livelock.get("threads"))).containsExactly("spinner");
        assertThat(livelock.at("/details/rule").asText()).isEqualTo("no-progress");
        assertThat(livelock.at("/details/dumps").asInt()).isEqualTo(3);

        // the same three dumps appended to one file are the same trace
        Path log = dir.resolve("appended.txt");
        for (String f : files) {
            Files.writeString(log, Files.readString(Path.of(f)), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        assertThat(names(onlyFinding(analyzeJson(log.toString()), "LIVELOCK").get("threads")))
                .containsExactly("spinner");
    }

    @Test
    void aCorrectProgramsDumpsAndRecordingGiveNothing() throws Exception {
        Path jfr = dir.resolve("correct.jfr");
        Process p = start(JAVA_HOME, List.of("-XX:StartFlightRecording:name=t,settings=profile"), "correct");
        List<String> dumps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dumps.add(tool(JAVA_HOME, "jstack", "-l", Long.toString(p.pid())).toString());
            Thread.sleep(500);
        }
        tool(JAVA_HOME, "jcmd", Long.toString(p.pid()), "JFR.dump", "name=t", "filename=" + jfr);
        for (String f : dumps) {
            assertThat(analyzeJson(f).get("findings")).as(f).isEmpty();
        }
        assertThat(analyzeJson(dumps.toArray(String[]::new)).get("findings")).isEmpty();
        assertThat(analyzeJson(jfr.toString()).get("findings")).isEmpty();
    }

    @Test
    void temurin25JsonAndTextDumpsOfAMonitorDeadlock() throws Exception {
        assumeTrue(Files.isExecutable(TEMURIN_25.resolve("bin/java")), "Temurin 25 is not installed");
        Process p = start(TEMURIN_25, List.of(), "monitors");
        Path json = dir.resolve("threads.json");
        tool(TEMURIN_25, "jcmd", Long.toString(p.pid()), "Thread.dump_to_file", "-format=json", json.toString());
        JsonNode report = analyzeJson(json);
        assertThat(names(onlyFinding(report, "DEADLOCK").get("threads"))).containsExactlyInAnyOrder("ab", "ba");
        assertThat(report.at("/trace/format").asText()).isEqualTo("JSON thread dump");
        Path text = tool(TEMURIN_25, "jstack", "-l", Long.toString(p.pid()));
        assertThat(names(onlyFinding(analyzeJson(text), "DEADLOCK").get("threads")))
                .containsExactlyInAnyOrder("ab", "ba");
    }

    @Test
    void aTruncatedRecordingAndATextThatIsNoDumpAreOneLineErrors() throws Exception {
        Process p = start(JAVA_HOME, List.of("-XX:StartFlightRecording:name=t"), "monitors");
        Path jfr = dir.resolve("whole.jfr");
        tool(JAVA_HOME, "jcmd", Long.toString(p.pid()), "JFR.dump", "name=t", "filename=" + jfr);
        byte[] bytes = Files.readAllBytes(jfr);
        Path cut = dir.resolve("cut.jfr");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Cli.Result r = Cli.run("analyze", cut.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("tangle analyze: " + cut + ": not a readable JFR recording");

        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "\"main\" is a thread name, but this is no thread dump\n");
        r = Cli.run("analyze", notes.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).containsExactly("tangle analyze: " + notes
                + ": not a Tangle trace, a JFR recording or a thread dump (told by content: trace magic, JFR magic"
                + " FLR\\0, \"Full thread dump\" text or a JSON threadDump)");

        Cli.Result mixed = Cli.run("analyze", jfr.toString(), jfr.toString());
        assertThat(mixed.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(mixed.err()).contains("only thread dumps can be read together");
    }

    // ---- helpers

    private Process start(Path javaHome, List<String> jvmArgs, String... scenario) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HangsUntilKilled.class.getName()));
        command.addAll(List.of(scenario));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            // JFR prints its own lines on startup
        }
        assertThat(line).as("the program did not get ready: " + command).isEqualTo("ready");
        return p;
    }

    /** Runs a JDK tool to its end; its stdout goes to a file (or the tool writes its own). */
    private Path tool(Path javaHome, String name, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, name, ".txt");
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve(name).toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(name + " ended").isTrue();
        assertThat(p.exitValue()).as(command + ": " + Files.readString(out)).isZero();
        return out;
    }

    private static JsonNode analyzeJson(Path file) throws IOException {
        return analyzeJson(file.toString());
    }

    private static JsonNode analyzeJson(String... files) throws IOException {
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "json"));
        args.addAll(List.of(files));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isIn(ExitCodes.OK, AnalyzeCommand.FINDINGS);
        return dev.tangle.report.JsonReport.mapper().readTree(r.out());
    }

    private static JsonNode onlyFinding(JsonNode report, String type) {
        JsonNode findings = report.get("findings");
        assertThat(findings).as(findings.toPrettyString()).hasSize(1);
        assertThat(findings.get(0).get("type").asText()).isEqualTo(type);
        return findings.get(0);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
