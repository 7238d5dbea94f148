package dev.tangle.gui.live;

import dev.tangle.cli.DemoProcess;
import dev.tangle.samples.Scenario;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A demo scenario (buggy or fixed) run under the agent as {@code tangle demo} runs it ({@link DemoProcess}),
 * streamed live. A scenario that hangs on purpose is stopped (SIGTERM, the agent writes its trace) a few seconds
 * after it says so, once the live analysis has had time to show the hang.
 */
public final class DemoRun extends StreamedRecording {
    /** After the program says it hung: time for two live analyses to confirm a deadlock before it is stopped. */
    static final long HUNG_SHOWN_MILLIS = 2500;

    private final Scenario scenario;
    private final boolean fixed;
    private volatile DemoProcess process;

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
        // the output is only read (so the program never blocks on a full pipe): the viewer shows the trace
        process = DemoProcess.start(scenario.mainClass(fixed), trace, liveOptions, null, line -> { });
    }

    @Override
    protected void awaitEnd() throws InterruptedException {
        process.awaitEnd(HUNG_SHOWN_MILLIS);
    }

    @Override
    protected void end() {
        DemoProcess p = process;
        if (p != null) {
            p.stop();
        }
    }
}
