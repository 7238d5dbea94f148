package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

/**
 * The agent's API for test frameworks (the JUnit extension, {@code dev.tangle.junit}): marks where each test
 * begins and ends in the trace ({@code TEST_BEGIN}, {@code TEST_END}) and makes the trace file hold everything
 * recorded so far, so that a test's window can be analysed while the JVM goes on.
 *
 * <p>Callers outside the agent must reach this class through the bootstrap class loader (the copy the hooks
 * use), e.g. {@code Class.forName("dev.tangle.agent.bootstrap.TestMarks", true, null)}: a copy loaded from the
 * class path would see no recording.
 */
public final class TestMarks {
    private TestMarks() {
    }

    /** True while the agent records. */
    public static boolean isRecording() {
        return Recorder.isStarted() && ThreadRecorder.recording;
    }

    /** The trace file being written (absolute), or null when not recording. */
    public static String traceFile() {
        return isRecording() ? new java.io.File(Recorder.config().out).getAbsolutePath() : null;
    }

    /**
     * Records {@code TEST_BEGIN} in the calling thread and returns its time (ns since the recording began), or -1
     * when nothing was recorded (not recording, or inside a recorded operation).
     */
    public static long begin(String testId, long number) {
        return mark(EventKind.TEST_BEGIN, testId, number, 0);
    }

    /** Records {@code TEST_END} in the calling thread (flag {@code FAILED} when it failed); returns its time. */
    public static long end(String testId, long number, boolean failed) {
        return mark(EventKind.TEST_END, testId, number, failed ? EventFlags.FAILED : 0);
    }

    /** The present, in the trace's time (ns since the recording began), for windows that have no mark. */
    public static long now() {
        return Clock.precise();
    }

    /**
     * Writes every event published so far, with the definitions they need, to the trace file, and returns its
     * length in bytes; -1 when not recording. Blocks while the writer drains.
     */
    public static long flush() {
        ThreadRecorder r = ThreadRecorder.current();
        if (r != null) {
            r.busy++; // the drain's own locking and I/O are not the program's
        }
        try {
            return Recorder.flush();
        } finally {
            if (r != null) {
                r.busy--;
            }
        }
    }

    /**
     * Runs {@code action} on the calling thread without recording what it does (the analysis a test framework
     * runs inside the recorded JVM is not the program's).
     */
    public static void runUnrecorded(Runnable action) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r != null) {
            r.busy++;
        }
        try {
            action.run();
        } finally {
            if (r != null) {
                r.busy--;
            }
        }
    }

    private static long mark(EventKind kind, String testId, long number, int flags) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return -1;
        }
        r.busy++;
        try {
            long time = Clock.precise();
            r.event(kind, time, flags, Tables.string(testId), 0, 0, 0, number);
            return time;
        } finally {
            r.busy--;
        }
    }
}
