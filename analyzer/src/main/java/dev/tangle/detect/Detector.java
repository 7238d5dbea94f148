package dev.tangle.detect;

import dev.tangle.model.TraceModel;

import java.util.function.Consumer;

/**
 * Finds one {@link FindingType} in a model. Implementations are stateless (one instance may analyse many models,
 * from several threads at once), have a public no-argument constructor and are listed in
 * {@code META-INF/services/dev.tangle.detect.Detector}.
 *
 * <p>Precision comes first: a detector reports only what the trace proves or what could happen under another
 * schedule of the same program, never a guess.
 */
public interface Detector {
    /** A stable kebab-case id, e.g. {@code deadlock}. */
    String id();

    FindingType type();

    /** Reports each finding to {@code findings}; never null, possibly nothing. */
    void detect(TraceModel model, Consumer<Finding> findings);
}
