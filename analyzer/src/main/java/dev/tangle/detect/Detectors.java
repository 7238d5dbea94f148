package dev.tangle.detect;

import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The detectors on the class path (through {@link ServiceLoader}) and running them all. */
public final class Detectors {
    private Detectors() {
    }

    /** Every detector, ordered by finding type then id. */
    public static List<Detector> all() {
        List<Detector> detectors = new ArrayList<>();
        ServiceLoader.load(Detector.class, Detectors.class.getClassLoader()).forEach(detectors::add);
        detectors.sort(Comparator.comparing(Detector::type).thenComparing(Detector::id));
        return detectors;
    }

    /** Runs every detector; the findings come ordered by severity, then type, then time. */
    public static List<Finding> analyze(TraceModel model) {
        List<Finding> findings = new ArrayList<>();
        for (Detector d : all()) {
            d.detect(model, findings::add);
        }
        findings.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::type)
                .thenComparingLong(Finding::time));
        return findings;
    }
}
