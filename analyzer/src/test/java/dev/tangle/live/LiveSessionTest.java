package dev.tangle.live;

import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.Severity;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import dev.tangle.programs.DeadlockUntilTold;
import dev.tangle.programs.LockRounds;
import dev.tangle.programs.SameThreadInversion;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live stream end to end: real programs in child JVMs under the real agent, streaming to a collector in this
 * JVM. Timeouts are generous and only keep a broken build from hanging; nothing here measures speed.
 */
class LiveSessionTest {
    private static final long TIMEOUT_MILLIS = 60_000;

    @TempDir
    Path dir;

    /** A deadlocked program that waits for the test: the DEADLOCK must arrive while it still runs. */
    @Test
    void aDeadlockIsReportedWhileTheProgramRuns() throws Exception {
        Path trace = dir.resolve("deadlock.trace");
        Path stream = dir.resolve("deadlock.stream");
        Path go = dir.resolve("go");
        Heard heard = new Heard();
        try (LiveSession session = LiveSession.start(stream, heard)) {
            LiveChild child = LiveChild.start(dir, "out=" + trace + "," + session.agentOptions(),
                    DeadlockUntilTold.class, go.toString());

            Finding live = heard.await(f -> f.type() == FindingType.DEADLOCK);

            assertThat(child.process().isAlive()).as("the program still runs, deadlocked").isTrue();
            assertThat(live.threads()).containsExactlyInAnyOrder("ab", "ba");
            Files.createFile(go);
            assertThat(child.awaitExit()).as("exit code; output: %s", child.output()).isZero();
            List<Finding> all = session.finish(ModelBuilder.build(trace));

            assertThat(all).singleElement().extracting(Finding::type).isEqualTo(FindingType.DEADLOCK);
            assertThat(heard.findings()).as("reported once, while running").containsExactly(live);
            assertThat(heard.atEnd).isZero();
            assertThat(heard.messages()).isEmpty();
            // the stream holds the same trace as the file, event for event
            assertThat(session.collector().awaitEnd(TIMEOUT_MILLIS)).isTrue();
            assertThat(events(stream)).isEqualTo(events(trace)).isNotEmpty();
            try (TraceReader r = TraceReader.open(stream)) {
                while (r.next() != null) {
                    // read to the end
                }
                assertThat(r.isComplete()).isTrue();
                assertThat(r.warnings()).isEmpty();
            }
        }
    }

