package dev.tangle.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tangle.trace.TraceMutator;

import java.util.List;

/**
 * Coverage-guided structure-aware fuzzing with Jazzer: the fuzzer's bytes choose the seed trace and drive
 * {@link TraceMutator}'s decisions, so the engine learns which mutations reach new code in the reader, the model
 * builder and the detectors, while every mutant keeps valid chunk framing and CRCs. Each input must end in a
 * model or in {@code TraceFormatException} ({@link TraceOracle}).
 *
 * <p>Without {@code JAZZER_FUZZ=1} this runs the saved inputs only ({@code TraceFuzzTestInputs/}) as a regression
 * test; the {@code fuzz} surefire execution sets it and fuzzes for {@code maxDuration}.
 */
class TraceFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void mutatedTraces(FuzzedDataProvider data) {
        List<byte[]> seeds = Seeds.all();
        byte[] seed = seeds.get(data.consumeInt(0, seeds.size() - 1));
        byte[] mutant = TraceMutator.mutate(seed, new TraceMutator.Choices() {
            @Override
            public int pick(int bound) {
                return bound <= 1 ? 0 : data.consumeInt(0, bound - 1);
            }

            @Override
            public long anyLong() {
                return data.consumeLong();
            }
        });
        TraceOracle.check(mutant);
    }
}
