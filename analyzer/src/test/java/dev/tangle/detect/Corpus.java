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
        SyntheticTrace hang = new SyntheticTrace();
        long lock = hang.lock("L");
        long cond = hang.condition(lock);
        hang.begin(1, 1, "main", dev.tangle.trace.EventFlags.PREEXISTING).start(2, 1, 2, "worker", 0)
                .start(4, 1, 3, "leaked", 0);
        hang.lock(10, 2, lock, 0).ev(12, 2, dev.tangle.trace.EventKind.CONDITION_AWAIT_BEGIN, cond);
        hang.ev(20, 1, dev.tangle.trace.EventKind.JOIN_BEGIN, 2);
        models.add(hang.incomplete().endAt(100).model());
        SyntheticTrace leak = new SyntheticTrace();
        leak.begin(1, 1, "main", dev.tangle.trace.EventFlags.PREEXISTING).start(2, 1, 2, "spinner", 0);
        models.add(leak.endAt(100).model());
        models.add(StarvationDetectorTest.greedy(600, 300).timeScale(1000).model());
        models.add(StarvationDetectorTest.overtakenByCountedHolds(2, 0).model()); // LEAF_HOLDS
        models.add(LivelockDetectorTest.polite(150, 0).model());
        // channels, synchronizers, futures and pools
        models.add(SynchronizerDetectorsTest.twoWorkersFeedingEachOther(false).model());
        models.add(SynchronizerDetectorsTest.selfDeadlock(1, true).model());
        models.add(SynchronizerDetectorsTest.selfDeadlock(1, false).model());
        models.add(SynchronizerDetectorsTest.politeSemaphores(150).model());
        return models;
    }
}
