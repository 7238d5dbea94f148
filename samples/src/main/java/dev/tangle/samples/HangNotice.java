package dev.tangle.samples;

/**
 * The convention for scenarios that hang on purpose (a communication deadlock: every thread asleep). Such a
 * program cannot end by itself, and it must not: the hang is only a finding if the trace ends while the threads
 * are still waiting. So its {@code main} calls {@link #after(long)} first; if the program is still running then,
 * a short-lived daemon thread prints {@link #MARKER} and ends. {@code tangle demo} (and the tests) watch the
 * program's output for that line and then stop the JVM (SIGTERM): the agent's shutdown hook writes the trace with
 * every thread still blocked. Run by hand, stop it with Ctrl-C.
 */
public final class HangNotice {
    /** The start of the line that tells the runner the program hung. */
    public static final String MARKER = "[tangle demo] hung:";

    private HangNotice() {
    }

    /** Prints the marker after {@code millis}, unless the JVM has ended by then. */
    public static void after(long millis) {
        Thread notice = new Thread(() -> {
            Pause.millis(millis);
            System.out.println(MARKER + " no progress after " + millis + " ms, every thread is waiting"
                    + " (stop it with Ctrl-C)");
            System.out.flush();
        }, "hang-notice");
        notice.setDaemon(true);
        notice.start();
    }
}
