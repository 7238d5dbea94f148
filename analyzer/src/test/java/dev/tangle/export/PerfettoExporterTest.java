package dev.tangle.export;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PerfettoExporterTest {
    /** The Trace Event Format counts in microseconds; the trace's nanoseconds stay as an exact fraction. */
    @Test
    void nanosecondsAreExactDecimalMicroseconds() {
        assertThat(PerfettoExporter.micros(1_234_567)).isEqualTo("1234.567");
        assertThat(PerfettoExporter.micros(5_000)).isEqualTo("5");
        assertThat(PerfettoExporter.micros(1_500)).isEqualTo("1.5");
        assertThat(PerfettoExporter.micros(1)).isEqualTo("0.001");
        assertThat(PerfettoExporter.micros(0)).isEqualTo("0");
        assertThat(PerfettoExporter.micros(3_600_000_000_123L)).isEqualTo("3600000000.123");
        assertThat(PerfettoExporter.micros(-1_500)).isEqualTo("-1.5");
        assertThat(PerfettoExporter.micros(-500)).isEqualTo("-0.5");
    }
}
