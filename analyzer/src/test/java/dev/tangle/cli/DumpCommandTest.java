package dev.tangle.cli;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceFormat;
import dev.tangle.trace.TraceHeader;
import dev.tangle.trace.TraceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DumpCommandTest {
    /** The events of {@link #craftedTrace()}, as dump prints them. */
    private static final String[] MAIN_LINES = {
        "{\"t\":1000,\"thread\":1,\"threadName\":\"main\",\"kind\":\"THREAD_BEGIN\",\"flags\":[\"preexisting\"],"
                + "\"text\":\"main\"}",
        // object 2 exists too, but here 2 is the started thread's id: no objClass
        "{\"t\":1500,\"thread\":1,\"threadName\":\"main\",\"kind\":\"THREAD_START\",\"obj\":2,"
                + "\"frame\":\"dev.example.Bank.transfer(Bank.java:42)\",\"flags\":[\"daemon\"],"
                + "\"text\":\"worker\"}",
        "{\"t\":2000,\"thread\":1,\"threadName\":\"main\",\"kind\":\"MONITOR_REQUEST\",\"obj\":2,"
                + "\"objClass\":\"dev.example.Account\",\"objHash\":\"1b6d3586\","
                + "\"frame\":\"dev.example.Bank.transfer(Bank.java:42)\"}",
        "{\"t\":2100,\"thread\":1,\"threadName\":\"main\",\"kind\":\"MONITOR_ACQUIRED\",\"obj\":2,"
                + "\"objClass\":\"dev.example.Account\",\"objHash\":\"1b6d3586\","
                + "\"frame\":\"dev.example.Bank.transfer(Bank.java:42)\",\"value\":1}",
        "{\"t\":2500,\"thread\":1,\"threadName\":\"main\",\"kind\":\"CONDITION_AWAIT_BEGIN\",\"obj\":9,"
                + "\"objClass\":\"java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject\","
                + "\"objHash\":\"beef\",\"owner\":8,\"frame\":\"dev.example.Bank.main(Unknown Source)\","
                + "\"flags\":[\"timed\",\"timedOut\"],\"value\":-5}",
    };
    private static final String[] WORKER_LINES = {
        "{\"t\":1600,\"thread\":2,\"threadName\":\"worker\",\"kind\":\"THREAD_BEGIN\",\"flags\":[\"daemon\"],"
                + "\"text\":\"worker\"}",
        "{\"t\":1700,\"thread\":2,\"threadName\":\"worker\",\"kind\":\"LOCK_TRY_FAILED\",\"obj\":8,"
                + "\"objClass\":\"java.util.concurrent.locks.ReentrantReadWriteLock\",\"objHash\":\"cafe\","
                + "\"flags\":[\"read\",\"write\",\"timed\",\"interrupted\",\"timedOut\",\"daemon\",\"virtual\","
                + "\"preexisting\",\"deadline\",\"try\",\"failed\",\"snapshot\"],\"value\":1234567890123}",
    };

    @TempDir
    Path dir;

    private long workerChunkOffset;

    @Test
    void printsOneJsonObjectPerEventInFileOrder() throws IOException {
        Path trace = write("t.trace", craftedTrace());

        Cli.Result r = Cli.run("dump", trace.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines()).containsExactly(concat(MAIN_LINES, WORKER_LINES));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void printsStacksOnlyWhenAsked() throws IOException {
        Path trace = write("t.trace", craftedTrace());

        Cli.Result r = Cli.run("dump", "--stacks", trace.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines().get(2)).isEqualTo(MAIN_LINES[2].replace("}",
                ",\"stack\":[\"dev.example.Bank.transfer(Bank.java:42)\","
                        + "\"dev.example.Bank.main(Unknown Source)\"]}"));
        assertThat(r.outLines()).filteredOn(line -> line.contains("\"stack\"")).hasSize(2);
    }

    @Test
    void printsChannelEventsWithMethodOutcomeSizeAndTheQueuesCapacity() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TraceWriter w = new TraceWriter(bytes);
        w.writeHeader(new TraceHeader(TraceFormat.VERSION, "Test", "17", 42, "java Q", 1_700_000_000_000L, 99, Map.of()));
        String[] strings = {"main", "java.util.concurrent.ArrayBlockingQueue", "offer"};
        w.writeStrings(1, strings, strings.length);
        w.writeObjects(new long[] {1}, new int[] {2}, new int[] {0xabc}, new long[] {0}, new long[] {1}, 1);
        w.beginEvents(1, 1000);
        w.event(EventKind.CHANNEL_SEND_BEGIN.code(), 1000, 1, 0, 0, EventFlags.TRY, 0, 3);
        w.event(EventKind.CHANNEL_SEND_END.code(), 1001, 1, 0, 0, EventFlags.TRY | EventFlags.FAILED, 1, 3);
        w.endEvents();
        w.writeEnd(2000, 2, 0);
        w.flush();
        Path trace = write("q.trace", bytes.toByteArray());

        Cli.Result r = Cli.run("dump", trace.toString());

        assertThat(r.exitCode()).isZero();
        String queue = "\"obj\":1,\"objClass\":\"java.util.concurrent.ArrayBlockingQueue\",\"objHash\":\"abc\","
                + "\"objCapacity\":1,";
        assertThat(r.outLines()).containsExactly(
                "{\"t\":1000,\"thread\":1,\"kind\":\"CHANNEL_SEND_BEGIN\"," + queue
                        + "\"flags\":[\"try\"],\"text\":\"offer\"}",
                "{\"t\":1001,\"thread\":1,\"kind\":\"CHANNEL_SEND_END\"," + queue
                        + "\"flags\":[\"try\",\"failed\"],\"value\":1,\"text\":\"offer\"}");
    }

    @Test
    void truncatedTracePrintsEveryCompleteEventThenWarns() throws IOException {
        byte[] bytes = craftedTrace();
        Path trace = write("cut.trace", Arrays.copyOf(bytes, bytes.length - 3)); // inside the end chunk

        Cli.Result r = Cli.run("dump", trace.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines()).containsExactly(concat(MAIN_LINES, WORKER_LINES));
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("tangle dump: warning: " + trace + ": truncated: dropped the last ");
    }

    @Test
    void corruptChunkPrintsTheEventsBeforeItThenOneErrorLine() throws IOException {
        byte[] bytes = craftedTrace();
        bytes[(int) workerChunkOffset + 7] ^= 0x55; // inside the worker's event chunk: its checksum fails
        Path trace = write("bad.trace", bytes);

        Cli.Result r = Cli.run("dump", trace.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.outLines()).containsExactly(MAIN_LINES);
        assertThat(r.errLines()).containsExactly("tangle dump: " + trace
                + ": corrupt chunk: checksum mismatch at byte offset " + workerChunkOffset);
    }

    @Test
    void notATraceIsOneErrorLine() throws IOException {
        Path file = write("notes.txt", "hello, world\n".getBytes());

        Cli.Result r = Cli.run("dump", file.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        // dump reads traces, JFR recordings and thread dumps, told apart by content: the error says so
        assertThat(r.errLines()).containsExactly("tangle dump: " + file + ": not a Tangle trace, a JFR recording or"
                + " a thread dump (told by content: trace magic, JFR magic FLR\\0, \"Full thread dump\" text or a"
                + " JSON threadDump)");
    }

    @Test
    void missingFileIsOneErrorLine() {
        Path missing = dir.resolve("missing.trace");

        Cli.Result r = Cli.run("dump", missing.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("tangle dump: " + missing + ": no such file");
    }

    @Test
    void badOptionIsOneErrorLine() throws IOException {
        Path trace = write("t.trace", craftedTrace());

        Cli.Result r = Cli.run("dump", "--bogus", trace.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(
                "tangle dump: Unknown option: '--bogus' (see 'tangle dump --help')");
    }

    @Test
    void missingFileParameterIsOneErrorLine() {
        Cli.Result r = Cli.run("dump");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("tangle dump: Missing required parameter: 'FILE'");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * Two threads: main (one event chunk) and worker (a second chunk, whose offset is kept for the corruption
     * test). Object 2 shares its number with thread 2 on purpose.
     */
    private byte[] craftedTrace() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TraceWriter w = new TraceWriter(bytes);
        w.writeHeader(new TraceHeader(dev.tangle.trace.TraceFormat.VERSION, "Test", "17", 42,
                "java dev.example.Bank", 1_700_000_000_000L, 99,
                Map.of("stacks", "first")));
        String[] strings = {"main", "worker", "dev.example.Account", "dev.example.Bank", "transfer", "Bank.java",
            "main", "java.util.concurrent.locks.ReentrantReadWriteLock",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject"};
        w.writeStrings(1, strings, strings.length);
        // frame 1: Bank.transfer(Bank.java:42); frame 2: Bank.main, file and line unknown
        w.writeFrames(1, new int[] {4, 4}, new int[] {5, 7}, new int[] {6, 0}, new int[] {42, -1}, 2);
        w.writeStacks(1, new int[][] {{1, 2}}, 1);
        w.writeObjects(new long[] {2, 8, 9}, new int[] {3, 8, 9}, new int[] {0x1b6d3586, 0xcafe, 0xbeef},
                new long[] {0, 0, 8}, 3);

        w.beginEvents(1, 1000);
        w.event(EventKind.THREAD_BEGIN.code(), 1000, 0, 0, 0, EventFlags.PREEXISTING, 0, 1);
        w.event(EventKind.THREAD_START.code(), 1500, 2, 1, 1, EventFlags.DAEMON, 0, 2);
        w.event(EventKind.MONITOR_REQUEST.code(), 2000, 2, 1, 1, 0, 0, 0);
        w.event(EventKind.MONITOR_ACQUIRED.code(), 2100, 2, 1, 0, 0, 1, 0);
        w.event(EventKind.CONDITION_AWAIT_BEGIN.code(), 2500, 9, 2, 0,
                EventFlags.TIMED | EventFlags.TIMED_OUT, -5, 0);
        w.endEvents();

        workerChunkOffset = w.bytesWritten();
        w.beginEvents(2, 1600);
        w.event(EventKind.THREAD_BEGIN.code(), 1600, 0, 0, 0, EventFlags.DAEMON, 0, 2);
        w.event(EventKind.LOCK_TRY_FAILED.code(), 1700, 8, 0, 0, (1 << 12) - 1, 1_234_567_890_123L, 0);
        w.endEvents();

        w.writeEnd(3000, 7, 0);
        w.flush();
        return bytes.toByteArray();
    }
}
