package dev.tangle.agent;

import dev.tangle.trace.TraceFormat;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's live stream against a minimal collector in this JVM, on every JDK: the handshake comes first, and
 * the stream is the trace file byte for byte once its FLUSH chunks (one per drain) are taken out.
 */
class LiveStreamIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void theStreamIsTheFileWithFlushMarkers(Jdks jdk) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.setSoTimeout(60_000);
            CompletableFuture<Received> received = CompletableFuture.supplyAsync(() -> receive(server));

            AgentRun run = AgentRun.run(jdk, dir, "live=127.0.0.1:" + server.getLocalPort() + ",token=s3cr3t",
                    "fixtures.Locks", List.of());

            assertThat(run.exitCode).as(run.stderr).isZero();
            assertThat(run.stderrWithoutJvmNotes()).isEmpty();
            Received r = received.get(60, TimeUnit.SECONDS);
            assertThat(r.handshake).isEqualTo("TANGLE-LIVE 1 s3cr3t");
            assertThat(r.flushes).as("one FLUSH per drain").isPositive();
            assertThat(r.withoutFlushes).isEqualTo(Files.readAllBytes(run.trace));
            assertThat(run.reader.isComplete()).isTrue();
            assertThat(run.reader.header().properties().get("agent.options"))
                    .as("the token stays out of the trace").contains("token=***").doesNotContain("s3cr3t");
        }
    }

    private record Received(String handshake, byte[] withoutFlushes, int flushes) {
    }

    /** Accepts one agent, answers OK, and reads its stream to the end, leaving FLUSH chunks out. */
    private static Received receive(ServerSocket server) {
        try (Socket agent = server.accept()) {
            InputStream in = agent.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            agent.getOutputStream().write("OK\n".getBytes(StandardCharsets.US_ASCII));
            byte[] stream = in.readAllBytes();
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            kept.write(stream, 0, TraceFormat.MAGIC.length);
            int flushes = 0;
            int p = TraceFormat.MAGIC.length;
            while (p < stream.length) {
                int length = ((stream[p + 1] & 0xFF) << 24) | ((stream[p + 2] & 0xFF) << 16)
                        | ((stream[p + 3] & 0xFF) << 8) | (stream[p + 4] & 0xFF);
                int total = TraceFormat.CHUNK_HEAD_BYTES + length + TraceFormat.CHUNK_TAIL_BYTES;
                if (stream[p] == TraceFormat.CHUNK_FLUSH) {
                    flushes++;
                } else {
                    kept.write(Arrays.copyOfRange(stream, p, p + total));
                }
                p += total;
            }
            return new Received(line.toString(), kept.toByteArray(), flushes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
