package dev.tangle.gui.timeline.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ViewportTest {
    @Test
    void zoomKeepsTheAnchorInPlaceAndUndoGoesBack() {
        Viewport v = new Viewport();
        v.reset(1_000_000);
        v.show(0, 1_000_000);
        double anchorTime = v.timeAt(250, 1000);

        v.zoom(0.5, 0.25);

        assertThat(v.span()).isCloseTo(500_000, within(1e-6));
        assertThat(v.timeAt(250, 1000)).isCloseTo(anchorTime, within(1e-6));
        v.pan(0.5);
        assertThat(v.start()).isCloseTo(125_000 + 250_000, within(1e-6));
        assertThat(v.undo()).isTrue();
        assertThat(v.start()).isCloseTo(125_000, within(1e-6));
        assertThat(v.undo()).isTrue();
        assertThat(v.span()).isCloseTo(1_000_000, within(1e-6));
    }

    @Test
    void aDragIsOneUndoStep() {
        Viewport v = new Viewport();
        v.reset(1_000_000);
        v.show(0, 100_000);
        v.remember();
        for (int i = 1; i <= 10; i++) {
            v.panTo(i * 1000);
        }
        assertThat(v.start()).isEqualTo(10_000);
        v.undo();
        assertThat(v.start()).isZero();
    }

    @Test
    void rulerStepsAndLabelsUseASensibleUnit() {
        assertThat(TimeAxis.step(1e9, 1000, 100)).isEqualTo(1e8);
        assertThat(TimeAxis.label(2e8, 1e8)).isEqualTo("200 ms");
        assertThat(TimeAxis.label(1_500_000_000, 5e8)).isEqualTo("1.5 s");
        assertThat(TimeAxis.label(1_500_000_000, 1e9)).isEqualTo("2 s");
        assertThat(TimeAxis.label(1_250, 50)).isEqualTo("1250 ns");
        assertThat(TimeAxis.label(25_000, 5_000)).isEqualTo("25 µs");
        assertThat(TimeAxis.duration(1_204_000_000)).isEqualTo("1.204 s");
    }

    @Test
    void aGrowingLiveTraceStaysFittedFollowsThePresentOrStaysWhereTheUserWent() {
        Viewport v = new Viewport();
        v.reset(0, 1_000_000);
        v.fitAll();
        v.grow(2_000_000);
        assertThat(v.start()).isLessThanOrEqualTo(0);
        assertThat(v.end()).isGreaterThanOrEqualTo(2_000_000); // everything, still

        v.show(1_500_000, 2_000_000); // the present, zoomed in
        v.grow(3_000_000);
        assertThat(v.end()).isCloseTo(3_000_000, within(1e-6));
        assertThat(v.span()).isCloseTo(500_000, within(1e-6));

        v.show(100_000, 200_000); // the past
        v.grow(4_000_000);
        assertThat(v.start()).isCloseTo(100_000, within(1e-6));
        assertThat(v.end()).isCloseTo(200_000, within(1e-6));
        assertThat(v.traceEnd()).isEqualTo(4_000_000);
    }
}
