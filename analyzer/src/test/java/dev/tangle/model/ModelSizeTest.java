package dev.tangle.model;

import dev.tangle.detect.Detectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A small run of {@link ModelBenchmark}'s trace: the model stays far below the 100 bytes per event target. */
class ModelSizeTest {
    @TempDir
    Path dir;

    @Test
    void aLockHeavyTraceKeepsAtMost32BytesPerEvent() throws IOException {
        Path trace = dir.resolve("bench.trace");
        long events = ModelBenchmark.write(trace, 400_000);
        TraceModel model = ModelBuilder.build(trace);

        assertThat(model.summary().events()).isEqualTo(events);
        assertThat(model.retainedBytesEstimate() / (double) events).isLessThan(32);
        assertThat(model.holdCount()).isGreaterThan((int) (events / 4));
        assertThat(Detectors.analyze(model)).isEmpty();
    }
}
