package dev.tangle.gui.io;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.gui.timeline.model.TimelineData;
import dev.tangle.input.InputFormat;
import dev.tangle.input.Inputs;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.TraceReader;
import javafx.concurrent.Task;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a trace (or a JFR recording or thread dump, told by content: {@link Inputs}) off the FX thread: reads it into a model (progress = bytes read), builds the lanes, publishes
 * them as a first {@link #valueProperty() value} without findings (the timeline can show), then runs the detectors
 * and ends with the full value. {@link #cancel()} stops it at the next read. A failure's message names the file and the problem,
 * ready for the error dialog.
 */
public final class TraceLoader extends Task<LoadedTrace> {
    private final Path file;

    public TraceLoader(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    protected LoadedTrace call() throws Exception {
        updateMessage("Reading " + file.getFileName() + " ...");
        long size;
        try {
            size = Math.max(1, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": a directory, not a trace file");
        }
        TraceModel model;
        InputFormat format = InputFormat.of(file);
        if (format == null || format == InputFormat.TANGLE_TRACE) {
            // (not a trace either: the reader says so, naming the file)
            try (InputStream in = new Progress(Files.newInputStream(file), size);
                 TraceReader reader = TraceReader.of(in, file.toString())) {
                model = ModelBuilder.build(reader, file.toString());
            }
        } else {
            updateMessage("Reading " + file.getFileName() + " (" + format.label() + ") ...");
            model = Inputs.importFiles(List.of(file)).model(); // a recording or dumps: whole, no progress
        }
        updateProgress(-1, 1);
        updateMessage("Building lanes ...");
        TimelineData timeline = TimelineData.of(model, this::isCancelled);
        // the timeline shows now; the findings follow when the detectors are done
        updateValue(new LoadedTrace(file, model, timeline, List.of()));
        updateMessage("Looking for bugs ...");
        List<Finding> findings = Detectors.analyze(model);
        updateMessage("");
        return new LoadedTrace(file, model, timeline, findings);
    }

    /** Counts bytes for the progress bar and stops reading once the task is cancelled. */
    private final class Progress extends FilterInputStream {
        private final long size;
        private long read;
        private long reported;

        Progress(InputStream in, long size) {
            super(in);
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            check();
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void check() throws InterruptedIOException {
            if (isCancelled()) {
                throw new InterruptedIOException("cancelled");
            }
        }

        private void count(int n) {
            read += n;
            if (read - reported > size / 200 + 65536) {
                reported = read;
                updateProgress(read, size);
            }
        }
    }
}
