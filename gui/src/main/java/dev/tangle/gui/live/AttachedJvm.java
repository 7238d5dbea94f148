package dev.tangle.gui.live;

import dev.tangle.cli.TargetJvm;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A running JVM recorded through the Attach API, as {@code tangle attach --live} records it: the agent is loaded
 * with the live collector's options; stopping detaches (the JVM goes on running); the recording also ends when
 * the JVM exits or {@code tangle detach} stops it.
 */
public final class AttachedJvm extends StreamedRecording {
    private static final long POLL_MILLIS = 200;

    private final long pid;
    private final String displayName;
    private volatile TargetJvm target;
    private volatile Path agentJar;

    public AttachedJvm(long pid, String displayName) {
        this.pid = pid;
        this.displayName = displayName;
    }

    @Override
    public String name() {
        return "PID " + pid + (displayName == null || displayName.isBlank() ? "" : " " + displayName);
    }

    @Override
    protected void begin(Path trace, String liveOptions) throws Exception {
        Path jar = TargetJvm.agentJar();
        TargetJvm t = TargetJvm.attach(pid);
        try {
            t.refuseIfRecorded(t.properties());
            t.startRecording(jar, trace.toAbsolutePath(), liveOptions);
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
        agentJar = jar;
        target = t;
    }

    @Override
    protected void awaitEnd() throws InterruptedException {
        TargetJvm t = target;
        while (t.isRecording()) {
            Thread.sleep(POLL_MILLIS);
        }
        if (!stopRequested()) { // the JVM exited (or 'tangle detach'): its shutdown hook closes the trace
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(x -> p).join());
        }
        t.close();
    }

    @Override
    protected void end() throws Exception {
        TargetJvm t = target;
        if (t != null && t.isRecording()) {
            t.stopRecording(agentJar);
        }
    }
}
