package dev.tangle.cli;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.model.TraceModel;
import dev.tangle.model.TraceSummary;
import dev.tangle.report.TextReport;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceFormatException;
import dev.tangle.trace.TraceHeader;
import dev.tangle.trace.TraceReader;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code tangle record} and {@code tangle attach} print when a recording ends: the trace's size, its
 * warnings and blind spots, then the findings on stderr (stdout belongs to the recorded program).
 */
final class RecordingReport {
    private RecordingReport() {
    }

    /**
     * The absolute path the agent is to write {@code trace} to, checked (agent options are comma separated and
     * have no escape, so the path cannot contain ','; it cannot be a directory) and cleared: a trace left from an
     * earlier run must not pass for this one.
     */
    static Path newTraceFile(Path trace) throws IOException {
        Path absoluteTrace = trace.toAbsolutePath();
        if (absoluteTrace.toString().contains(",")) {
            throw new BadInputException(trace + ": the trace file's path cannot contain ','");
        }
        if (Files.isDirectory(absoluteTrace)) {
            throw new BadInputException(trace + ": is a directory");
        }
        Files.deleteIfExists(absoluteTrace);
        return absoluteTrace;
    }

    /** Reads the trace back: {@code tangle: trace written to FILE (N events, B bytes)}, warnings, blind spots. */
    static void written(PrintWriter err, Path shown, Path trace) throws IOException {
        if (!Files.exists(trace)) {
            throw new BadInputException("no trace was written to " + shown
                    + " (the agent did not start; see its message above)");
        }
        long events = 0;
        List<String> warnings;
        TraceHeader header;
        try (TraceReader reader = TraceReader.open(trace)) {
            header = reader.header();
            for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
                events++;
            }
            warnings = reader.warnings();
        } catch (TraceFormatException e) {
            throw new BadInputException(shown + ": " + e.getMessage());
        }
        err.println("tangle: trace written to " + shown + " (" + events + " events, " + Files.size(trace)
                + " bytes)");
        for (String warning : warnings) {
            err.println("tangle: warning: " + warning);
        }
        for (String blindSpot : blindSpots(header)) {
            err.println("tangle: blind spot: " + blindSpot);
        }
        err.flush();
    }

    /** Prints the findings as {@code tangle analyze} would, naming the trace as {@code shown}. */
    static void analyze(PrintWriter err, Path shown, Path trace) throws IOException {
        analyze(err, shown, AnalyzeCommand.readModel(trace, shown.toString()));
    }

    /** Prints the findings of a model already read. */
    static void analyze(PrintWriter err, Path shown, TraceModel model) {
        List<Finding> findings = Detectors.analyze(model);
        TextReport.write(err, findings, shownSummary(model, shown));
    }

    /** The model's summary with the trace named as the user gave it. */
    static TraceSummary shownSummary(TraceModel model, Path shown) {
        TraceSummary summary = model.summary();
        return new TraceSummary(shown.toString(), summary.command(), summary.jvm(), summary.startEpochMillis(),
                summary.events(), summary.threads(), summary.resources(), summary.endTime(), summary.complete(),
                summary.lostEvents(), summary.warnings());
    }

    /** What the recording says it could not see (header properties {@code blindSpot.*}), by key. */
    static List<String> blindSpots(TraceHeader header) {
        return dev.tangle.report.BlindSpots.of(header);
    }

    /** The blind spots of a trace file; none when its header cannot be read (the caller reports that). */
    static List<String> blindSpots(Path trace) {
        try (TraceReader reader = TraceReader.open(trace)) {
            return blindSpots(reader.header());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
