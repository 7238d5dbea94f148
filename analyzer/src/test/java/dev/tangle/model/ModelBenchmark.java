package dev.tangle.model;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A harness (not a test) for the analyser's throughput and memory: writes a lock-heavy trace of N events
 * ({@link BenchmarkTrace}, also used by the JMH benchmark {@code AnalysisThroughput}), then times model building
 * plus every detector on one thread and measures the heap the model keeps.
 *
 * <pre>java -Xmx2g -cp ... dev.tangle.model.ModelBenchmark 10000000 [trace-file]</pre>
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path file = args.length > 1 ? Path.of(args[1]) : Files.createTempFile("tangle-bench", ".trace");
        long written = write(file, events);
        System.out.printf("trace: %,d events, %,d bytes (%.2f bytes/event)%n", written, Files.size(file),
                Files.size(file) / (double) written);
        for (int run = 1; run <= 5; run++) {
            System.gc();
            long before = usedHeap();
            long t0 = System.nanoTime();
            TraceModel model = ModelBuilder.build(file);
            long t1 = System.nanoTime();
            List<Finding> findings = Detectors.analyze(model);
            long t2 = System.nanoTime();
            System.gc();
            System.gc();
            long retained = usedHeap() - before;
            System.out.printf("run %d: model %.2f s, detectors %.2f s, total %.2f s = %,.0f events/s;"
                            + " retained %,d bytes = %.1f bytes/event (model's own estimate %.1f); %d findings,"
                            + " %,d holds%n", run, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9,
                    written / ((t2 - t0) / 1e9), retained, retained / (double) written,
                    model.retainedBytesEstimate() / (double) written, findings.size(), model.holdCount());
            if (model.summary().events() != written) {
                throw new IllegalStateException("read " + model.summary().events() + " events");
            }
        }
        if (args.length < 2) {
            Files.delete(file);
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static long write(Path file, long total) throws IOException {
        return BenchmarkTrace.write(file, total);
    }
}
