package dev.tangle.fuzz;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI pass of the seeded random structure-aware fuzzer ({@link FuzzPass}): a fixed seed, time-boxed by
 * {@code tangle.fuzz.seconds} (default 20). Every mutant must end in a model with its reports or in
 * {@code TraceFormatException}; the heap is capped by the surefire execution that runs it ({@code -Xmx256m}).
 * The long pass is {@code analyzer/fuzz-long.sh}.
 */
class SeededTraceFuzzTest {
    @Test
    void everyMutantIsAnalysedOrRefusedWithTheBadTraceException() {
        long seconds = Long.getLong("tangle.fuzz.seconds", 20);
        long seed = Long.getLong("tangle.fuzz.seed", 20_261_206L);
        FuzzPass.Result r = FuzzPass.run(seed, Long.MAX_VALUE, System.nanoTime() + seconds * 1_000_000_000L,
                10_000, Path.of("target", "fuzz-crashes"));
        System.out.printf("seeded fuzz pass (seed %d, %d s): %,d inputs, %,d analysed, %,d refused, %,d by a"
                + " checksum, slowest %.1f ms%n", seed, seconds, r.inputs(), r.analysed(), r.refused(), r.checksum(),
                r.slowestNanos() / 1e6);
        assertThat(r.inputs()).as("inputs tried").isGreaterThan(1_000);
        // the mutants must reach the decoder and the model, not stop at the CRC: both outcomes are common
        assertThat(r.analysed()).as("mutants analysed").isGreaterThan(r.inputs() / 10);
        assertThat(r.refused()).as("mutants refused by the decoder").isGreaterThan(r.inputs() / 10);
        assertThat(r.checksum()).as("mutants refused by a checksum").isLessThan(r.inputs() / 10);
    }
}
