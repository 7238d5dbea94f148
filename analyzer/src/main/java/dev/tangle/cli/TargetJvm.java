package dev.tangle.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A running JVM that {@code tangle attach} and {@code tangle detach} talk to through the Attach API: it loads
 * the agent jar with options, and reads the system properties through which the agent tells its state
 * ({@link #RECORDING}, {@link #STOPPED}, {@link #ERROR}; set by the agent's Recorder). Every way the target
 * cannot be reached is a {@link BadInputException} with one line that says why. Public for the viewer's attach
 * dialog, which records the same way as {@code tangle attach --live}.
 */
public final class TargetJvm implements AutoCloseable {
    /** The absolute path of the trace the agent in that JVM is writing; absent when not recording. */
    static final String RECORDING = "tangle.recording";
    /** The trace of a recording that has ended in that JVM (once stopped, it cannot record again). */
    static final String STOPPED = "tangle.stopped";
    /** Why the recording stopped: {@code exit} (the JVM is shutting down) or {@code detach}. */
    static final String STOP_REASON = "tangle.stopReason";
    /** Why the agent's last start or detach did nothing. */
    static final String ERROR = "tangle.error";
    private static final int SIGQUIT = 3;

    private final long pid;
    private final VirtualMachine vm;

    private TargetJvm(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /** Checks that {@code pid} is a JVM of this user that accepts attach, and attaches to it. */
    public static TargetJvm attach(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            throw new BadInputException("process " + pid + " is tangle itself");
        }
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new BadInputException("no process with PID " + pid));
        String me = System.getProperty("user.name");
        Optional<String> owner = process.info().user();
        if (owner.isPresent() && !owner.get().equals(me)) {
            throw new BadInputException("process " + pid + " belongs to user " + owner.get() + ", not " + me
                    + ": a JVM accepts attach only from its own user (run tangle as " + owner.get() + ")");
        }
        if (!handlesSigquit(pid)) {
            // HotSpot's attach starts by sending SIGQUIT, which would kill a process that does not handle it
            throw new BadInputException("process " + pid + " (" + process.info().command().orElse("?")
                    + ") is not a JVM that accepts attach");
        }
        try {
            return new TargetJvm(pid, VirtualMachine.attach(Long.toString(pid)));
        } catch (AttachNotSupportedException | IOException e) {
            throw new BadInputException("JVM " + pid + " refuses attach: " + oneLine(e));
        }
    }

    /**
     * Whether the process has a SIGQUIT handler, as every HotSpot JVM does unless started with -Xrs. Read from
     * /proc on Linux; elsewhere assumed true.
     */
    private static boolean handlesSigquit(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigCgt:")) {
                    return new BigInteger(line.substring(7).trim(), 16).testBit(SIGQUIT - 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux) or the process just ended: the attach itself will tell
        }
        return true;
    }

    public long pid() {
        return pid;
    }

    /** The JVM's system properties now; a JVM that has ended gives {@link IOException}. */
    public Properties properties() throws IOException {
        return vm.getSystemProperties();
    }

    /** Loads the agent jar (again, for a second command) with these agent options. */
    void loadAgent(Path agentJar, String options) {
        try {
            vm.loadAgent(agentJar.toString(), options);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new BadInputException("cannot load the agent into JVM " + pid + ": " + oneLine(e));
        }
    }

    /** Refuses a JVM that is being recorded, or was (the agent cannot record it twice). */
    public void refuseIfRecorded(Properties p) {
        String recording = p.getProperty(RECORDING);
        if (recording != null) {
            throw new BadInputException("JVM " + pid + " is already being recorded by Tangle, to " + recording
                    + " (stop that with 'tangle detach " + pid + "')");
        }
        String stopped = p.getProperty(STOPPED);
        if (stopped != null) {
            throw new BadInputException("JVM " + pid + " was recorded by Tangle before (to " + stopped
                    + ") and cannot be recorded again until it restarts");
        }
    }

    /**
     * Loads the agent recording to {@code trace} (absolute, no ',') with {@code moreOptions} appended (e.g. a live
     * collector's), and checks that it started.
     */
    public void startRecording(Path agentJar, Path trace, String moreOptions) throws IOException {
        loadAgent(agentJar, "out=" + trace + (moreOptions == null || moreOptions.isEmpty() ? "" : "," + moreOptions));
        String recording = properties().getProperty(RECORDING);
        if (!trace.toString().equals(recording)) {
            throw new BadInputException("the agent did not start in JVM " + pid + ": " + properties()
                    .getProperty(ERROR, "see the JVM's stderr"));
        }
    }

    /** True while the agent records this JVM; false when it stopped or the JVM has ended. */
    public boolean isRecording() {
        try {
            return properties().getProperty(RECORDING) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Asks the agent to stop (detach); returns the trace it wrote. */
    public String stopRecording(Path agentJar) throws IOException {
        return DetachCommand.detach(this, agentJar);
    }

    /** The agent jar (system property {@code tangle.agentJar}, set by the ./tangle launcher). */
    public static Path agentJar() {
        return RecordCommand.agentJar();
    }

    @Override
    public void close() {
        try {
            vm.detach();
        } catch (IOException e) {
            // the JVM has ended: nothing to close
        }
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).trim();
    }
}
