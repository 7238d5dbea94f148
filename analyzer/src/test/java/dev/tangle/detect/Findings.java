package dev.tangle.detect;

import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.List;

/** Runs one detector (or all) on a model and collects what it finds. */
final class Findings {
    private Findings() {
    }

    static List<Finding> of(Detector detector, TraceModel model) {
        List<Finding> findings = new ArrayList<>();
        detector.detect(model, findings::add);
        return findings;
    }

    static List<Finding> all(TraceModel model) {
        return Detectors.analyze(model);
    }
}
