package dev.tangle.junit;

import dev.tangle.agent.Jdks;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds the sample project {@code src/it/sample-project} with Maven Surefire in a child build (offline, against
 * ~/.m2 for third-party artifacts and this build's jars by path), once per JDK, and reads Surefire's reports:
 * each behaviour of the extension with the agent attached by the extension and loaded by {@code argLine}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleProjectIT {
    /** One child build per JDK: its folder and its two Surefire executions' reports. */
    private final Map<Jdks, Path> builds = new HashMap<>();

    static Stream<Object[]> runs() {
        List<Object[]> runs = new ArrayList<>();
        for (Jdks jdk : Jdks.all()) {
            for (String mode : List.of("attach", "argline")) {
                runs.add(new Object[]{jdk, mode});
            }
        }
        return runs.stream();
    }

    private synchronized Path build(Jdks jdk) throws Exception {
        Path dir = builds.get(jdk);
        if (dir != null) {
            return dir;
        }
        dir = Path.of(System.getProperty("tangle.itDir"), "sample-project-jdk" + jdk.feature());
        deleteRecursively(dir);
        copy(Path.of(System.getProperty("tangle.sampleProject")), dir);
        String mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-o", "test", "-Dmaven.test.failure.ignore=true",
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                "-Dtangle.junitJar=" + System.getProperty("tangle.junitJar"),
                "-Dtangle.analyzerJar=" + System.getProperty("tangle.analyzerJar"),
                "-Dtangle.agentJar=" + System.getProperty("tangle.agentJar"),
                "-Dbytebuddy.version=" + System.getProperty("bytebuddy.version"),
                "-Djunit.version=" + System.getProperty("junit.version"),
                "-Dsurefire.version=" + System.getProperty("surefire.version")));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("build.log").toFile());
        pb.environment().put("JAVA_HOME", jdk.home().toString());
        pb.environment().remove("MAVEN_OPTS");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child build did not end in 10 minutes: " + dir.resolve("build.log"));
        }
        assertThat(p.exitValue()).as("child build exit code, see " + dir.resolve("build.log")).isZero();
        builds.put(jdk, dir);
        return dir;
    }

    /** The test cases of one report: name to its failure message (null when it passed) and time. */
    private record Case(String failure, double seconds) {
    }

    private static Map<String, Case> cases(Path dir, String mode, String testClass) throws Exception {
        Path xml = dir.resolve("target/reports-" + mode + "/TEST-com.example.bank." + testClass + ".xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList list = doc.getElementsByTagName("testcase");
        Map<String, Case> cases = new HashMap<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element c = (Element) list.item(i);
            NodeList failures = c.getElementsByTagName("failure");
            String failure = failures.getLength() == 0 ? null
                    : ((Element) failures.item(0)).getAttribute("message");
            cases.put(c.getAttribute("name"), new Case(failure, Double.parseDouble(c.getAttribute("time"))));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, agent by {1}")
    @MethodSource("runs")
    void deadlockedTestFailsWithinTenSecondsNamingBothThreads(Jdks jdk, String mode) throws Exception {
        Case c = cases(build(jdk), mode, "TransferTest").get("deadlocks");
        assertThat(c.failure()).contains("hangs on a DEADLOCK", "error[DEADLOCK]", "\"alpha\"", "\"beta\"",
                "circular wait", "Account.transferTo(Account.java:17)");
        assertThat(c.seconds()).isLessThan(10);
        blindSpotsOnlyWhenAttached(c.failure(), mode);
    }

    @ParameterizedTest(name = "{0}, agent by {1}")
    @MethodSource("runs")
    void testLeavingAThreadOnAQueueFailsWithThreadLeak(Jdks jdk, String mode) throws Exception {
        Path dir = build(jdk);
        Case c = cases(dir, mode, "TransferTest").get("leaksConsumer");
        assertThat(c.failure()).contains("THREAD_LEAK", "\"order-consumer\"", "take()",
                "TransferTest.leaksConsumer(TransferTest.java:");
        assertThat(c.failure()).doesNotContain("\"alpha\""); // the earlier test's stuck threads are not this one's
        blindSpotsOnlyWhenAttached(c.failure(), mode);
        assertThat(dir.resolve("target/tangle-" + mode + "/TransferTest.leaksConsumer.json")).content()
                .contains("\"type\" : \"THREAD_LEAK\"");
        // the trace written for the test: the recording as far as flushed after the grace period, with the
        // test's window, the consumer started inside it, and its take
        Map<String, Long> times = new HashMap<>();
        try (TraceReader r = TraceReader.open(dir.resolve("target/tangle-" + mode + "/TransferTest.leaksConsumer.trace"))) {
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                if ((e.kind() == EventKind.TEST_BEGIN || e.kind() == EventKind.TEST_END)
                        && e.text().endsWith("[method:leaksConsumer()]")) {
                    times.put(e.kind().name(), e.time());
                } else if (e.kind() == EventKind.THREAD_START && "order-consumer".equals(e.text())) {
                    times.put("start", e.time());
                } else if (e.kind() == EventKind.CHANNEL_RECV_BEGIN
                        && "order-consumer".equals(r.threadName(e.threadId()))) {
                    times.put("take", e.time());
                }
            }
            assertThat(r.isComplete()).isFalse(); // a prefix: the JVM went on
        }
        assertThat(times).containsKeys("TEST_BEGIN", "TEST_END", "start", "take");
        assertThat(times.get("start")).isBetween(times.get("TEST_BEGIN"), times.get("TEST_END"));
    }

    @ParameterizedTest(name = "{0}, agent by {1}")
    @MethodSource("runs")
    void cleanTestsPass(Jdks jdk, String mode) throws Exception {
        Path dir = build(jdk);
        assertThat(cases(dir, mode, "TransferTest").get("transfersAndJoins").failure()).isNull();
        Map<String, Case> lockOrder = cases(dir, mode, "LockOrderTest");
        assertThat(lockOrder.get("paysIntoSavings").failure()).isNull();
        assertThat(lockOrder.get("paysBackFromSavings").failure()).isNull();
    }

    @ParameterizedTest(name = "{0}, agent by {1}")
    @MethodSource("runs")
    void twoTestsTakingTwoLocksInOppositeOrdersGiveTheCrossTestReport(Jdks jdk, String mode) throws Exception {
        Path out = build(jdk).resolve("target/tangle-" + mode);
        assertThat(out.resolve("LockOrderTest.inversions.txt")).content().contains(
                "Tangle: 1 lock-order inversion across the tests of LockOrderTest (reported, not failing",
                "paysIntoSavings() takes Account@", "paysBackFromSavings() takes Account@",
                "note[POTENTIAL_DEADLOCK]: Lock-order inversion that this run kept apart",
                "at com.example.bank.LockOrderTest.paysIntoSavings(LockOrderTest.java:24)",
                "at com.example.bank.LockOrderTest.paysBackFromSavings(LockOrderTest.java:31)");
        assertThat(out.resolve("LockOrderTest.inversions.json")).content().contains("\"orderedBy\"");
        // the deadlock is a DEADLOCK of one test, and the clean test takes one order only: no cross-test report
        assertThat(out.resolve("TransferTest.inversions.txt")).doesNotExist();
    }

    private static void blindSpotsOnlyWhenAttached(String failure, String mode) {
        if (mode.equals("attach")) {
            assertThat(failure).contains("blind spots: the agent was attached", "synchronizedMethods:");
        } else {
            assertThat(failure).doesNotContain("blind spot");
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