    /**
     * A note (an inversion one thread made) is not urgent: not told while the program runs, even after two live
     * analyses saw both orders, but at the end with the rest.
     */
    @Test
    void aNoteIsToldAtTheEndNotWhileTheProgramRuns() throws Exception {
        Path trace = dir.resolve("note.trace");
        Path stream = dir.resolve("note.stream");
        Path go = dir.resolve("go");
        Heard heard = new Heard();
        try (LiveSession session = LiveSession.start(stream, heard)) {
            LiveChild child = LiveChild.start(dir, "out=" + trace + "," + session.agentOptions(),
                    SameThreadInversion.class, go.toString());
            child.awaitOutput("inverted");
            heard.awaitAnalysesWithLockOrders(2, 2); // two analyses that saw both orders: a live finding would be out

            assertThat(heard.findings()).as("nothing told while running").isEmpty();
            Files.createFile(go);
            assertThat(child.awaitExit()).as("exit code; output: %s", child.output()).isZero();
            List<Finding> all = session.finish(ModelBuilder.build(trace));

            assertThat(all).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.NOTE);
                assertThat(f.details()).containsEntry("orderedBy", "sameThread");
            });
            assertThat(heard.findings()).isEqualTo(all);
            assertThat(heard.atEnd).isEqualTo(1);
        }
    }

    @Test
    void aWrongTokenIsRefusedAndTheProgramRecordsToItsFile() throws Exception {
        Path trace = dir.resolve("rounds.trace");
        Heard heard = new Heard();
        try (LiveSession session = LiveSession.start(dir.resolve("never.stream"), heard)) {
            String wrong = session.agentOptions().replaceFirst("token=\\p{XDigit}+", "token=0123456789abcdef");
            LiveChild child = LiveChild.start(dir, "out=" + trace + "," + wrong, LockRounds.class);
            child.tell("round");
            child.awaitOutput("round 1 done");
            child.tell("end");
            assertThat(child.awaitExit()).as("exit code; output: %s", child.output()).isZero();

            assertThat(child.tangleLines()).singleElement().asString()
                    .startsWith("tangle: cannot stream to live collector at 127.0.0.1:" + session.collector().port()
                            + ": the collector refused: NO wrong token; recording goes on to " + trace);
            assertThat(heard.messages()).singleElement().asString()
                    .matches("live collector refused a connection from /127\\.0\\.0\\.1:\\d+: wrong token");
            assertThat(session.collector().progress().connected()).isFalse();
            assertThat(Files.exists(dir.resolve("never.stream"))).isFalse();
        }
        assertCompleteWithEveryLock(trace, 1);
    }

    /** A raw client with a wrong token gets NO and a closed connection before it can send trace data. */
    @Test
    void theCollectorAnswersAWrongTokenBeforeReadingData() throws Exception {
        Heard heard = new Heard();
        try (LiveSession session = LiveSession.start(dir.resolve("s"), heard);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), session.collector().port())) {
            s.getOutputStream().write("TANGLE-LIVE 1 nope\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("NO wrong token");
            assertThat(in.read()).as("then the connection is closed").isEqualTo(-1);
        }
    }

    /** The collector goes away mid-run: the program finishes, its file has every event, the agent says so once. */
    @Test
    void killingTheCollectorDoesNotStallTheProgram() throws Exception {
        Path trace = dir.resolve("killed.trace");
        Heard heard = new Heard();
        LiveSession session = LiveSession.start(dir.resolve("killed.stream"), heard);
        LiveChild child;
        try {
            child = LiveChild.start(dir, "out=" + trace + "," + session.agentOptions(), LockRounds.class);
            child.tell("round");
            child.awaitOutput("round 1 done");
            LiveCollector.Progress p = session.collector().progress();
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            while (p.flushes() < 3 && System.currentTimeMillis() < deadline) {
                p = session.collector().awaitChange(p, 1000);
            }
            assertThat(p.connected()).isTrue();
            assertThat(p.flushes()).as("drains received").isGreaterThanOrEqualTo(3);
        } finally {
            session.close(); // the collector dies mid-run
        }
        child.tell("round");
        child.tell("round");
        child.tell("end");

        assertThat(child.awaitExit()).as("exit code; output: %s", child.output()).isZero();
        assertThat(child.output()).contains("round 3 done, counter " + 3L * LockRounds.THREADS
                * LockRounds.PER_THREAD);
        assertThat(child.tangleLines()).singleElement().asString()
                .startsWith("tangle: lost the live collector at 127.0.0.1:")
                .endsWith("; recording goes on to " + trace);
        assertCompleteWithEveryLock(trace, 3);
    }

    /**
     * A collector that stops reading: the agent skips event chunks rather than wait, says so once, and the GAP
     * chunk tells the collector exactly how many events it missed: stream events + gap = file events.
     */
    @Test
    void aCollectorThatFallsBehindGetsAGapAndTheFileEverything() throws Exception {
        Path trace = dir.resolve("slow.trace");
        Path stream = dir.resolve("slow.stream");
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096); // a small window: the agent's side fills sooner
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            LiveChild child = LiveChild.start(dir, "out=" + trace + ",live=127.0.0.1:" + server.getLocalPort()
                    + ",token=t0k3n,liveQueueBytes=65536,leafHolds=record", LockRounds.class); // every hold an
            // event: enough traffic to fill the small queue (counted holds would hardly make any)
            server.setSoTimeout((int) TIMEOUT_MILLIS);
            try (Socket agent = server.accept()) {
                InputStream in = agent.getInputStream();
                assertThat(handshake(in)).isEqualTo("TANGLE-LIVE 1 t0k3n");
                agent.getOutputStream().write("OK\n".getBytes(StandardCharsets.US_ASCII));
                // read nothing while rounds run, until the agent says the stream falls behind
                int rounds = 0;
                while (rounds < 40 && !child.output().contains("falls behind")) {
                    child.tell("round");
                    child.awaitOutput("round " + ++rounds + " done");
                }
                assertThat(child.output()).contains("tangle: live collector at 127.0.0.1:" + server.getLocalPort()
                        + " falls behind: the live stream skips events (the trace file " + trace
                        + " has every event)");
                Thread reader = new Thread(() -> copy(in, stream));
                reader.start();
                child.tell("round");
                child.tell("end");
                assertThat(child.awaitExit()).as("exit code; output: %s", child.output()).isZero();
                reader.join(TIMEOUT_MILLIS);
                assertThat(child.tangleLines()).as("told once").hasSize(1);

                long fileEvents = events(trace).size();
                try (TraceReader r = TraceReader.open(stream)) {
                    long streamEvents = 0;
                    while (r.next() != null) {
                        streamEvents++;
                    }
                    assertThat(r.isComplete()).isTrue();
                    assertThat(r.gapEvents()).isPositive();
                    assertThat(streamEvents + r.gapEvents()).isEqualTo(fileEvents);
                    assertThat(r.warnings()).singleElement().asString().contains("the live stream skipped "
                            + r.gapEvents() + " events");
                }
                assertCompleteWithEveryLock(trace, rounds + 1);
            }
        }
    }

    @Test
    void aHostOtherThanLoopbackNeedsAnOptIn() throws Exception {
        for (String host : new String[] {"192.0.2.1", "example.com"}) {
            Path trace = dir.resolve(host + ".trace");
            LiveChild child = LiveChild.start(dir, "out=" + trace + ",live=" + host + ":9,token=x",
                    LockRounds.class);
            child.tell("end");
            assertThat(child.awaitExit()).isZero();
            assertThat(child.tangleLines()).containsExactly("tangle: bad agent option: live host " + host
                    + " is not this machine's loopback (the stream is not encrypted); add liveRemote=true to send"
                    + " it there anyway; not recording");
            assertThat(Files.exists(trace)).isFalse();
        }
    }

    /** Every acquisition of the rounds is in the file: recorded, or counted in a LEAF_HOLDS event. */
    private static void assertCompleteWithEveryLock(Path trace, int rounds) throws IOException {
        long acquired = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                if (e.kind() == EventKind.LOCK_ACQUIRED) {
                    acquired++;
                } else if (e.kind() == EventKind.LEAF_HOLDS) {
                    acquired += e.value(); // counted instead of recorded (leafHolds=collapse): still every lock
                }
            }
            assertThat(r.isComplete()).as("the trace file has its END").isTrue();
            assertThat(r.lostEvents()).isZero();
            assertThat(r.warnings()).isEmpty();
        }
        assertThat(acquired).isEqualTo((long) rounds * LockRounds.THREADS * LockRounds.PER_THREAD);
    }

    /** Every event as (thread, time, kind, object), in file order. */
    private static List<String> events(Path trace) throws IOException {
        List<String> events = new ArrayList<>();
        try (TraceReader r = TraceReader.open(trace)) {
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                events.add(e.threadId() + " " + e.time() + " " + e.kind() + " " + e.objectId());
            }
        }
        return events;
    }

    private static String handshake(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

    private static void copy(InputStream in, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the session told: findings (and whether at the end) and messages. */
    private static final class Heard implements LiveSession.Listener {
        private final List<Finding> findings = new ArrayList<>();
        private final List<String> messages = new ArrayList<>();
        int atEnd;

        @Override
        public synchronized void finding(Finding finding, boolean end) {
            findings.add(finding);
            atEnd += end ? 1 : 0;
            notifyAll();
        }

        @Override
        public synchronized void message(String line) {
            messages.add(line);
        }

        private int analysesWithLockOrders;
        private int lockOrders;

        @Override
        public synchronized void analysed(TraceModel prefix) {
            if (prefix.lockOrderEdges().size() >= lockOrders) {
                analysesWithLockOrders++;
            }
            notifyAll();
        }

        /** Waits for {@code analyses} live analyses whose prefix had at least {@code edges} lock-order edges. */
        synchronized void awaitAnalysesWithLockOrders(int analyses, int edges) throws InterruptedException {
            lockOrders = edges;
            analysesWithLockOrders = 0;
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            while (analysesWithLockOrders < analyses) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("fewer than " + analyses + " live analyses saw " + edges
                            + " lock orders; heard " + findings + " and " + messages);
                }
                wait(100);
            }
        }

        synchronized List<Finding> findings() {
            return List.copyOf(findings);
        }

        synchronized List<String> messages() {
            return List.copyOf(messages);
        }

        synchronized Finding await(Predicate<Finding> what) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            while (System.currentTimeMillis() < deadline) {
                for (Finding f : findings) {
                    if (what.test(f)) {
                        return f;
                    }
                }
                wait(100);
            }
            throw new AssertionError("no such finding within " + TIMEOUT_MILLIS + " ms; heard " + findings
                    + " and " + messages);
        }
    }
}
