package dev.tangle.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.model.BlockReason;
import dev.tangle.model.Hold;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.Operation;
import dev.tangle.model.OperationKind;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;
import dev.tangle.samples.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tangle export --format perfetto} on demos recorded under the real agent (child JVMs), read back with
 * Jackson and checked for the structure ui.perfetto.dev and chrome://tracing rely on, and against the model and
 * the findings of the same trace.
 */
class ExportCommandTest {
    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A monitor deadlock, a pool that deadlocks on its own futures, and a channel pipeline that works. */
    private static Path deadlock;
    private static Path pool;
    private static Path pipeline;
    /** Producers and consumers on a ReentrantLock and its conditions: contended, released, signalled. */
    private static Path boundedBuffer;

    @BeforeAll
    static void record() throws IOException {
        deadlock = demo("deadlock-monitors");
        pool = demo("pool-self-deadlock");
        pipeline = demo("pipeline");
        boundedBuffer = demo("bounded-buffer");
    }

    private static Path demo(String name) throws IOException {
        Path trace = dir.resolve(name + ".trace");
        Path log = dir.resolve(name + ".log");
        Cli.Result r = Cli.run(cmd -> ((DemoCommand) cmd.getSubcommands().get("demo").getCommand())
                .redirectChildOutput(log), "demo", name, "--out", trace.toString());
        assertThat(r.exitCode()).as("demo %s: %s %s", name, r.err(), Files.exists(log) ? Files.readString(log) : "")
                .isZero();
        return trace;
    }

    /** The export of one trace, read back, with the model and findings of the same trace. */
    private record Export(JsonNode root, TraceModel model, List<Finding> findings, String out) {
        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            root.get("traceEvents").forEach(events::add);
            return events;
        }

        List<JsonNode> on(long tid, String ph) {
            return events().stream().filter(e -> e.get("tid").asLong() == tid && e.get("ph").asText().equals(ph))
                    .toList();
        }

