package dev.tangle.cli;

import dev.tangle.live.LiveSession;
import dev.tangle.model.TraceModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code record} and {@code attach} share around a recording: with {@code --live}, a collector session whose
 * findings are printed while the program runs; at the end, the report of the trace written and its findings (only
 * the ones not printed yet, when live). Without {@code --live} it only reports.
 */
final class LiveRecording implements AutoCloseable {
    private final PrintWriter err;
    private final LiveFindingsPrinter printer;
    private final Path stream;
    private final LiveSession session;

    private LiveRecording(PrintWriter err, LiveFindingsPrinter printer, Path stream, LiveSession session) {
        this.err = err;
        this.printer = printer;
        this.stream = stream;
        this.session = session;
    }

    /** Starts the collector when {@code live}; findings and reports go to {@code err}. */
    static LiveRecording start(boolean live, PrintWriter err) throws IOException {
        if (!live) {
            return new LiveRecording(err, null, null, null);
        }
        LiveFindingsPrinter printer = new LiveFindingsPrinter(err);
        Path stream = Files.createTempFile("tangle-live-", ".trace");
        stream.toFile().deleteOnExit(); // also when tangle is stopped with the program
        try {
            return new LiveRecording(err, printer, stream, LiveSession.start(stream, printer));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stream);
            throw e;
        }
    }

    boolean isLive() {
        return session != null;
    }

    /** The agent options that stream to the collector ({@code live=...,token=...}), or "" when not live. */
    String agentOptions() {
        return session == null ? "" : session.agentOptions();
    }

    /** Prints {@code trace written ...} and, when {@code analyze}, the findings (the rest of them when live). */
    void report(Path shown, Path trace, boolean analyze) throws IOException, InterruptedException {
        RecordingReport.written(err, shown, trace);
        if (!analyze) {
            return;
        }
        TraceModel model = AnalyzeCommand.readModel(trace, shown.toString());
        if (session != null) {
            // some findings were printed while it ran: the rest now, then the count of all
            printer.finish(session, model, RecordingReport.shownSummary(model, shown));
        } else {
            RecordingReport.analyze(err, shown, model);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (session != null) {
                session.close();
            }
        } finally {
            if (stream != null) {
                Files.deleteIfExists(stream);
            }
        }
    }
}
