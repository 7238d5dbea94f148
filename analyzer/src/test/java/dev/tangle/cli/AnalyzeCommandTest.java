package dev.tangle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tangle.model.BenchmarkTrace;
import dev.tangle.model.SyntheticTrace;
import dev.tangle.report.JsonReport;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzeCommandTest {
    @TempDir
    Path dir;

    private Path abba() throws IOException {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "main", 0).start(2, 1, 2, "ab", SyntheticTrace.DAEMON)
                .start(4, 1, 3, "ba", SyntheticTrace.DAEMON);
        tr.enter(10, 2, a).enter(12, 3, b);
        tr.ev(20, 2, EventKind.MONITOR_REQUEST, b).ev(22, 3, EventKind.MONITOR_REQUEST, a);
        tr.end(70, 1).endAt(80);
        return tr.write(dir.resolve("abba.trace"));
    }

    private Path clean() throws IOException {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        tr.begin(1, 1, "main", 0).enter(10, 1, a).exit(12, 1, a).end(20, 1);
        return tr.write(dir.resolve("clean.trace"));
    }

    @Test
    void aCleanTraceExitsZeroAndSaysSo() throws IOException {
        Path trace = clean();
        Cli.Result r = Cli.run("analyze", trace.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines()).containsExactly("no concurrency bugs found in " + trace
                + ": 5 events, 1 threads, 0.000 s");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aDeadlockIsReportedLikeACompilerErrorAndExitsOne() throws IOException {
        Path trace = abba();
        Cli.Result r = Cli.run("analyze", trace.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.outLines().get(0)).startsWith("error[DEADLOCK]: Deadlock: \"ab\" and \"ba\" each hold");
        assertThat(r.out()).contains("  threads: \"ab\", \"ba\"", "        at dev.example.App.run(App.java:20)",
                "    circular wait: ", "    no preemption: ");
        assertThat(r.outLines().get(r.outLines().size() - 1)).startsWith("1 finding (1 DEADLOCK) in " + trace);
    }

    @Test
    void jsonHasTheFindingsAndTheTraceSummary() throws IOException {
        Cli.Result r = Cli.run("analyze", "--format", "json", abba().toString());

        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode root = JsonReport.mapper().readTree(r.out());
        assertThat(root.get("findings")).hasSize(1);
        JsonNode f = root.get("findings").get(0);
        assertThat(iterable(f.fieldNames())).containsExactly("id", "type", "severity", "summary", "threads",
                "resources", "time", "evidence", "details");
        assertThat(f.get("type").asText()).isEqualTo("DEADLOCK");
        assertThat(f.get("threads").toString()).isEqualTo("[\"ab\",\"ba\"]");
        assertThat(f.get("resources").get(0).get("className").asText()).isEqualTo("dev.example.B");
        assertThat(f.get("evidence").get(1).get("stack").get(0).asText())
                .isEqualTo("dev.example.App.run(App.java:20)");
        assertThat(f.get("details").get("coffman").get("circularWait").get("holds").asBoolean()).isTrue();
        assertThat(root.get("trace").get("events").asLong()).isEqualTo(12);
        assertThat(root.get("trace").get("complete").asBoolean()).isTrue();
    }

    @Test
    void failOnLimitsWhatMakesTheExitCodeOne() throws IOException {
        Path trace = abba();
        assertThat(Cli.run("analyze", "--fail-on", "THREAD_LEAK,potential-deadlock", trace.toString()).exitCode())
                .isZero();
        assertThat(Cli.run("analyze", "--fail-on", "deadlock", trace.toString()).exitCode()).isEqualTo(1);
    }

    /** The ABBA deadlock, and before it "main" takes C then D, later D then C: a same-thread inversion (a note). */
    private Path abbaAndANote() throws IOException {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        long c = tr.monitor("C");
        long d = tr.monitor("D");
        tr.begin(1, 1, "main", 0).enter(2, 1, c).enter(3, 1, d).exit(4, 1, d).exit(5, 1, c)
                .enter(6, 1, d).enter(7, 1, c).exit(8, 1, c).exit(9, 1, d)
                .start(12, 1, 2, "ab", SyntheticTrace.DAEMON).start(14, 1, 3, "ba", SyntheticTrace.DAEMON);
        tr.enter(20, 2, a).enter(22, 3, b);
        tr.ev(30, 2, EventKind.MONITOR_REQUEST, b).ev(32, 3, EventKind.MONITOR_REQUEST, a);
        tr.end(70, 1).endAt(80);
        return tr.write(dir.resolve("abba-and-note.trace"));
    }

    private Path noteOnly() throws IOException {
        SyntheticTrace tr = new SyntheticTrace();
        long c = tr.monitor("C");
        long d = tr.monitor("D");
        tr.begin(1, 1, "main", 0).enter(2, 1, c).enter(3, 1, d).exit(4, 1, d).exit(5, 1, c)
                .enter(6, 1, d).enter(7, 1, c).exit(8, 1, c).exit(9, 1, d).end(20, 1);
        return tr.write(dir.resolve("note.trace"));
    }

    @Test
    void notesComeLastAndAreCountedApart() throws IOException {
        Path trace = abbaAndANote();
        Cli.Result r = Cli.run("analyze", trace.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.outLines().get(0)).startsWith("error[DEADLOCK]: ");
        assertThat(r.outLines()).filteredOn(l -> !l.startsWith(" ") && l.contains("]: ")).extracting(
                l -> l.substring(0, l.indexOf("]: ") + 1)).containsExactly("error[DEADLOCK]",
                "note[POTENTIAL_DEADLOCK]");
        assertThat(r.outLines().get(r.outLines().size() - 1))
                .startsWith("1 finding (1 DEADLOCK); 1 note (1 POTENTIAL_DEADLOCK) in " + trace);
    }

    @Test
    void notesNeverFailUnlessAskedForWithFailOnSeverity() throws IOException {
        Path trace = noteOnly();
        Cli.Result r = Cli.run("analyze", trace.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines().get(0)).startsWith("note[POTENTIAL_DEADLOCK]: Lock-order inversion that this run"
                + " kept apart: \"main\" takes C");
        assertThat(r.outLines().get(r.outLines().size() - 1))
                .startsWith("no concurrency bugs found; 1 note (1 POTENTIAL_DEADLOCK) in " + trace);

        assertThat(Cli.run("analyze", "--fail-on-severity", "note", trace.toString()).exitCode()).isEqualTo(1);
        assertThat(Cli.run("analyze", "--fail-on-severity", "NOTE", "--fail-on", "DEADLOCK", trace.toString())
                .exitCode()).isZero();
        Path abba = abba();
        assertThat(Cli.run("analyze", "--fail-on-severity", "ERROR", abba.toString()).exitCode()).isEqualTo(1);
        assertThat(Cli.run("analyze", "--fail-on-severity", "ERROR", abbaAndANote().toString()).exitCode())
                .isEqualTo(1);

        JsonNode f = JsonReport.mapper().readTree(Cli.run("analyze", "--format", "json", trace.toString()).out())
                .get("findings").get(0);
        assertThat(f.get("severity").asText()).isEqualTo("NOTE");
        assertThat(f.get("details").get("orderedBy").asText()).isEqualTo("sameThread");

        Cli.Result bad = Cli.run("analyze", "--fail-on-severity", "INFO", trace.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("tangle analyze: --fail-on-severity must be ERROR, WARNING or"
                + " NOTE, not 'INFO' (see 'tangle analyze --help')");
    }

    @Test
    void badOptionsAndFilesAreOneLineAndExitTwo() throws IOException {
        Path trace = clean();
        Cli.Result format = Cli.run("analyze", "--format", "xml", trace.toString());
        Cli.Result type = Cli.run("analyze", "--fail-on", "RACE", trace.toString());
        Cli.Result missing = Cli.run("analyze", dir.resolve("nope.trace").toString());
        Path notATrace = Files.writeString(dir.resolve("text.trace"), "hello, world");
        Cli.Result corrupt = Cli.run("analyze", notATrace.toString());

        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.errLines()).containsExactly("tangle analyze: --format must be text, json or sarif, not 'xml'"
                + " (see 'tangle analyze --help')");
        assertThat(type.exitCode()).isEqualTo(2);
        assertThat(type.errLines()).singleElement().asString()
                .startsWith("tangle analyze: --fail-on: unknown finding type 'RACE'");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errLines()).containsExactly("tangle analyze: " + dir.resolve("nope.trace")
                + ": no such file");
        assertThat(corrupt.exitCode()).isEqualTo(2);
        assertThat(corrupt.errLines()).singleElement().asString().startsWith("tangle analyze: " + notATrace)
                .contains("not a Tangle trace");
    }

    @Test
    void aTruncatedTraceIsAnalysedWithAWarning() throws IOException {
        byte[] bytes = Files.readAllBytes(abba());
        Path cut = Files.write(dir.resolve("cut.trace"), Arrays.copyOf(bytes, bytes.length - 10));
        Cli.Result r = Cli.run("analyze", cut.toString());

        assertThat(r.exitCode()).isIn(0, 1);
        assertThat(r.errLines()).singleElement().asString().startsWith("tangle analyze: warning: " + cut);
    }

    private static Iterable<String> iterable(java.util.Iterator<String> it) {
        return () -> it;
    }

    /** A trace whose model does not fit in the heap: one line naming the file and the remedy, not a stack trace. */
    @Test
    void aTraceTooLargeForTheHeapIsOneLineAndExitCode2() throws Exception {
        Path trace = dir.resolve("large.trace");
        BenchmarkTrace.write(trace, 3_000_000);
        Path err = dir.resolve("large.err");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
                "-cp", System.getProperty("java.class.path"), TangleCommand.class.getName(), "analyze",
                trace.toString()).redirectError(err.toFile()).redirectOutput(dir.resolve("large.out").toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(err);
        assertThat(p.exitValue()).as("%s", lines).isEqualTo(2);
        assertThat(lines).singleElement().asString().startsWith("tangle analyze: " + trace
                + ": too large to analyse in this Java heap").contains("TANGLE_JAVA_OPTS=-Xmx");
    }
}
