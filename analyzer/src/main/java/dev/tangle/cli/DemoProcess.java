package dev.tangle.cli;

import dev.tangle.samples.HangNotice;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A demo scenario's program running under the agent, shared by {@code tangle demo} and the viewer's demo picker
 * (which appends a live collector's options). It reads the program's output line by line (so the program never
 * blocks on a full pipe) and notes when a scenario that hangs on purpose says so ({@link HangNotice}); the program
 * is then stopped with SIGTERM a settle time later, so that the agent writes a trace that ends with every thread
 * still waiting.
 */
public final class DemoProcess {
    /** A scenario ends within a few seconds; one that has not after this long is stopped whatever it does. */
    public static final long LIMIT_MILLIS = 30_000;
    /** How long a program has to write its trace and exit after SIGTERM before it is killed. */
    private static final long STOP_MILLIS = 10_000;

    /** How the program's run ended. */
    public enum Ending {
        /** It exited on its own. */
        BY_ITSELF,
        /** It said it hung and was stopped with SIGTERM after the settle time. */
        HUNG,
        /** It ran past {@link #LIMIT_MILLIS} and was stopped with SIGTERM. */
        TOO_LONG,
        /** It did not exit within 10 s of SIGTERM and was killed: its trace may be cut short. */
        KILLED
    }

    private final Process process;
    private final Thread reader;
    private final AtomicLong hungAt = new AtomicLong();

    private DemoProcess(Process process, Consumer<String> lines, String name) {
        this.process = process;
        this.reader = new Thread(() -> read(lines), name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} under the agent, recording to {@code trace}. Every line the program prints on its
     * standard output goes to {@code lines}, on a thread of its own; {@code stderr} says where its standard error
     * goes, {@code null} to merge it into the lines.
     */
    public static DemoProcess start(Class<?> main, Path trace, String moreOptions, Redirect stderr,
                                    Consumer<String> lines) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(main, trace, moreOptions));
        if (stderr == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectInput(Redirect.INHERIT).redirectError(stderr);
        }
        return new DemoProcess(builder.start(), lines, "tangle-demo-output");
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

    /**
     * Waits for the program to end: by itself, or stopped (SIGTERM, the agent's shutdown hook writes the trace)
     * {@code settleMillis} after it said it hung, or after {@link #LIMIT_MILLIS}. Returns once it has exited and
     * its output has been read.
     */
    public Ending awaitEnd(long settleMillis) throws InterruptedException {
        long start = System.nanoTime();
        Ending ending = Ending.BY_ITSELF;
        while (ending == Ending.BY_ITSELF && !process.waitFor(50, TimeUnit.MILLISECONDS)) {
            long hung = hungAt.get();
            if (hung != 0 && System.nanoTime() - hung > TimeUnit.MILLISECONDS.toNanos(settleMillis)) {
                ending = Ending.HUNG;
            } else if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(LIMIT_MILLIS)) {
                ending = Ending.TOO_LONG;
            }
        }
        if (ending != Ending.BY_ITSELF) {
            process.destroy();
            if (!process.waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                ending = Ending.KILLED;
            }
        }
        reader.join(2000);
        return ending;
    }

    /** Asks the program to stop (SIGTERM); {@link #awaitEnd} tells when it has. */
    public void stop() {
        process.destroy();
    }

    private void read(Consumer<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                Charset.defaultCharset()))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(HangNotice.MARKER)) {
                    hungAt.compareAndSet(0, System.nanoTime());
                }
                lines.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
