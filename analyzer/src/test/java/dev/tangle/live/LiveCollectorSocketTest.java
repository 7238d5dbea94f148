package dev.tangle.live;

import dev.tangle.programs.LockRounds;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceFormat;
import dev.tangle.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The collector's socket against hostile clients: it listens on loopback only; a client that sends garbage, a
 * wrong token, nothing, or half a chunk and then nothing is dropped within a bounded time; none of them keeps the
 * real agent (a child JVM under the agent) from connecting and streaming its whole trace.
 */
class LiveCollectorSocketTest {
    private static final long TIMEOUT_MILLIS = 60_000;

    @TempDir
    Path dir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void listensOnTheLoopbackInterfaceOnly() throws Exception {
        try (LiveCollector c = LiveCollector.start(dir.resolve("s"), log::add)) {
            assertThat(c.agentOptions()).startsWith("live=127.0.0.1:" + c.port() + ",token=");
            // every address of this machine that is not loopback refuses the connection
            List<InetAddress> others = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && a instanceof Inet4Address) {
                        others.add(a);
                    }
                }
            }
            for (InetAddress a : others) {
                try (Socket s = new Socket()) {
                    assertThatThrownBy(() -> s.connect(new InetSocketAddress(a, c.port()), 2000))
                            .as("connecting through %s", a).isInstanceOf(ConnectException.class);
                }
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.port())) {
                assertThat(s.isConnected()).isTrue();
            }
        }
    }

    /**
     * Garbage, a wrong token, a silent client and a client that drips bytes are all connected at once when the
     * agent starts: each is dropped (and logged), the agent connects at once and the stream holds every event.
     */
    @Test
    void hostileClientsAreDroppedAndTheAgentStillStreamsEverything() throws Exception {
        Path trace = dir.resolve("rounds.trace");
        Path stream = dir.resolve("rounds.stream");
        try (LiveCollector c = LiveCollector.start(stream, log::add)) {
            Socket garbage = connect(c);
            byte[] noise = new byte[101];
            new Random(14).nextBytes(noise);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = noise[i] == '\n' ? 0 : noise[i];
            }
            noise[0] = 'X';
            noise[100] = '\n'; // one line of noise, read whole: the collector closes without unread bytes
            garbage.getOutputStream().write(noise);
            Socket wrongToken = connect(c);
            wrongToken.getOutputStream().write("TANGLE-LIVE 1 0000\n".getBytes(StandardCharsets.US_ASCII));
            Socket silent = connect(c);
            Socket halfChunk = connect(c);
            halfChunk.getOutputStream().write(halfAChunk()); // its first line is the magic's TNGL CR
            Socket dripping = connect(c);
            dripping.getOutputStream().write("TANGLE-LIVE 1 ".getBytes(StandardCharsets.US_ASCII));

            LiveChild child = LiveChild.start(dir, "out=" + trace + "," + c.agentOptions(), LockRounds.class);
            child.tell("round");
            child.awaitOutput("round 1 done");
            child.tell("end");
            assertThat(child.awaitExit()).as("exit code; output: %s", child.output()).isZero();
            assertThat(child.tangleLines()).as("the agent streamed without a complaint").isEmpty();
            assertThat(c.awaitEnd(TIMEOUT_MILLIS)).isTrue();
            assertThat(c.progress().complete()).isTrue();

            assertThat(readsToEnd(garbage)).as("garbage: answered and closed").isEqualTo("NO wrong token\n");
            assertThat(readsToEnd(wrongToken)).isEqualTo("NO wrong token\n");
            assertThat(readsToEnd(silent)).as("silent: closed without an answer").isEmpty();
            assertThat(readsToEnd(halfChunk)).as("a trace without handshake").isEqualTo("NO wrong token\n");
            assertThat(readsToEnd(dripping)).isEmpty();
            assertThat(log).hasSize(5).allMatch(l -> l.startsWith("live collector refused a connection from /127."))
                    .extracting(l -> l.substring(l.lastIndexOf(": ") + 2)).containsExactlyInAnyOrder(
                            "not a Tangle agent", "wrong token", "no handshake in time", "not a Tangle agent",
                            "no handshake in time");
        }
        assertThat(lockEvents(stream)).isEqualTo(lockEvents(trace)).isEqualTo((long) LockRounds.THREADS
                * LockRounds.PER_THREAD);
    }

    /** A client with the right token that sends half a chunk and then nothing: dropped when it stays silent. */
    @Test
    void halfAChunkThenNothingEndsTheStreamWithinTheSilenceLimit() throws Exception {
        Path stream = dir.resolve("half.stream");
        try (LiveCollector c = LiveCollector.start(stream, log::add, 1500)) {
            Socket s = connect(c);
            s.getOutputStream().write(("TANGLE-LIVE 1 " + c.token() + "\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("OK\n");
            s.getOutputStream().write(halfAChunk());
            s.getOutputStream().flush();
            long start = System.nanoTime();

            assertThat(c.awaitEnd(TIMEOUT_MILLIS)).as("the stream ended").isTrue();

            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis).as("dropped after the silence limit, not before").isGreaterThanOrEqualTo(1400);
            assertThat(c.progress().connected()).isTrue();
            assertThat(c.progress().complete()).isFalse();
            assertThat(log).containsExactly("live stream silent for 1500 ms (not even a FLUSH heartbeat): dropped");
            assertThat(s.getInputStream().read()).as("the connection was closed").isEqualTo(-1);
            s.close();
        }
        // the file holds what came: the magic, and no chunk (the half one is not written)
        assertThat(Files.readAllBytes(stream)).isEqualTo(TraceFormat.MAGIC);
    }

    /** A client with the right token that sends garbage instead of chunks: dropped at once, with a message. */
    @Test
    void garbageAfterTheRightTokenEndsTheStream() throws Exception {
        try (LiveCollector c = LiveCollector.start(dir.resolve("g.stream"), log::add)) {
            Socket s = connect(c);
            OutputStream out = s.getOutputStream();
            out.write(("TANGLE-LIVE 1 " + c.token() + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(TraceFormat.MAGIC);
            out.write(new byte[] {6, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // a length of -1
            out.flush();
            assertThat(c.awaitEnd(TIMEOUT_MILLIS)).isTrue();
            assertThat(log).containsExactly("live stream lost: corrupt chunk at byte 8 (length -1)");
            s.close();
        }
    }

    private static Socket connect(LiveCollector c) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), c.port());
        s.setSoTimeout((int) TIMEOUT_MILLIS); // only keeps a broken build from hanging
        return s;
    }

    /** The magic and the first half of an EVENTS chunk that says it has 100 payload bytes. */
    private static byte[] halfAChunk() {
        byte[] b = new byte[TraceFormat.MAGIC.length + 5 + 50];
        System.arraycopy(TraceFormat.MAGIC, 0, b, 0, TraceFormat.MAGIC.length);
        b[TraceFormat.MAGIC.length] = TraceFormat.CHUNK_EVENTS;
        b[TraceFormat.MAGIC.length + 4] = 100;
        return b;
    }

    private static String readsToEnd(Socket s) throws IOException {
        try (s; InputStream in = s.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static long lockEvents(Path trace) throws IOException {
        long n = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                // uncontended holds are counted in LEAF_HOLDS instead of recorded one by one (leafHolds)
                n += e.kind() == EventKind.LOCK_ACQUIRED ? 1 : e.kind() == EventKind.LEAF_HOLDS ? e.value() : 0;
            }
            assertThat(r.isComplete()).isTrue();
        }
        return n;
    }
}
