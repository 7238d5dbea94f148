package dev.tangle.gui.timeline.model;

import dev.tangle.gui.RecordedTraces;
import dev.tangle.model.Hold;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.TraceModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineDataTest {
    /** The lanes are the model's intervals, and their hold bars cover exactly the model's holds. */
    @Test
    void lanesAreTheModelsIntervalsAndHolds() throws Exception {
        TraceModel model = ModelBuilder.build(RecordedTraces.printSumDeadlock());

        TimelineData data = TimelineData.of(model, () -> false);

        assertThat(data.lanes()).hasSize(model.threads().size());
        for (ThreadInfo t : model.threads()) {
            LaneData lane = data.lane(t.id());
            List<StateInterval> states = model.states(t.id());
            assertThat(lane.size()).as(t.name()).isEqualTo(states.size());
            for (int i = 0; i < states.size(); i++) {
                StateInterval s = states.get(i);
                assertThat(lane.start(i)).isEqualTo(s.start());
                assertThat(lane.category(i)).isEqualTo(StateCategory.of(s.state(), s.reason()));
            }
            List<Hold> holds = model.holds(Long.MIN_VALUE, Long.MAX_VALUE).stream()
                    .filter(h -> h.threadId() == t.id()).toList();
            for (Hold h : holds) {
                int k = lane.holdIndexFrom(h.start());
                assertThat(k).as("a merged hold covers " + h).isLessThan(lane.holdCount());
                assertThat(lane.holdStart(k)).isLessThanOrEqualTo(h.start());
                assertThat(lane.holdEnd(k)).isGreaterThanOrEqualTo(h.open() ? model.endTime() : h.end());
            }
            if (holds.isEmpty()) {
                assertThat(lane.holdCount()).isZero();
            }
        }
        // the two deadlocked workers each hold one Value to the end
        long ab = model.threads().stream().filter(t -> "printSum(a, b)".equals(t.name())).findFirst()
                .orElseThrow().id();
        LaneData abLane = data.lane(ab);
        assertThat(abLane.holdCount()).isEqualTo(1);
        assertThat(abLane.holdEnd(0)).isEqualTo(model.endTime());
        assertThat(abLane.category(abLane.size() - 1)).isEqualTo(StateCategory.BLOCKED);
    }
}