        long tid(String threadName) {
            return model.threads().stream().filter(t -> threadName.equals(t.name())).findFirst().orElseThrow().id();
        }
    }

    private static Export export(Path trace) throws IOException {
        Path json = dir.resolve(trace.getFileName() + ".json");
        Cli.Result r = Cli.run("export", trace.toString(), "--format", "perfetto", "--out", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        TraceModel model = AnalyzeCommand.readAnyModel(List.of(trace));
        JsonNode root = JSON.readTree(json.toFile()); // valid JSON, one value, nothing after it
        Export e = new Export(root, model, Detectors.analyze(model), r.out());
        assertWellFormed(e);
        return e;
    }

    private static BigDecimal micros(long nanos) {
        return BigDecimal.valueOf(nanos).movePointLeft(3);
    }

    private static BigDecimal ts(JsonNode e) {
        return e.get("ts").decimalValue();
    }

    private static BigDecimal end(JsonNode e) {
        return ts(e).add(e.get("dur").decimalValue());
    }

    /** What every export must be, whatever the program: the checks of the Trace Event Format's readers. */
    private static void assertWellFormed(Export x) {
        assertThat(x.root().get("displayTimeUnit").asText()).isEqualTo("ns");
        List<JsonNode> events = x.events();
        Map<Long, Long> pidOf = new HashMap<>();
        Map<Long, String> trackNames = new HashMap<>();
        Set<Long> namedProcesses = new HashSet<>();
        for (JsonNode e : events) {
            assertThat(e.get("ph").asText()).as("%s", e).isIn("M", "X", "i");
            assertThat(e.get("pid").isIntegralNumber() && e.get("tid").isIntegralNumber()).as("%s", e).isTrue();
            if (e.get("ph").asText().equals("M")) {
                switch (e.get("name").asText()) {
                    case "thread_name" -> {
                        assertThat(trackNames.put(e.get("tid").asLong(), e.get("args").get("name").asText()))
                                .as("one name per track: %s", e).isNull();
                        pidOf.put(e.get("tid").asLong(), e.get("pid").asLong());
                    }
                    case "process_name" -> namedProcesses.add(e.get("pid").asLong());
                    case "thread_sort_index", "process_sort_index" ->
                            assertThat(e.get("args").get("sort_index").isIntegralNumber()).isTrue();
                    default -> throw new AssertionError("unknown metadata " + e);
                }
            }
        }
        // every thread has a named track, in a named group
        for (ThreadInfo t : x.model().threads()) {
            assertThat(trackNames.get(t.id())).as("track of thread #%d", t.id()).isNotBlank()
                    .isEqualTo(x.model().threadName(t.id()).isEmpty() ? "thread #" + t.id()
                            : x.model().threadName(t.id()));
            assertThat(namedProcesses).contains(pidOf.get(t.id()));
        }
        assertThat(trackNames).hasSize(x.model().threads().size());

        Map<Long, List<JsonNode>> tracks = new HashMap<>();
        for (JsonNode e : events) {
            if (!e.get("ph").asText().equals("M")) {
                long tid = e.get("tid").asLong();
                assertThat(pidOf).as("an event on a track that has no name: %s", e).containsKey(tid);
                assertThat(e.get("pid").asLong()).as("%s", e).isEqualTo(pidOf.get(tid));
                assertThat(ts(e)).as("%s", e).isNotNegative();
                tracks.computeIfAbsent(tid, k -> new ArrayList<>()).add(e);
            }
        }
        tracks.forEach((tid, track) -> {
            // timestamps never go back on one track
            for (int i = 1; i < track.size(); i++) {
                assertThat(ts(track.get(i))).as("track %d, event %d: %s", tid, i, track.get(i))
                        .isGreaterThanOrEqualTo(ts(track.get(i - 1)));
            }
            // slices nest: each one ends before the next one starts, or inside the one that contains it
            List<JsonNode> slices = track.stream().filter(e -> e.get("ph").asText().equals("X"))
                    .sorted(Comparator.comparing(ExportCommandTest::ts)
                            .thenComparing(e -> e.get("dur").decimalValue(), Comparator.reverseOrder()))
                    .toList();
            Deque<JsonNode> open = new ArrayDeque<>();
            for (JsonNode s : slices) {
                assertThat(s.get("dur").decimalValue()).isNotNegative();
                while (!open.isEmpty() && end(open.peek()).compareTo(ts(s)) <= 0
                        && end(open.peek()).compareTo(end(s)) < 0) {
                    open.pop();
                }
                if (!open.isEmpty()) {
                    assertThat(end(s)).as("track %d: %s overlaps %s", tid, s, open.peek())
                            .isLessThanOrEqualTo(end(open.peek()));
                }
                open.push(s);
            }
        });

        // every flow has one start and one end, on tracks that exist, the start not after the end
        Map<String, List<JsonNode>> flows = events.stream().filter(e -> e.has("bind_id"))
                .collect(Collectors.groupingBy(e -> e.get("bind_id").asText()));
        flows.forEach((id, ends) -> {
            assertThat(ends).as("flow %s", id).hasSize(2);
            JsonNode out = ends.stream().filter(e -> e.path("flow_out").asBoolean()).findFirst().orElseThrow();
            JsonNode in = ends.stream().filter(e -> e.path("flow_in").asBoolean()).findFirst().orElseThrow();
            assertThat(ts(out)).as("flow %s", id).isLessThanOrEqualTo(ts(in));
            assertThat(out.get("ph").asText()).isEqualTo("X");
            assertThat(in.get("ph").asText()).isEqualTo("X");
            assertThat(out.get("cat").asText()).isEqualTo(in.get("cat").asText()).isIn("wake", "held");
        });

        // one slice per interval in which a thread did not run, at its exact times (ns kept as fractions)
        for (ThreadInfo t : x.model().threads()) {
            List<StateInterval> waits = x.model().states(t.id()).stream()
                    .filter(s -> s.state() != ThreadState.RUNNING && s.state() != ThreadState.TERMINATED).toList();
            List<JsonNode> slices = x.on(t.id(), "X").stream().filter(e -> !e.has("bind_id")).toList();
            assertThat(slices).as("slices of %s", t.name()).hasSize(waits.size());
            for (int i = 0; i < waits.size(); i++) {
                assertThat(ts(slices.get(i))).isEqualByComparingTo(micros(waits.get(i).start()));
                assertThat(end(slices.get(i))).isEqualByComparingTo(micros(waits.get(i).end()));
                assertThat(slices.get(i).get("args").get("state").asText()).isEqualTo(waits.get(i).state().name());
            }
        }

        // the findings, as instants on the tracks of exactly the threads they name
        for (Finding f : x.findings()) {
            Set<Long> named = f.threads().stream().map(x::tid).collect(Collectors.toSet());
            List<JsonNode> instants = events.stream().filter(e -> e.get("ph").asText().equals("i")
                    && e.get("cat").asText().equals("finding") && e.get("args").get("id").asText().equals(f.id()))
                    .toList();
            assertThat(instants.stream().map(e -> e.get("tid").asLong()).collect(Collectors.toSet()))
                    .isEqualTo(named);
            assertThat(instants).hasSize(named.size()).allSatisfy(e -> {
                assertThat(e.get("s").asText()).isEqualTo("t");
                assertThat(ts(e)).isEqualByComparingTo(micros(f.time()));
                assertThat(e.get("name").asText()).isEqualTo(f.type() + ": " + f.summary());
                assertThat(e.get("args").get("type").asText()).isEqualTo(f.type().name());
            });
        }
    }

    @Test
    void aThreadDumpExportsWithItsDeadlocksOnTheThreadsTheyName() throws IOException {
        Path dump = dir.resolve("hang-jdk17-jstack-l.txt");
        try (var in = ExportCommandTest.class.getResourceAsStream("/dumps/hang-jdk17-jstack-l.txt")) {
            Files.copy(in, dump);
        }
        Export x = export(dump);
        assertThat(x.findings()).isNotEmpty().allSatisfy(f -> assertThat(f.type().name()).isEqualTo("DEADLOCK"));
        assertThat(x.events().stream().filter(e -> e.path("cat").asText().equals("finding")).count())
                .isEqualTo(x.findings().stream().mapToLong(f -> f.threads().size()).sum());
    }

    @Test
    void aMonitorDeadlockShowsBothBlocksTheirHoldersAndTheFinding() throws IOException {
        Export x = export(deadlock);
        long ab = x.tid("printSum(a, b)");
        long ba = x.tid("printSum(b, a)");
        assertThat(x.findings()).singleElement().satisfies(f -> assertThat(f.type().name()).isEqualTo("DEADLOCK"));
        assertThat(x.events().stream().filter(e -> e.get("cat") != null && e.get("cat").asText().equals("finding"))
                .map(e -> e.get("tid").asLong())).containsExactlyInAnyOrder(ab, ba);

        for (long[] pair : new long[][] {{ab, ba}, {ba, ab}}) {
            long waiter = pair[0];
            long holder = pair[1];
            StateInterval blocked = x.model().states(waiter).stream()
                    .filter(s -> s.reason() == BlockReason.MONITOR_ENTER).findFirst().orElseThrow();
            JsonNode slice = x.on(waiter, "X").stream().filter(e -> e.get("cat").asText().equals("blocked"))
                    .findFirst().orElseThrow();
            assertThat(slice.get("name").asText()).isEqualTo("blocked on "
                    + x.model().resource(blocked.resource()).label());
            assertThat(slice.get("name").asText()).contains("PrintSumDeadlock$Value@");
            assertThat(slice.get("args").get("untilTheEnd").asBoolean()).isTrue();
            // the arrow from the holder's acquisition of that monitor to the waiter's request
            Hold hold = x.model().holds(blocked.resource()).stream().filter(h -> h.threadId() == holder)
                    .findFirst().orElseThrow();
            JsonNode in = x.on(waiter, "X").stream().filter(e -> e.path("flow_in").asBoolean()
                    && e.get("cat").asText().equals("held")).findFirst().orElseThrow();
            assertThat(ts(in)).isEqualByComparingTo(micros(blocked.start()));
            JsonNode out = x.events().stream().filter(e -> e.path("flow_out").asBoolean()
                    && e.get("bind_id").equals(in.get("bind_id"))).findFirst().orElseThrow();
            assertThat(out.get("tid").asLong()).isEqualTo(holder);
            assertThat(ts(out)).isEqualByComparingTo(micros(hold.start()));
            assertThat(in.get("name").asText()).isEqualTo("held by " + x.model().threadName(holder));
        }
        assertThat(x.out()).startsWith("tangle: wrote ").endsWith("1 finding)" + System.lineSeparator());
    }

    @Test
    void poolWorkersAreGroupedUnderTheirPoolAndTheCommunicationDeadlockNamesThem() throws IOException {
        Export x = export(pool);
        Map<Long, String> processNames = new HashMap<>();
        Map<Long, Long> pidOf = new HashMap<>();
        for (JsonNode e : x.events()) {
            if (e.get("ph").asText().equals("M") && e.get("name").asText().equals("process_name")) {
                processNames.put(e.get("pid").asLong(), e.get("args").get("name").asText());
            }
            if (e.get("ph").asText().equals("M") && e.get("name").asText().equals("thread_name")) {
                pidOf.put(e.get("tid").asLong(), e.get("pid").asLong());
            }
        }
        assertThat(processNames.get(pidOf.get(x.tid("main")))).isEqualTo("threads");
        for (String worker : List.of("pool-1-thread-1", "pool-1-thread-2")) {
            assertThat(processNames.get(pidOf.get(x.tid(worker)))).startsWith("pool ThreadPoolExecutor@")
                    .endsWith(", max 2 threads)");
        }
        assertThat(x.findings()).singleElement()
                .satisfies(f -> assertThat(f.type().name()).isEqualTo("COMMUNICATION_DEADLOCK"));
        assertThat(x.events().stream().filter(e -> e.get("cat") != null && e.get("cat").asText().equals("finding"))
                .map(e -> x.model().threadName(e.get("tid").asLong())))
                .containsExactlyInAnyOrderElementsOf(Scenarios.all().stream()
                        .filter(s -> s.name().equals("pool-self-deadlock")).findFirst().orElseThrow().threads());
        // the waits on futures name the call and the future, as the viewer does
        assertThat(x.on(x.tid("main"), "X")).anySatisfy(e -> assertThat(e.get("name").asText())
                .startsWith("waiting (waiting in get() on FutureTask@"));
    }

    @Test
    void everyChannelWaitThatWasEndedByAnotherThreadHasItsArrow() throws IOException {
        Export x = export(pipeline);
        assertThat(x.findings()).isEmpty();
        int checked = 0;
        for (ThreadInfo t : x.model().threads()) {
            for (StateInterval s : x.model().states(t.id())) {
                if (s.reason() != BlockReason.CHANNEL_RECEIVE && s.reason() != BlockReason.CHANNEL_SEND) {
                    continue;
                }
                Operation waker = x.model().wokenBy(t.id(), s.start()).orElse(null);
                List<JsonNode> in = x.on(t.id(), "X").stream().filter(e -> e.path("flow_in").asBoolean()
                        && e.get("cat").asText().equals("wake") && ts(e).compareTo(micros(s.end())) == 0).toList();
                if (waker == null) {
                    assertThat(in).isEmpty();
                    continue;
                }
                assertThat(in).as("the wake-up of %s at %d", t.name(), s.end()).hasSize(1);
                JsonNode out = x.events().stream().filter(e -> e.path("flow_out").asBoolean()
                        && e.get("bind_id").equals(in.get(0).get("bind_id"))).findFirst().orElseThrow();
                assertThat(out.get("tid").asLong()).isEqualTo(waker.threadId());
                assertThat(ts(out)).isBetween(micros(waker.start()), micros(waker.end()));
                checked++;
            }
        }
        assertThat(checked).as("channel waits ended by another thread").isPositive();
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws IOException {
        Path json = dir.resolve("bad.json");
        Path missing = dir.resolve("missing.trace");
        Path corrupt = Files.write(dir.resolve("corrupt.trace"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

        assertOneLine(Cli.run("export", missing.toString(), "--format", "perfetto", "--out", json.toString()),
                "tangle export: " + missing + ": no such file");
        Cli.Result r = Cli.run("export", corrupt.toString(), "--format", "perfetto", "--out", json.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("tangle export: " + corrupt);
        assertOneLine(Cli.run("export", deadlock.toString(), "--format", "svg", "--out", json.toString()),
                "tangle export: --format must be perfetto, not 'svg' (see 'tangle export --help')");
        Path noDir = dir.resolve("no-such-dir").resolve("x.json");
        assertOneLine(Cli.run("export", deadlock.toString(), "--format", "perfetto", "--out", noDir.toString()),
                "tangle export: " + noDir + ": cannot write: no such directory " + noDir.getParent());
        assertOneLine(Cli.run("export", deadlock.toString(), "--format", "perfetto", "--out", dir.toString()),
                "tangle export: " + dir + ": is a directory");
        assertThat(json).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    private static void assertOneLine(Cli.Result r, String line) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(line);
        assertThat(r.out()).isEmpty();
    }

    /**
     * The indexed searches behind the arrows ({@link TraceModel#holdsAt}, {@link TraceModel#lastReleaseWithin},
     * {@link TraceModel#wokenBy}, {@link TraceModel#lastOperationAt}) give what a scan of every hold and operation
     * gives, for every interval of four recordings.
     */
    @Test
    void theIndexedSearchesAnswerAsAScanDoes() throws IOException {
        int compared = 0;
        for (Path trace : List.of(deadlock, pool, pipeline, boundedBuffer)) {
            TraceModel model = ModelBuilder.build(trace);
            for (ThreadInfo t : model.threads()) {
                for (StateInterval s : model.states(t.id())) {
                    if (s.reason().isLockAcquisition()) {
                        List<Hold> all = model.holds(s.resource());
                        assertThat(model.holdsAt(s.resource(), s.start()))
                                .isEqualTo(all.stream().filter(h -> h.contains(s.start())).toList());
                        Hold last = null;
                        for (Hold h : all) {
                            if (h.threadId() != s.threadId() && !h.open() && h.end() >= s.start()
                                    && h.end() <= s.end() && (last == null || h.end() > last.end())) {
                                last = h;
                            }
                        }
                        assertThat(model.lastReleaseWithin(s.resource(), s.threadId(), s.start(), s.end()))
                                .isEqualTo(Optional.ofNullable(last));
                        compared++;
                    }
                    if (s.reason().isSynchronizerWait() && !s.open() && !s.timedOut() && !s.interrupted()
                            && !s.failed()) {
                        OperationKind waiting = switch (s.reason()) {
                            case CHANNEL_SEND -> OperationKind.SEND;
                            case CHANNEL_RECEIVE -> OperationKind.RECEIVE;
                            case EXCHANGE -> OperationKind.EXCHANGE;
                            case LATCH_AWAIT -> OperationKind.LATCH_AWAIT;
                            case SEMAPHORE_ACQUIRE -> OperationKind.ACQUIRE;
                            case BARRIER_AWAIT -> OperationKind.BARRIER_AWAIT;
                            case FUTURE_GET -> OperationKind.FUTURE_GET;
                            default -> OperationKind.POOL_AWAIT;
                        };
                        Operation best = null;
                        for (Operation op : model.operations(s.resource())) {
                            if (op.threadId() != t.id() && op.kind().wakes(waiting) && op.start() <= s.end()
                                    && op.end() >= s.start() && op.outcome() != Operation.Outcome.TIMED_OUT
                                    && op.outcome() != Operation.Outcome.INTERRUPTED
                                    && (op.outcome() != Operation.Outcome.FAILED
                                    || op.kind() == OperationKind.COMPLETE)) {
                                best = op;
                            }
                        }
                        assertThat(model.wokenBy(t.id(), s.start()).orElse(null)).isSameAs(best);
                        compared++;
                    }
                    Operation byScan = null;
                    for (Operation op : model.operationsBy(t.id())) {
                        if (op.start() > s.start()) {
                            break;
                        }
                        if (op.end() >= s.start() && op.method() != null) {
                            byScan = op;
                        }
                    }
                    assertThat(model.lastOperationAt(t.id(), s.start(), op -> op.method() != null).orElse(null))
                            .isSameAs(byScan);
                }
            }
        }
        assertThat(compared).isPositive();
        export(boundedBuffer); // and its export is well-formed too
    }
}
