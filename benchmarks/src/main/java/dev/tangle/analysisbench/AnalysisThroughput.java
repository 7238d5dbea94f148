package dev.tangle.analysisbench;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.model.BenchmarkTrace;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The analyser's throughput, in events per second: one invocation is the full analysis of a generated trace of
 * {@link #EVENTS} events (model building from the file plus every detector, on one thread), as
 * {@code tangle analyze} does it; {@code @OperationsPerInvocation(EVENTS)} makes JMH's ops/s events/s. The trace
 * ({@link BenchmarkTrace}, the one of the analyser's {@code ModelBenchmark} harness) is written once per fork
 * and deleted at the end. Not run by {@code run.sh} (it measures the agent).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
public class AnalysisThroughput {
    public static final int EVENTS = 10_000_000;

    private Path trace;

    @Setup(Level.Trial)
    public void writeTrace() throws IOException {
        trace = Files.createTempFile("tangle-jmh", ".trace");
        long written = BenchmarkTrace.write(trace, EVENTS);
        if (written != EVENTS) {
            throw new IllegalStateException("wrote " + written + " events");
        }
    }

    @TearDown(Level.Trial)
    public void deleteTrace() throws IOException {
        Files.deleteIfExists(trace);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public List<Finding> analyze() throws IOException {
        TraceModel model = ModelBuilder.build(trace);
        List<Finding> findings = Detectors.analyze(model);
        if (model.summary().events() != EVENTS || !findings.isEmpty()) {
            throw new IllegalStateException(model.summary().events() + " events, " + findings.size()
                    + " findings");
        }
        return findings;
    }
}
