package dev.tangle.detect;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.model.TraceModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What every detector must do, whatever it detects (found through the ServiceLoader, as the CLI finds them). */
class DetectorContractTest {
    static Stream<Detector> detectors() {
        return Detectors.all().stream();
    }

    @ParameterizedTest
    @MethodSource("detectors")
    void hasAKebabCaseIdAndAUniqueType(Detector d) {
        assertThat(d.id()).matches("[a-z]+(-[a-z]+)*");
        assertThat(Detectors.all().stream().filter(o -> o.type() == d.type())).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("detectors")
    void findsNothingInAnEmptyTraceOrAnIdleOne(Detector d) {
        assertThat(Findings.of(d, new SyntheticTrace().model())).isEmpty();
        SyntheticTrace idle = new SyntheticTrace();
        idle.begin(1, 1, "main", 0).end(10, 1);
        assertThat(Findings.of(d, idle.model())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("detectors")
    void isStatelessAndReportsOnlyItsOwnTypeWithCompleteFindings(Detector d) {
        for (TraceModel model : corpus()) {
            List<Finding> first = Findings.of(d, model);
            List<Finding> again = Findings.of(d, model);
            assertThat(again).as("a second run on the same model").isEqualTo(first);
            Set<String> ids = new HashSet<>();
            for (Finding f : first) {
                assertThat(f.type()).isEqualTo(d.type());
                assertThat(f.summary()).isNotBlank().endsWith(".");
                assertThat(f.threads()).isNotEmpty();
                assertThat(f.evidence()).isNotEmpty();
                assertThat(f.time()).isBetween(0L, model.endTime());
                assertThat(ids.add(f.id())).as("unique id " + f.id()).isTrue();
            }
        }
    }

    /** A few traces with bugs of every kind, so that each detector has something to find. */
    static List<TraceModel> corpus() {
        List<TraceModel> models = new ArrayList<>();
        SyntheticTrace abba = new SyntheticTrace();
        long a = abba.monitor("A");
        long b = abba.monitor("B");
        models.add(DeadlockDetectorTest.abba(abba, a, b).model());
        models.addAll(Corpus.more());
        return models;
    }
}
