package dev.tangle.gui;

import dev.tangle.samples.deadlock.PrintSumDeadlock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real recordings for the viewer's tests, made once per test JVM by running a sample under the agent. */
public final class RecordedTraces {
    private static Path printSum;
    private static Path handOver;
    private static Path channel;
    private static Path oneThreadInversion;

    private RecordedTraces() {
    }

    /** PrintSumDeadlock (two workers in an ABBA deadlock), recorded with all stacks. */
    public static synchronized Path printSumDeadlock() throws IOException, InterruptedException {
        if (printSum == null) {
            printSum = record(PrintSumDeadlock.class, "printsum.trace");
        }
        return printSum;
    }

    /** fixtures.HandOver: "waiter" blocked on a monitor until "holder" releases it. */
    public static synchronized Path handOver() throws IOException, InterruptedException {
        if (handOver == null) {
            handOver = record(fixtures.HandOver.class, "handover.trace");
        }
        return handOver;
    }

    /** fixtures.HandOffChannel: "consumer" waits in take() until "producer" puts; three items pass. */
    public static synchronized Path handOffChannel() throws IOException, InterruptedException {
        if (channel == null) {
            channel = record(fixtures.HandOffChannel.class, "channel.trace");
        }
        return channel;
    }

    /** fixtures.OneThreadInversion: "worker" takes a then b, then b then a (a note, nothing worse). */
    public static synchronized Path oneThreadInversion() throws IOException, InterruptedException {
        if (oneThreadInversion == null) {
            oneThreadInversion = record(fixtures.OneThreadInversion.class, "one-thread-inversion.trace");
        }
        return oneThreadInversion;
    }

    private static Path record(Class<?> main, String name) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tangle-gui-test");
        Path trace = dir.resolve(name);
        Path agent = Path.of(System.getProperty("tangle.agentJar", "(unset)"));
        assertThat(agent).as("the agent jar (mvn verify packages it before these tests)").isRegularFile();
        String classPath = Path.of(main.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent + "=out=" + trace + ",stacks=all", "-cp", classPath, main.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(main.getSimpleName() + " ends within a minute").isTrue();
        assertThat(Files.size(trace)).isPositive();
        return trace;
    }
}
