package dev.tangle.gui.live;

import dev.tangle.detect.Finding;
import dev.tangle.model.TraceModel;

import java.util.List;
import java.util.function.Consumer;

/**
 * A trace that grows while a program runs: an attached JVM or a demo scenario. The main window shows each
 * snapshot as it comes (the timeline grows and follows the present, findings appear as detected). Attach and the
 * demo picker implement this once live streaming exists; nothing does yet.
 */
public interface LiveSource extends AutoCloseable {
    /** What the window title shows: "PID 1234 com.example.Main", "demo: PrintSumDeadlock (buggy)". */
    String name();

    /** Starts recording; {@code snapshots} is called off the FX thread with each new model and its findings. */
    void start(Consumer<Snapshot> snapshots) throws Exception;

    /** Stops recording; the last snapshot stays on screen. */
    void stop() throws Exception;

    @Override
    default void close() throws Exception {
        stop();
    }

    record Snapshot(TraceModel model, List<Finding> findings, boolean last) {
    }
}
