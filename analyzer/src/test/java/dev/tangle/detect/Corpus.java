package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.List;

/** More traces for the contract test, added as detectors come. */
final class Corpus {
    private Corpus() {
    }

    static List<TraceModel> more() {
        List<TraceModel> models = new ArrayList<>();
        SyntheticTrace inversion = new SyntheticTrace();
        long a = inversion.monitor("A");
        long b = inversion.monitor("B");
        models.add(PotentialDeadlockDetectorTest.inversion(inversion, a, b).model());
        return models;
    }
}
