package dev.tangle.fuzz;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.model.BlockReason;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.SyntheticTrace;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceFormatException;
import dev.tangle.trace.TraceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The crashes the structure-aware fuzzers found, each rebuilt as the smallest trace that shows it, with what the
 * reader and the model do now. (Found by {@link FuzzPass}: seed 20261206 input 2201, seed 1 inputs 3713, 693
 * and 5316.)
 */
class FuzzFoundRegressionTest {
    private static TraceModel model(SyntheticTrace t) throws IOException {
        byte[] bytes = t.bytes();
        try (TraceReader reader = TraceReader.of(new ByteArrayInputStream(bytes), "regression.tngl")) {
            return ModelBuilder.build(reader, "regression.tngl");
        }
    }

    /** Was an IndexOutOfBoundsException in ModelBuilder.add: thread id 0 hit the free-slot marker of its map. */
    @Test
    void anEventChunkOfThreadZeroIsRefusedAsCorrupt() {
        SyntheticTrace t = new SyntheticTrace();
        t.begin(1, 0, "nobody", 0);
        assertThatThrownBy(() -> model(t)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("event chunk of thread 0");
    }

    /** Was IllegalArgumentException "key 0" in the replay: a monitor event naming object 0 (none). */
    @Test
    void lockEventsWithoutAnObjectAreIgnoredAndCounted() throws IOException {
        SyntheticTrace t = new SyntheticTrace();
        long m = t.monitor("M");
        t.begin(1, 1, "main", 0).ev(2, 1, EventKind.MONITOR_REQUEST, 0).ev(3, 1, EventKind.MONITOR_ACQUIRED, 0,
                0, 1).enter(4, 1, m).exit(6, 1, m).end(7, 1);
        TraceModel model = model(t);
        assertThat(model.summary().warnings()).contains("regression.tngl: ignored 2 events that named no object"
                + " (id 0)");
        assertThat(model.holds(m)).hasSize(1);
        assertThat(Detectors.analyze(model)).isEmpty();
    }

    /** Was IllegalArgumentException "loops not allowed" from the wait-for graph: a thread that joins itself. */
    @Test
    void aThreadJoiningItselfIsShownWaitingWithoutALoopInTheWaitForGraph() throws IOException {
        SyntheticTrace t = new SyntheticTrace();
        t.begin(1, 1, "main", 0).ev(2, 1, EventKind.JOIN_BEGIN, 1);
        TraceModel model = model(t.incomplete().endAt(10));
        assertThat(model.stateAtEnd(1)).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(ThreadState.WAITING);
            assertThat(s.reason()).isEqualTo(BlockReason.JOIN);
        });
        assertThat(Detectors.analyze(model)).extracting(Finding::type).doesNotContain(FindingType.DEADLOCK);
    }

    /** Was IllegalArgumentException from DeadlockDetector.quoteList: a queued task of a pool with no workers. */
    @Test
    void aFutureOfATaskQueuedInAPoolWithoutWorkersIsReported() throws IOException {
        SyntheticTrace t = new SyntheticTrace();
        long pool = t.pool(3);
        long task = t.futureTask();
        t.begin(1, 1, "main", SyntheticTrace.PREEXISTING).ev(2, 1, EventKind.POOL_CREATE, pool, 0, 3)
                .ev(3, 1, EventKind.TASK_SUBMIT, task, 0, pool).ev(4, 1, EventKind.FUTURE_GET_BEGIN, task, 0, 0,
                        "get");
        List<Finding> findings = Detectors.analyze(model(t.incomplete().endAt(1_000_000_000L)));
        // main waits forever for a task no worker will ever take
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.type()).isEqualTo(FindingType.COMMUNICATION_DEADLOCK);
            assertThat(f.threads()).containsExactly("main");
            assertThat(f.details().toString()).contains("none of its workers (none) took it");
        });
    }
}
