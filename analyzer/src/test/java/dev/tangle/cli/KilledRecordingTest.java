package dev.tangle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tangle.programs.BusyWithEarlyDeadlock;
import dev.tangle.report.JsonReport;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceFormat;
import dev.tangle.trace.TraceReader;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 during recording, 20 times: a busy program under the real agent (monitors, a lock, bounded queues, 17
 * threads plus a stream of short-lived ones, and a monitor deadlock that formed a second before) is killed with
 * SIGKILL ({@link Process#destroyForcibly()}) at a random moment, and its trace is read back.
 *
 * <p>What the trace must be is decided from the file's bytes alone, independently of the reader: walking the
 * chunk framing from the magic, every chunk whose head, payload and CRC are all on disk is complete (and its CRC
 * must match: a kill cuts a file, it never changes bytes); the bytes after the last complete chunk are the cut.
 * The reader must then open the file, return exactly the events of the complete event chunks (per thread, as
 * their counts say), give the cut as {@code truncatedBytes}, say what was lost in its warnings, and
 * {@code tangle analyze} must still report the deadlock, and only it as a deadlock.
 */
class KilledRecordingTest {
    private static final long TIMEOUT_MILLIS = 60_000;
    private static final long SEED = Long.getLong("tangle.kill.seed", System.nanoTime());

    @TempDir
    Path dir;

    @RepeatedTest(20)
    void aKilledRecordingKeepsEveryCompleteChunkAndItsDeadlock(RepetitionInfo repetition) throws Exception {
        long delay = new Random(SEED + repetition.getCurrentRepetition()).nextInt(1500);
        Path trace = dir.resolve("busy.trace");
        Path log = dir.resolve("busy.log");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-javaagent:" + System.getProperty("tangle.agentJar") + "=out=" + trace,
                "-cp", Path.of(BusyWithEarlyDeadlock.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString(), BusyWithEarlyDeadlock.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLine(p, log, "busy");
            Thread.sleep(delay);
        } finally {
            p.destroyForcibly(); // SIGKILL on Linux and macOS
        }
        assertThat(p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL (seed %d, %d ms after busy)", SEED, delay)
                .isEqualTo(128 + 9);

        byte[] bytes = Files.readAllBytes(trace);
        Framing framing = Framing.walk(bytes);
        Map<Long, Long> perThread = new TreeMap<>();
        try (TraceReader r = TraceReader.open(trace)) {
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                perThread.merge(e.threadId(), 1L, Long::sum);
            }
            String what = "seed " + SEED + ", killed " + delay + " ms after busy, " + bytes.length + " bytes";
            assertThat(r.isComplete()).as(what).isFalse();
            assertThat(perThread).as("events per thread: those of the complete event chunks; %s", what)
                    .isEqualTo(framing.eventsPerThread);
            assertThat(r.truncatedBytes()).as("the cut; %s", what).isEqualTo(bytes.length - framing.completeBytes);
            if (framing.completeBytes < bytes.length) {
                assertThat(r.warnings()).first().asString().as(what).contains("truncated: dropped the last "
                        + r.truncatedBytes() + " bytes (an incomplete chunk");
                if (framing.cutEvents >= 0) {
                    assertThat(r.truncatedEvents()).isEqualTo(framing.cutEvents);
                    assertThat(r.truncatedThread()).isEqualTo(framing.cutThread);
                    assertThat(r.warnings().get(0)).contains("of " + framing.cutEvents + " events of thread "
                            + framing.cutThread);
                }
            } else {
                assertThat(r.warnings()).first().asString().as(what).contains("no end marker");
            }
        }

        Cli.Result analyze = Cli.run("analyze", "--format", "json", trace.toString());
        assertThat(analyze.exitCode()).as("findings; stderr: %s", analyze.err()).isEqualTo(AnalyzeCommand.FINDINGS);
        assertThat(analyze.errLines()).first().asString().startsWith("tangle analyze: warning: " + trace + ": ");
        JsonNode findings = JsonReport.mapper().readTree(analyze.out()).get("findings");
        List<JsonNode> deadlocks = new ArrayList<>();
        findings.forEach(f -> {
            if (f.get("type").asText().equals("DEADLOCK")) {
                deadlocks.add(f);
            }
        });
        assertThat(deadlocks).as("deadlocks in %s", analyze.out()).singleElement().satisfies(f -> {
            List<String> threads = new ArrayList<>();
            f.get("threads").forEach(t -> threads.add(t.asText()));
            assertThat(threads).containsExactlyInAnyOrder("ab", "ba");
        });
    }

    private static void awaitLine(Process p, Path log, String line) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!Files.exists(log) || !Files.readAllLines(log).contains(line)) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("no '" + line + "' from the program; it printed: "
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(20);
        }
    }

    /** The trace file's chunk framing, walked without the reader. */
    private static final class Framing {
        long completeBytes;
        final Map<Long, Long> eventsPerThread = new TreeMap<>();
        long cutThread = -1;
        long cutEvents = -1;

        static Framing walk(byte[] b) {
            Framing f = new Framing();
            assertThat(b.length).as("the magic and the header were written at start").isGreaterThan(
                    TraceFormat.MAGIC.length + TraceFormat.CHUNK_HEAD_BYTES);
            int at = TraceFormat.MAGIC.length;
            f.completeBytes = at;
            CRC32C crc = new CRC32C();
            while (at + TraceFormat.CHUNK_HEAD_BYTES <= b.length) {
                int type = b[at] & 0xFF;
                int length = u32(b, at + 1);
                int payload = at + TraceFormat.CHUNK_HEAD_BYTES;
                if (type == TraceFormat.CHUNK_EVENTS) {
                    f.cutThread = -1;
                    f.cutEvents = -1;
                    long[] head = eventsHead(b, payload, Math.min(b.length, payload + length));
                    if (head != null) {
                        f.cutThread = head[0];
                        f.cutEvents = head[1];
                    }
                }
                int end = payload + length + TraceFormat.CHUNK_TAIL_BYTES;
                if (end > b.length) {
                    return f; // the cut chunk
                }
                crc.reset();
                crc.update(b, at, TraceFormat.CHUNK_HEAD_BYTES + length);
                assertThat((int) crc.getValue()).as("CRC of the chunk at %d", at).isEqualTo(u32(b, end - 4));
                if (type == TraceFormat.CHUNK_EVENTS) {
                    f.eventsPerThread.merge(f.cutThread, f.cutEvents, Long::sum);
                    if (f.cutEvents == 0) {
                        f.eventsPerThread.remove(f.cutThread, 0L);
                    }
                }
                f.cutThread = -1;
                f.cutEvents = -1;
                at = end;
                f.completeBytes = at;
            }
            return f;
        }

        /** {thread, count} of an event chunk's payload, or null if the bytes holding them are not there. */
        private static long[] eventsHead(byte[] b, int from, int to) {
            long[] thread = varint(b, from, to);
            if (thread == null) {
                return null;
            }
            long[] base = varint(b, (int) thread[1], to);
            if (base == null || base[1] + 4 > to) {
                return null;
            }
            return new long[] {thread[0], u32(b, (int) base[1])};
        }

        /** {value, position after it}, or null when cut. */
        private static long[] varint(byte[] b, int at, int to) {
            long v = 0;
            for (int shift = 0; at < to && shift < 64; shift += 7) {
                int x = b[at++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return new long[] {v, at};
                }
            }
            return null;
        }

        private static int u32(byte[] b, int at) {
            return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
                    | (b[at + 3] & 0xFF);
        }
    }
}
