package dev.tangle.cli;


import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Loads the agent into a running JVM and records it until the duration ends, the JVM exits, {@code tangle detach}
 * stops it, or this command is interrupted (Ctrl-C detaches first). Then reports and analyses the trace as
 * {@code tangle record} does. The agent starts the trace with a snapshot of every thread's present state, so a
 * deadlock that exists already is found.
 */
@Command(name = "attach", mixinStandardHelpOptions = true, sortOptions = false,
        // picocli lists a command by its first description line: one whole sentence each (TangleCommandTest)
        description = {"Records a running JVM: loads the Tangle agent into it (Attach API) and records until the"
                + " duration ends, the JVM exits, 'tangle detach PID' is run, or Ctrl-C.",
                "The trace starts with a snapshot of every thread (what it holds, what it waits for); when recording"
                        + " ends the trace is analysed and the findings are printed on stderr."},
        footer = {"Exit code: 0 when a trace was recorded (findings do not change it; use 'tangle analyze"
                + " --fail-on'), 2 when the JVM cannot be attached to or recorded."})
final class AttachCommand implements Callable<Integer> {
    /** How often the target is asked whether it still records. */
    private static final long POLL_MILLIS = 200;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PID", description = "the process id of the JVM to record")
    long pid;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "the trace file (default: tangle-MAIN-yyyyMMdd-HHmmss.trace here)")
    Path out;

    private long durationMillis;
    /** Counted down once the trace is reported: a Ctrl-C lets this JVM exit only then. */
    private final CountDownLatch reported = new CountDownLatch(1);
    /** Notified when this JVM is asked to stop (Ctrl-C): the recording ends with a detach. */
    private final Object stop = new Object();
    private boolean interrupted;

    @Option(names = "--no-analyze", description = "do not analyse the trace when recording ends")
    boolean noAnalyze;

    @Option(names = "--live", description = "stream the events to this command while the JVM runs and print"
            + " deadlocks and potential deadlocks as soon as they are found")
    boolean live;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "stop recording (detach) after this many seconds (default: until the JVM exits,"
                    + " 'tangle detach PID' or Ctrl-C)")
    void setDuration(double seconds) {
        if (!(seconds > 0) || seconds > 365 * 86_400) {
            throw new ParameterException(spec.commandLine(), "--duration must be a positive number of seconds, not "
                    + seconds);
        }
        durationMillis = Math.max(1, (long) (seconds * 1000));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path agentJar = RecordCommand.agentJar();
        PrintWriter err = spec.commandLine().getErr();
        Thread onCtrlC = new Thread(() -> {
            synchronized (stop) {
                interrupted = true;
                stop.notifyAll();
            }
            try {
                reported.await(30, TimeUnit.SECONDS); // the waiting thread detaches and reports
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tangle-detach-on-exit");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try (TargetJvm target = TargetJvm.attach(pid)) {
            Properties before = target.properties();
            target.refuseIfRecorded(before);
            Path trace = out != null ? out : Paths.get(RecordCommand.defaultFileName(mainArguments(before),
                    LocalDateTime.now()));
            Path absoluteTrace = RecordingReport.newTraceFile(trace);
            try (LiveRecording recording = LiveRecording.start(live, err)) {
                target.startRecording(agentJar, absoluteTrace, recording.agentOptions());
                err.println("tangle: recording JVM " + pid + " to " + trace + (durationMillis > 0
                        ? " for " + durationMillis / 1000.0 + " s" : "") + "; stop with Ctrl-C or 'tangle detach "
                        + pid + "'" + (live ? "; findings are printed as they are found" : ""));
                err.flush();
                String ended = record(target, agentJar);
                err.println("tangle: " + ended);
                recording.report(trace, absoluteTrace, !noAnalyze);
            }
        } catch (RuntimeException | IOException | InterruptedException e) {
            synchronized (stop) {
                if (interrupted) { // this JVM is exiting: the exception handler would print this too late
                    err.println(spec.qualifiedName() + ": " + (e instanceof BadInputException ? e.getMessage()
                            : e.toString()));
                }
            }
            throw e;
        } finally {
            err.flush();
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        return ExitCodes.OK;
    }

    /** The target's main class (or {@code -jar JAR}) as java arguments, to name the trace after. */
    private static List<String> mainArguments(Properties target) {
        String main = target.getProperty("sun.java.command", "").trim().split(" ")[0];
        if (main.endsWith(".jar")) {
            Path jar = Paths.get(main);
            String dir = target.getProperty("user.dir");
            return List.of("-jar", (jar.isAbsolute() || dir == null ? jar : Paths.get(dir).resolve(jar)).toString());
        }
        return main.isEmpty() ? List.of() : List.of(main);
    }

    /**
     * Waits until the recording ends; returns how it ended. Ctrl-C (this JVM shutting down) detaches first and
     * lets the trace be reported before this JVM exits.
     */
    private String record(TargetJvm target, Path agentJar) throws InterruptedException, IOException {
        long start = System.nanoTime();
        while (true) {
            synchronized (stop) {
                if (interrupted) {
                    DetachCommand.detach(target, agentJar);
                    return "interrupted: detached from JVM " + pid;
                }
                long left = durationMillis > 0
                        ? durationMillis - (System.nanoTime() - start) / 1_000_000 : POLL_MILLIS;
                if (left <= 0) {
                    DetachCommand.detach(target, agentJar);
                    return "duration over: detached from JVM " + pid;
                }
                stop.wait(Math.min(left, POLL_MILLIS));
                if (interrupted) {
                    continue;
                }
            }
            Properties p;
            try {
                p = target.properties();
            } catch (IOException e) {
                return exited();
            }
            if (p.getProperty(TargetJvm.RECORDING) == null) {
                return "exit".equals(p.getProperty(TargetJvm.STOP_REASON)) ? exited()
                        : "JVM " + pid + " stopped recording ('tangle detach')";
            }
        }
    }

    /** The JVM has gone: its shutdown hook closed the trace. */
    private String exited() {
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(x -> p).join());
        return "JVM " + pid + " exited";
    }
}
