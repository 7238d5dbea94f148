package dev.tangle.detect;

import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.List;

/** More traces for the contract test, added as detectors come. */
final class Corpus {
    private Corpus() {
    }

    static List<TraceModel> more() {
        return new ArrayList<>();
    }
}
