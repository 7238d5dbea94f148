package dev.tangle.gui.timeline.model;

import dev.tangle.gui.RecordedTraces;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.TraceModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Channel marks per pixel column on a recording of fixtures.HandOffChannel (three puts, 20 ms apart). */
class ChannelMarksTest {
    @Test
    void marksCollapseIntoOneColumnEachWhenZoomedOut() throws Exception {
        TraceModel model = ModelBuilder.build(RecordedTraces.handOffChannel());
        long producer = model.threads().stream().filter(t -> t.name().equals("producer")).mapToLong(ThreadInfo::id)
                .findFirst().orElseThrow();
        ChannelMarks marks = ChannelMarks.of(model);
        long[] sends = marks.times(producer, ChannelMarks.Kind.SEND);
        assertThat(sends).hasSize(3).isSorted();
        Viewport view = new Viewport();
        view.reset(0, model.endTime());
        int[] columns = new int[100];

        // 2 pixels for the whole trace: the three sends (within 50 ms) share one column
        assertThat(marks.columns(producer, ChannelMarks.Kind.SEND, view, 2, columns)).isEqualTo(1);
        // wide enough: one column each, in time order
        int n = marks.columns(producer, ChannelMarks.Kind.SEND, view, 100_000, columns);
        assertThat(n).isEqualTo(3);
        assertThat(columns[0]).isLessThan(columns[1]);
        assertThat(columns[1]).isLessThan(columns[2]);
        // a view that ends before the first send shows none
        view.show(0, sends[0] - 1_000_000);
        assertThat(marks.columns(producer, ChannelMarks.Kind.SEND, view, 1000, columns)).isZero();
    }
}
