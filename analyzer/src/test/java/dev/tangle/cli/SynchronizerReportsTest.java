package dev.tangle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tangle.model.SyntheticTrace;
import dev.tangle.report.JsonReport;
import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Channels, synchronizers, futures and pools in {@code tangle analyze} (text, JSON) and {@code tangle dump}. */
class SynchronizerReportsTest {
    @TempDir
    Path dir;

    /** Main waits for ever on a hand-off queue that nothing sends to. */
    private Path handOffHang() throws IOException {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue("java.util.concurrent.SynchronousQueue", 0);
        tr.begin(1, 1, "main", EventFlags.PREEXISTING);
        tr.ev(10, 1, EventKind.CHANNEL_SEND_BEGIN, q, EventFlags.TIMED, 2_000_000, "offer");
        tr.ev(12, 1, EventKind.CHANNEL_SEND_END, q, EventFlags.TIMED_OUT, 0, "offer");
        tr.ev(20, 1, EventKind.CHANNEL_RECV_BEGIN, q, 0, 0, "take");
        return tr.incomplete().write(dir.resolve("handoff.trace"));
    }

    @Test
    void theTextReportNamesQueuesWithTheirCapacity() throws IOException {
        Cli.Result r = Cli.run("analyze", handOffHang().toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.outLines().get(0)).isEqualTo("error[COMMUNICATION_DEADLOCK]: Communication deadlock: \"main\""
                + " waits on channels that no live thread can serve; the program hung.");
        assertThat(r.out()).contains("  objects: SynchronousQueue@1000 (#100, capacity 0)",
                "  \"main\" waits in take() to receive from SynchronousQueue@1000 (#100, capacity 0), here",
                "  note: nothing was ever sent to SynchronousQueue@1000 (#100, capacity 0)");
    }

    @Test
    void jsonResourcesHaveTheirKindAndCapacity() throws IOException {
        Cli.Result r = Cli.run("analyze", "--format", "json", handOffHang().toString());

        JsonNode resource = JsonReport.mapper().readTree(r.out()).get("findings").get(0).get("resources").get(0);
        assertThat(resource.get("className").asText()).isEqualTo("java.util.concurrent.SynchronousQueue");
        assertThat(resource.get("identityHash").asText()).isEqualTo("1000");
        assertThat(resource.get("kind").asText()).isEqualTo("QUEUE");
        assertThat(resource.get("capacity").asLong()).isZero();
    }

    @Test
    void dumpPrintsTheNewKindsWithTheirCapacityValueTextAndFlags() throws IOException {
        SyntheticTrace tr = new SyntheticTrace();
        long q = tr.queue("java.util.concurrent.ArrayBlockingQueue", 8);
        long pool = tr.pool(4);
        tr.begin(1, 1, "main", EventFlags.PREEXISTING | EventFlags.SNAPSHOT);
        tr.ev(10, 1, EventKind.CHANNEL_SEND_BEGIN, q, EventFlags.TRY, 0, "offer");
        tr.ev(11, 1, EventKind.CHANNEL_SEND_END, q, EventFlags.FAILED, 8, "offer");
        tr.ev(12, 1, EventKind.POOL_CREATE, pool, 0, 2, "java.util.concurrent.ThreadPoolExecutor");
        Path trace = tr.write(dir.resolve("dump.trace"));

        Cli.Result r = Cli.run("dump", trace.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines()).containsExactly(
                "{\"t\":1,\"thread\":1,\"threadName\":\"main\",\"kind\":\"THREAD_BEGIN\",\"frame\":"
                        + "\"dev.example.App.run(App.java:1)\",\"flags\":[\"preexisting\",\"snapshot\"],"
                        + "\"text\":\"main\"}",
                "{\"t\":10,\"thread\":1,\"threadName\":\"main\",\"kind\":\"CHANNEL_SEND_BEGIN\",\"obj\":100,"
                        + "\"objClass\":\"java.util.concurrent.ArrayBlockingQueue\",\"objHash\":\"1000\","
                        + "\"objCapacity\":8,\"frame\":\"dev.example.App.run(App.java:10)\",\"flags\":[\"try\"],"
                        + "\"text\":\"offer\"}",
                "{\"t\":11,\"thread\":1,\"threadName\":\"main\",\"kind\":\"CHANNEL_SEND_END\",\"obj\":100,"
                        + "\"objClass\":\"java.util.concurrent.ArrayBlockingQueue\",\"objHash\":\"1000\","
                        + "\"objCapacity\":8,\"frame\":\"dev.example.App.run(App.java:11)\",\"flags\":[\"failed\"],"
                        + "\"value\":8,\"text\":\"offer\"}",
                "{\"t\":12,\"thread\":1,\"threadName\":\"main\",\"kind\":\"POOL_CREATE\",\"obj\":101,"
                        + "\"objClass\":\"java.util.concurrent.ThreadPoolExecutor\",\"objHash\":\"1001\","
                        + "\"objCapacity\":4,\"frame\":\"dev.example.App.run(App.java:12)\",\"value\":2,"
                        + "\"text\":\"java.util.concurrent.ThreadPoolExecutor\"}");
    }
}
