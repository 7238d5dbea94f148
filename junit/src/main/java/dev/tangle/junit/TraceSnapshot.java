package dev.tangle.junit;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.TraceModel;
import dev.tangle.report.BlindSpots;
import dev.tangle.report.JsonReport;
import dev.tangle.trace.TraceReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The trace as far as it was written when taken ({@link AgentSession#flush}), its model and every detector's
 * findings on it. Built without recording: the analysis is not the program.
 */
final class TraceSnapshot {
    final Path trace;
    final long length;
    final TraceModel model;
    final List<Finding> findings;
    final List<String> blindSpots;

    private TraceSnapshot(Path trace, long length, TraceModel model, List<Finding> findings,
                          List<String> blindSpots) {
        this.trace = trace;
        this.length = length;
        this.model = model;
        this.findings = findings;
        this.blindSpots = blindSpots;
    }

    static TraceSnapshot take(AgentSession session) {
        TraceSnapshot[] result = new TraceSnapshot[1];
        RuntimeException[] failure = new RuntimeException[1];
        session.runUnrecorded(() -> {
            try {
                long length = session.flush();
                if (length < 0) {
                    throw new IllegalStateException("the agent stopped recording to " + session.trace);
                }
                TraceModel model = ModelBuilder.buildPrefix(session.trace, length);
                List<String> blindSpots;
                try (TraceReader r = TraceReader.open(session.trace)) {
                    blindSpots = BlindSpots.of(r.header());
                }
                result[0] = new TraceSnapshot(session.trace, length, model, Detectors.analyze(model), blindSpots);
            } catch (IOException e) {
                failure[0] = new UncheckedIOException("tangle: cannot read the trace " + session.trace + ": "
                        + e.getMessage(), e);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    /** Names of the threads that began in the window, and of the test's own threads. */
    Set<String> threadsOf(TestWindow w, long... ownThreads) {
        Set<String> names = new LinkedHashSet<>();
        for (ThreadInfo t : model.threads()) {
            long began = t.startTime() >= 0 ? t.startTime() : t.beginTime();
            if (began >= 0 && w.contains(began) && !w.aliveBefore.contains(t.id())) {
                names.add(t.name());
            }
        }
        for (long id : ownThreads) {
            model.thread(id).ifPresent(t -> names.add(t.name()));
        }
        return names;
    }

    /**
     * Writes the trace so far ({@code NAME.trace}, a prefix of the recording: no end chunk) and the findings
     * ({@code NAME.json}, as {@code tangle analyze --format json}) into {@code dir}; returns the two paths.
     */
    List<Path> write(Path dir, String name, List<Finding> selected) {
        try {
            Files.createDirectories(dir);
            Path traceCopy = dir.resolve(name + ".trace");
            try (InputStream in = Files.newInputStream(trace); OutputStream out = Files.newOutputStream(traceCopy)) {
                byte[] buffer = new byte[1 << 16];
                long left = length;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
            Path json = dir.resolve(name + ".json");
            try (Writer w = Files.newBufferedWriter(json)) {
                JsonReport.write(w, selected, model.summary());
            }
            return List.of(traceCopy, json);
        } catch (IOException e) {
            System.err.println("tangle: cannot write the report of " + name + " into " + dir + ": " + e);
            return new ArrayList<>();
        }
    }
}
