package dev.tangle.fuzz;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import dev.tangle.report.JsonReport;
import dev.tangle.report.TextReport;
import dev.tangle.trace.TraceFormatException;
import dev.tangle.trace.TraceReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * What every input must come to: what {@code tangle analyze} does with a file (read it into a model, run every
 * detector, write the text and the JSON report) ends in a result or in the documented bad-trace exception,
 * {@link TraceFormatException}, with a one-line message. Anything else thrown is a bug, and propagates.
 */
public final class TraceOracle {
    /** How an input ended. */
    public enum Outcome {
        /** Read, modelled, analysed and reported. */
        ANALYSED,
        /** Refused with {@link TraceFormatException} before or in the payload decoding (what a mutant should reach). */
        REFUSED,
        /** Refused by a chunk's checksum: the mutant never got past the framing. */
        CHECKSUM
    }

    private TraceOracle() {
    }

    public static Outcome check(byte[] trace) {
        try (TraceReader reader = TraceReader.of(new ByteArrayInputStream(trace), "fuzz.tngl")) {
            TraceModel model = ModelBuilder.build(reader, "fuzz.tngl");
            List<Finding> findings = Detectors.analyze(model);
            PrintWriter text = new PrintWriter(Writer.nullWriter());
            TextReport.write(text, findings, model.summary());
            JsonReport.write(Writer.nullWriter(), findings, model.summary());
            return Outcome.ANALYSED;
        } catch (TraceFormatException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.contains("\n")) {
                throw new AssertionError("a bad-trace message must be one line: [" + message + "]", e);
            }
            return message.contains("checksum mismatch") ? Outcome.CHECKSUM : Outcome.REFUSED;
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory trace cannot fail with " + e, e);
        }
    }
}
