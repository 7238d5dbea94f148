package dev.tangle.gui.live;

import dev.tangle.detect.Finding;
import dev.tangle.live.LiveSession;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.TraceReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What both live sources share: the agent records to a trace file and streams to a {@link LiveSession} (as
 * {@code tangle record/attach --live} do); each live analysis is a snapshot; when the recording ends, the complete
 * file is read and analysed by every detector for the last snapshot.
 */
abstract class StreamedRecording implements LiveSource {
    private final List<Finding> found = new ArrayList<>(); // guarded by itself
    private Path dir;
    private LiveSession session;
    private volatile boolean stopRequested;

    /** Starts the program's recording to {@code trace} with the agent options {@code liveOptions} appended. */
    protected abstract void begin(Path trace, String liveOptions) throws Exception;

    /** Returns once the recording has ended and its trace file is complete. */
    protected abstract void awaitEnd() throws InterruptedException;

    /** Ends the recording (returns before it has ended: {@link #awaitEnd} tells). */
    protected abstract void end() throws Exception;

    protected final boolean stopRequested() {
        return stopRequested;
    }

    @Override
    public final void start(Consumer<Snapshot> snapshots, Consumer<String> messages) throws Exception {
        dir = Files.createTempDirectory("tangle-live-");
        Path trace = dir.resolve("recording.trace");
        session = LiveSession.start(dir.resolve("stream.trace"), new LiveSession.Listener() {
            @Override
            public void finding(Finding finding, boolean atEnd) {
                synchronized (found) {
                    found.add(finding);
                }
            }

            @Override
            public void message(String line) {
                messages.accept(line);
            }

            @Override
            public void analysed(TraceModel prefix) {
                synchronized (found) {
                    snapshots.accept(new Snapshot(prefix, found, false));
                }
            }
        });
        try {
            begin(trace, session.agentOptions());
        } catch (Exception | Error e) {
            session.close();
            deleteDir();
            throw e;
        }
        Thread waiter = new Thread(() -> finish(trace, snapshots, messages), "tangle-gui-live-end");
        waiter.setDaemon(true);
        waiter.start();
    }

    @Override
    public final void stop() throws Exception {
        if (!stopRequested) {
            stopRequested = true;
            end();
        }
    }

    private void finish(Path trace, Consumer<Snapshot> snapshots, Consumer<String> messages) {
        try {
            awaitEnd();
            TraceModel model;
            try (InputStream in = Files.newInputStream(trace);
                 TraceReader reader = TraceReader.of(in, trace.toString())) {
                model = ModelBuilder.build(reader, name());
            }
            List<Finding> all = session.finish(model);
            snapshots.accept(new Snapshot(model, all, true));
        } catch (IOException | RuntimeException e) {
            messages.accept("the recording of " + name() + " cannot be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                session.close();
            } catch (IOException e) {
                // the collector's socket: nothing left to tell
            }
            deleteDir();
        }
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left behind at worst
        }
    }
}
