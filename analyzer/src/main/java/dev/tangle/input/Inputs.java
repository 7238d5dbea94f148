package dev.tangle.input;

import dev.tangle.dump.DumpMapper;
import dev.tangle.dump.JsonThreadDumpParser;
import dev.tangle.dump.TextThreadDumpParser;
import dev.tangle.dump.ThreadDump;
import dev.tangle.jfr.JfrMapper;
import dev.tangle.model.ImportedEvents;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceHeader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@code tangle analyze}, {@code dump} and {@code gui} accept, told apart by content
 * ({@link InputFormat}): a Tangle trace, a JFR recording, or thread dumps (text or JSON, one file or several,
 * one dump or several per file: several dumps of one JVM, in time order, are one trace), into the one model the
 * detectors use. Dumps and recordings are first turned into events of the trace's vocabulary ({@link DumpMapper},
 * {@link JfrMapper}); {@link ModelBuilder} replays them as it replays a trace.
 */
public final class Inputs {
    /** Between two dumps taken in the same second (a text dump's timestamp has no finer unit). */
    private static final long MIN_DUMP_GAP_NANOS = 1_000_000;

    private Inputs() {
    }

    /** Imported evidence: events in the trace's vocabulary and what the input cannot show. */
    public record Imported(InputFormat format, TraceHeader header, List<TraceEvent> events, long endTime,
                           String source, List<String> blindSpots) {
        public TraceModel model() {
            return ModelBuilder.build(header, events, endTime, source, format.label(), List.of(), blindSpots);
        }

        /** Thread names as their THREAD_BEGIN and THREAD_START events give them. */
        public Map<Long, String> threadNames() {
            Map<Long, String> names = new java.util.HashMap<>();
            for (TraceEvent e : events) {
                if (e.text() != null && e.kind() == dev.tangle.trace.EventKind.THREAD_BEGIN) {
                    names.put(e.threadId(), e.text());
                } else if (e.text() != null && e.kind() == dev.tangle.trace.EventKind.THREAD_START) {
                    names.putIfAbsent(e.objectId(), e.text());
                }
            }
            return names;
        }
    }

    /** The format of every file; a file that is none of them is bad input, and so is a mix that is no one trace. */
    public static InputFormat formatOf(List<Path> files) throws IOException {
        InputFormat format = null;
        for (Path file : files) {
            InputFormat f = InputFormat.of(file);
            if (f == null) {
                throw new InputFileException(file + ": not a Tangle trace, a JFR recording or a thread dump"
                        + " (told by content: trace magic, JFR magic FLR\\0, \"Full thread dump\" text or a JSON"
                        + " threadDump)");
            }
            boolean dump = f == InputFormat.THREAD_DUMP || f == InputFormat.JSON_THREAD_DUMP;
            if (format != null && (!dump || (format != InputFormat.THREAD_DUMP
                    && format != InputFormat.JSON_THREAD_DUMP))) {
                throw new InputFileException(file + ": only thread dumps can be read together; a "
                        + f.label() + " is read alone");
            }
            format = format == null ? f : format;
        }
        return format;
    }

    /** Imports a JFR recording or thread dumps (not a Tangle trace, which has its own reader). */
    public static Imported importFiles(List<Path> files) throws IOException {
        InputFormat format = formatOf(files);
        String source = files.size() == 1 ? files.get(0).toString() : files.get(0) + " and " + (files.size() - 1)
                + " more";
        if (format == InputFormat.JFR) {
            JfrMapper.Mapped m = JfrMapper.read(files.get(0));
            TraceHeader header = new TraceHeader(0, "", m.jvm(), 0, "JFR recording " + files.get(0),
                    m.startEpochMillis(), 0, Map.of());
            return new Imported(format, header, m.events().events(), m.endTime(), source, m.blindSpots());
        }
        if (format == InputFormat.TANGLE_TRACE) {
            throw new IllegalArgumentException("a Tangle trace is read with TraceReader");
        }
        List<ThreadDump> dumps = new ArrayList<>();
        boolean json = false;
        for (Path file : files) {
            String text = read(file);
            if (JsonThreadDumpParser.looksLikeDump(text)) {
                json = true;
                dumps.add(JsonThreadDumpParser.parse(text, file.toString()));
            } else {
                dumps.addAll(TextThreadDumpParser.parse(text, file.toString()));
            }
        }
        // in time order; dumps without a time (or of the same second) keep the order they were given in
        List<ThreadDump> ordered = new ArrayList<>(dumps);
        ordered.sort(Comparator.comparingLong(d -> d.epochMillis() < 0 ? Long.MIN_VALUE : d.epochMillis()));
        if (ordered.stream().anyMatch(d -> d.epochMillis() < 0)) {
            ordered = dumps;
        }
        long startMillis = ordered.get(0).epochMillis();
        ImportedEvents events = new ImportedEvents();
        DumpMapper mapper = new DumpMapper(events, true);
        long time = 0;
        long[] times = new long[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
            ThreadDump d = ordered.get(i);
            long at = d.epochMillis() < 0 || startMillis < 0 ? 0 : (d.epochMillis() - startMillis) * 1_000_000;
            time = i == 0 ? 0 : Math.max(at, time + MIN_DUMP_GAP_NANOS);
            times[i] = time;
        }
        mapper.addAll(ordered, times);
        String jvm = ordered.get(ordered.size() - 1).jvm();
        TraceHeader header = new TraceHeader(0, "", jvm, 0, ordered.size() == 1 ? "thread dump " + source
                : ordered.size() + " thread dumps " + source, Math.max(0, startMillis), 0, Map.of());
        return new Imported(json && format == InputFormat.JSON_THREAD_DUMP ? InputFormat.JSON_THREAD_DUMP
                : InputFormat.THREAD_DUMP, header, events.events(), time + 10, source, dumpBlindSpots(ordered));
    }

    private static List<String> dumpBlindSpots(List<ThreadDump> dumps) {
        List<String> spots = new ArrayList<>();
        spots.add("history: " + (dumps.size() == 1 ? "a thread dump shows one moment" : "thread dumps show "
                + dumps.size() + " moments") + "; what happened in between is not seen, and there is no lock order"
                + " (no POTENTIAL_DEADLOCK, LIVELOCK only as threads that did not move, no STARVATION)");
        spots.add("owners: latches, queues, conditions, semaphores and futures have no owner: a thread parked on"
                + " one is seen waiting, but not who should wake it");
        spots.add("readLocks: a dump does not list ReentrantReadWriteLock read holds; a thread waiting for a write"
                + " lock that nobody holds for writing is taken to hold the read lock itself (an upgrade) only when"
                + " nothing else in the program can move, or it waited so in consecutive dumps over 5 s up to the last");
        if (dumps.stream().anyMatch(d -> !d.listsOwnableSynchronizers())) {
            spots.add("synchronizers: " + (dumps.stream().allMatch(d -> !d.listsOwnableSynchronizers()) ? "the dumps"
                    : "some dumps") + " do not list ownable synchronizers (jstack without -l, or a JSON dump):"
                    + " who holds a ReentrantLock is not known there, and a thread waiting for one is shown parked");
        }
        if (dumps.stream().anyMatch(d -> d.threads().stream().allMatch(t -> t.state() == null))) {
            spots.add("states: a JSON dump of JDK 21 has no thread states nor locks: nothing can be found in it"
                    + " (a thread that did not move may be spinning or blocked); use jstack -l or jcmd Thread.print -l");
        }
        return spots;
    }

    private static String read(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        }
    }
}
