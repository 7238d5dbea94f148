package dev.tangle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * Stops the recording in a running JVM: the agent writes the rest of the trace and its end chunk and takes its
 * instrumentation out where the JVM allows; the program goes on. A {@code tangle attach} waiting on that JVM
 * then reports the trace.
 */
@Command(name = "detach", mixinStandardHelpOptions = true,
        description = {"Stops recording a running JVM (started by 'tangle attach' or with the agent).",
                "The trace is completed; the program goes on unrecorded."},
        footer = {"Exit code: 0 when the recording stopped, 2 when there was none or the JVM cannot be reached."})
final class DetachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PID", description = "the process id of the JVM")
    long pid;

    @Override
    public Integer call() throws IOException {
        Path agentJar = RecordCommand.agentJar();
        try (TargetJvm target = TargetJvm.attach(pid)) {
            String trace = detach(target, agentJar);
            PrintWriter err = spec.commandLine().getErr();
            Properties after = target.properties();
            err.println("tangle: stopped recording JVM " + pid + " (" + after.getProperty("tangle.detached",
                    "instrumentation removed") + "); the trace is " + trace);
            err.flush();
        }
        return ExitCodes.OK;
    }

    /** Asks the agent in {@code target} to stop; returns the trace it wrote. */
    static String detach(TargetJvm target, Path agentJar) throws IOException {
        String trace = target.properties().getProperty(TargetJvm.RECORDING);
        if (trace == null) {
            throw new BadInputException("JVM " + target.pid() + " is not being recorded by Tangle");
        }
        target.loadAgent(agentJar, "detach");
        Properties after = target.properties();
        if (after.getProperty(TargetJvm.RECORDING) != null) {
            throw new BadInputException("JVM " + target.pid() + " is still recording: "
                    + after.getProperty(TargetJvm.ERROR, "the agent did not stop (see the JVM's stderr)"));
        }
        return trace;
    }
}
