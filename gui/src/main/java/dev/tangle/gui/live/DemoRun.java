package dev.tangle.gui.live;

import dev.tangle.cli.DemoProcess;
import dev.tangle.samples.HangNotice;
import dev.tangle.samples.Scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A demo scenario (buggy or fixed) run under the agent as {@code tangle demo} runs it, streamed live. A scenario
 * that hangs on purpose says so ({@link HangNotice}); it is stopped (SIGTERM, the agent writes its trace) a few
 * seconds later, once the live analysis has had time to show the hang.
 */
public final class DemoRun extends StreamedRecording {
    /** After the program says it hung: time for two live analyses to confirm a deadlock before it is stopped. */
    static final long HUNG_SHOWN_MILLIS = 2500;
    /** A scenario ends within a few seconds; one still running after this long is stopped. */
    private static final long LIMIT_MILLIS = 30_000;

    private final Scenario scenario;
    private final boolean fixed;
    private volatile Process process;
    private volatile long hungAt;

    public DemoRun(Scenario scenario, boolean fixed) {
        if (fixed && !scenario.isBug()) {
            throw new IllegalArgumentException(scenario.name() + " is a correct program: it has no fixed variant");
        }
        this.scenario = scenario;
        this.fixed = fixed;
    }

    @Override
    public String name() {
        return "demo: " + scenario.name() + (scenario.isBug() ? fixed ? " (fixed)" : " (buggy)" : "");
    }

    @Override
    protected void begin(Path trace, String liveOptions) throws IOException {
        Process p = new ProcessBuilder(DemoProcess.command(scenario.mainClass(fixed), trace, liveOptions))
                .redirectErrorStream(true).start();
        process = p;
        Thread output = new Thread(() -> watchOutput(p), "tangle-gui-demo-output");
        output.setDaemon(true);
        output.start();
    }

    /** Reads the program's output (so that it never blocks on a full pipe) and notes when it says it hung. */
    private void watchOutput(Process p) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                Charset.defaultCharset()))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(HangNotice.MARKER) && hungAt == 0) {
                    hungAt = System.nanoTime();
                }
            }
        } catch (IOException e) {
            // the program ended
        }
    }

    @Override
    protected void awaitEnd() throws InterruptedException {
        Process p = process;
        long start = System.nanoTime();
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            long hung = hungAt;
            boolean shown = hung != 0 && System.nanoTime() - hung > TimeUnit.MILLISECONDS.toNanos(HUNG_SHOWN_MILLIS);
            if (shown || System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(LIMIT_MILLIS)) {
                p.destroy(); // SIGTERM: the agent's shutdown hook writes the trace
                break;
            }
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Override
    protected void end() {
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }
}
