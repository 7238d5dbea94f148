package dev.tangle.gui.live;

import dev.tangle.detect.Finding;
import dev.tangle.model.TraceModel;

import java.util.List;
import java.util.function.Consumer;

/**
 * A trace that grows while a program runs: an attached JVM ({@link AttachedJvm}) or a demo scenario
 * ({@link DemoRun}). The main window shows each snapshot as it comes (the timeline grows and follows the present,
 * findings appear as detected).
 */
public interface LiveSource extends AutoCloseable {
    /** What the window title shows: "PID 1234 com.example.Main", "demo: deadlock-monitors (buggy)". */
    String name();

    /**
     * Starts recording; {@code snapshots} is called off the FX thread with each new model and its findings (the
     * last one with the complete trace and every finding), {@code messages} with one-line problems. Throws when
     * the recording cannot start (the JVM refuses attach, is recorded already...), with a one-line message.
     */
    void start(Consumer<Snapshot> snapshots, Consumer<String> messages) throws Exception;

    /** Stops recording (detach, or stop the demo's program); the last snapshot follows. */
    void stop() throws Exception;

    @Override
    default void close() throws Exception {
        stop();
    }

    /**
     * @param model    the trace so far
     * @param findings the findings so far: while running, deadlocks and potential deadlocks as confirmed by
     *                 {@link dev.tangle.live.LiveSession}; in the last snapshot, every detector's
     * @param last     the recording has ended: this is the complete trace
     */
    record Snapshot(TraceModel model, List<Finding> findings, boolean last) {
        public Snapshot {
            findings = List.copyOf(findings);
        }
    }
}
