package dev.tangle.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a demo scenario's program under the agent: shared by {@code tangle demo} and the
 * viewer's demo picker (which appends a live collector's options).
 */
public final class DemoProcess {
    private DemoProcess() {
    }

    /**
     * {@code java -javaagent:...=out=TRACE,...[,moreOptions] -cp SAMPLES MAIN}; {@code trace} absolute, without ','.
     */
    public static List<String> command(Class<?> main, Path trace, String moreOptions) {
        // the scenarios are short: C1 alone starts the JVM and its agent with about a third less CPU
        List<String> javaArgs = List.of("-XX:TieredStopAtLevel=1", "-cp", DemoCommand.samplesClassPath(),
                main.getName());
        List<String> command = new ArrayList<>();
        command.add(RecordCommand.javaExecutable());
        command.add("-javaagent:" + RecordCommand.agentJar() + "="
                + RecordCommand.agentOptions(trace, 16, "first", javaArgs)
                + (moreOptions == null || moreOptions.isEmpty() ? "" : "," + moreOptions));
        command.addAll(javaArgs);
        return command;
    }
}
