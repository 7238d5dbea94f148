package dev.tangle.agent.bootstrap;

import dev.tangle.trace.TraceHeader;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recording as a whole: configuration, start and stop, and the agent's error reporting (each distinct
 * problem once on stderr; the program goes on).
 */
public final class Recorder {
    private static volatile AgentConfig config = new AgentConfig();
    private static final AtomicLong lost = new AtomicLong();
    /** Not a synchronized wrapper: the agent may record those (jdkMonitors), and must not record itself. */
    private static final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static volatile TraceFileSink sink;
    private static boolean shutdownHookAdded;
    /** Set once a recording has stopped: the tables and thread recorders keep its ids, so none can follow. */
    private static boolean stopped;

    /**
     * System properties through which {@code tangle attach} and {@code tangle detach} read the agent's state from
     * outside the JVM: the trace being written, the end of a recording, the last refusal.
     */
    public static final String RECORDING_PROPERTY = "tangle.recording";
    public static final String STOPPED_PROPERTY = "tangle.stopped";
    public static final String ERROR_PROPERTY = "tangle.error";
    /** Why the recording stopped: {@code exit} (the JVM is shutting down) or {@code detach}. */
    public static final String STOP_REASON_PROPERTY = "tangle.stopReason";

    private static volatile java.util.function.Predicate<String> applicationClasses =
            new java.util.function.Predicate<String>() {
                @Override
                public boolean test(String className) {
                    return !className.startsWith("java.") && !className.startsWith("javax.")
                            && !className.startsWith("jdk.") && !className.startsWith("sun.");
                }
            };

    private Recorder() {
    }

    /** What counts as application code (a dotted class name) for the snapshots and the stall watcher. */
    public static void applicationClasses(java.util.function.Predicate<String> isApplicationClass) {
        applicationClasses = isApplicationClass;
    }

    static java.util.function.Predicate<String> applicationClasses() {
        return applicationClasses;
    }

    public static AgentConfig config() {
        return config;
    }

    public static boolean isRecording() {
        return ThreadRecorder.recording;
    }

    /**
     * Starts recording to the configured file. Returns false (after reporting why) if the file cannot be written.
     */
    public static synchronized boolean start(AgentConfig c, Map<String, String> headerProperties) {
        return start(c, headerProperties, null);
    }

    /**
     * As {@link #start(AgentConfig, Map)}; with {@code snapshotOf} (attach), first writes the {@link Snapshot} of
     * the threads as they are, counting as application code the classes {@code snapshotOf} accepts.
     */
    public static synchronized boolean start(AgentConfig c, Map<String, String> headerProperties,
                                             java.util.function.Predicate<String> snapshotOf) {
        if (sink != null) {
            refuse("already recording to " + config.out);
            return false;
        }
        if (stopped) {
            refuse("this JVM was recorded by Tangle and detached; it cannot be recorded again until it restarts");
            return false;
        }
        if (c.isLive() && !c.outGiven) {
            c.out = "tangle-live-" + ProcessHandle.current().pid() + ".trace"; // the complete record, always
        }
        config = c;
        long origin = System.nanoTime();
        Clock.start(origin);
        Runtime rt = Runtime.getRuntime();
        TraceHeader header = new TraceHeader(dev.tangle.trace.TraceFormat.VERSION,
                System.getProperty("java.vm.vendor", "?"), System.getProperty("java.runtime.version",
                System.getProperty("java.version", "?")), ProcessHandle.current().pid(),
                c.command.isEmpty() ? System.getProperty("sun.java.command", "") : c.command,
                System.currentTimeMillis(), origin, headerProperties);
        TraceFileSink s = TraceFileSink.open(c, header);
        if (s == null) {
            return false;
        }
        if (snapshotOf != null) {
            s.writeSnapshot(snapshotOf);
        }
        sink = s;
        ThreadRecorder.recording = true;
        s.startThreads();
        if (!shutdownHookAdded) {
            shutdownHookAdded = true;
            rt.addShutdownHook(new AgentThread(new Runnable() {
                @Override
                public void run() {
                    stop("exit");
                }
            }, "tangle-shutdown"));
        }
        System.setProperty(RECORDING_PROPERTY, new java.io.File(c.out).getAbsolutePath());
        return true;
    }

    public static synchronized boolean isStarted() {
        return sink != null;
    }

    /**
     * Drains every thread's buffer into the trace file now and returns the file's length, or -1 when not
     * recording (see {@link TestMarks#flush}).
     */
    public static long flush() {
        TraceFileSink s = sink;
        return s == null ? -1 : s.flushNow();
    }

    /** Reports why the agent does not do what it was asked, on stderr and to {@code tangle attach}. */
    public static void refuse(String message) {
        System.setProperty(ERROR_PROPERTY, message);
        warnOnce(message);
    }

    /** Stops recording, writes what is buffered and closes the trace. Safe to call more than once. */
    public static synchronized void stop() {
        stop("detach");
    }

    /** As {@link #stop()}, saying why ({@code exit} or {@code detach}) to {@code tangle attach}. */
    public static synchronized void stop(String reason) {
        TraceFileSink s = sink;
        if (s == null) {
            return;
        }
        ThreadRecorder.recording = false;
        s.close();
        sink = null;
        stopped = true;
        System.setProperty(STOP_REASON_PROPERTY, reason);
        System.clearProperty(RECORDING_PROPERTY);
        System.setProperty(STOPPED_PROPERTY, new java.io.File(config.out).getAbsolutePath());
    }

    /** Adds the count of a LOST_EVENTS marker just recorded (once per marker, not per lost event). */
    static void lostEvents(long count) {
        lost.addAndGet(count);
    }

    /** Events lost so far: those already marked, and those still owed a marker by live threads. */
    static long totalLost() {
        long total = lost.get();
        ThreadRecorder[] rs = Registry.snapshot();
        for (int i = 0; i < rs.length; i++) {
            total += rs[i].unreportedLost();
        }
        return total;
    }

    /** Reports a problem of the agent on stderr, once per distinct message. */
    public static void warnOnce(String message) {
        if (warned.add(message)) {
            System.err.println("tangle: " + message);
        }
    }
}
