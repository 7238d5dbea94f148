package dev.tangle.gui.timeline.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineRasterTest {
    private static final int ROW = 20;

    /** 10 s of running with a 1 µs block in the middle, 1,000 px wide: 10 ms per pixel column. */
    private static LaneData runWithShortBlock() {
        long[] starts = {0, 5_000_000_000L, 5_000_001_000L};
        byte[] cats = {(byte) StateCategory.RUNNING.ordinal(), (byte) StateCategory.BLOCKED.ordinal(),
            (byte) StateCategory.RUNNING.ordinal()};
        return new LaneData(1, "worker", starts, cats, 10_000_000_000L, new long[] {1_000_000_000L},
                new long[] {2_000_000_000L});
    }

    private static int pixel(TimelineRaster r, int x, int y) {
        return r.pixels()[y * r.width() + x];
    }

    @Test
    void aShortBlockInALongRunStillShowsAsAMarkOverRunning() {
        TimelineData data = TimelineData.of(10_000_000_000L, List.of(runWithShortBlock()), Set.of());
        Viewport view = new Viewport();
        view.reset(10_000_000_000L);
        TimelineRaster r = new TimelineRaster();

        r.render(data.rows(), 0, 0, ROW, view, 1000, 100, Set.of());

        int blockColumn = 500;
        int markRow = 4;
        int baseRow = 11;
        assertThat(pixel(r, blockColumn, markRow)).isEqualTo(StatePalette.argb(StateCategory.BLOCKED));
        assertThat(pixel(r, blockColumn, baseRow)).isEqualTo(StatePalette.argb(StateCategory.RUNNING));
        // its neighbours have no mark
        assertThat(pixel(r, blockColumn - 2, markRow)).isEqualTo(StatePalette.argb(StateCategory.RUNNING));
        assertThat(pixel(r, blockColumn + 2, markRow)).isEqualTo(StatePalette.argb(StateCategory.RUNNING));
    }

    @Test
    void zoomedInTheBlockFillsTheLaneAndHoldsShowAtTheBottom() {
        TimelineData data = TimelineData.of(10_000_000_000L, List.of(runWithShortBlock()), Set.of());
        Viewport view = new Viewport();
        view.reset(10_000_000_000L);
        view.show(5_000_000_000L - 500, 5_000_001_000L + 500); // 2 µs over 1,000 px
        TimelineRaster r = new TimelineRaster();

        r.render(data.rows(), 0, 0, ROW, view, 1000, 100, Set.of());

        assertThat(pixel(r, 500, 11)).isEqualTo(StatePalette.argb(StateCategory.BLOCKED));
        assertThat(pixel(r, 100, 11)).isEqualTo(StatePalette.argb(StateCategory.RUNNING));
        // the hold (1 s to 2 s) is off screen here, and on screen when everything shows
        assertThat(pixel(r, 100, ROW - 3)).isEqualTo(StatePalette.argb(StateCategory.RUNNING));
        view.fitAll();
        r.render(data.rows(), 0, 0, ROW, view, 1000, 100, Set.of());
        assertThat(pixel(r, 150, ROW - 3)).isEqualTo(StatePalette.HOLD);
        assertThat(pixel(r, 250, ROW - 3)).isEqualTo(StatePalette.argb(StateCategory.RUNNING));
    }

    @Test
    void manyIntervalsPerColumnKeepTheBlockedOneVisible() {
        int n = 100_000;
        long[] starts = new long[n];
        byte[] cats = new byte[n];
        for (int i = 0; i < n; i++) {
            starts[i] = i * 100L;
            cats[i] = (byte) (i == 77_777 ? StateCategory.BLOCKED.ordinal()
                    : i % 2 == 0 ? StateCategory.RUNNING.ordinal() : StateCategory.SLEEPING.ordinal());
        }
        LaneData lane = new LaneData(1, "busy", starts, cats, n * 100L, new long[0], new long[0]);
        TimelineData data = TimelineData.of(n * 100L, List.of(lane), Set.of());
        Viewport view = new Viewport();
        view.reset(n * 100L);
        TimelineRaster r = new TimelineRaster();

        r.render(data.rows(), 0, 0, ROW, view, 100, 40, Set.of()); // 1,000 intervals per column

        assertThat(pixel(r, 77, 4)).isEqualTo(StatePalette.argb(StateCategory.BLOCKED));
        assertThat(pixel(r, 76, 4)).isNotEqualTo(StatePalette.argb(StateCategory.BLOCKED));
        assertThat(pixel(r, 78, 4)).isNotEqualTo(StatePalette.argb(StateCategory.BLOCKED));
    }

    @Test
    void poolThreadsAreGroupedAndALargeGroupStartsCollapsed() {
        List<LaneData> lanes = new java.util.ArrayList<>();
        lanes.add(new LaneData(1, "main", new long[] {0}, new byte[] {1}, 10, new long[0], new long[0]));
        for (int i = 1; i <= 30; i++) {
            lanes.add(new LaneData(100 + i, "pool-1-thread-" + i, new long[] {0}, new byte[] {1}, 10, new long[0],
                    new long[0]));
        }
        lanes.add(new LaneData(200, "worker-1", new long[] {0}, new byte[] {1}, 10, new long[0], new long[0]));
        lanes.add(new LaneData(201, "worker-2", new long[] {0}, new byte[] {1}, 10, new long[0], new long[0]));
        TimelineData data = TimelineData.of(10, lanes, Set.of());

        assertThat(data.rows()).hasSize(1 + 1 + 1 + 2); // main, collapsed pool header, worker header + 2 lanes
        assertThat(data.rowOf(105)).isEqualTo(-1);
        assertThat(data.reveal(105)).isTrue();
        assertThat(data.rowOf(105)).isEqualTo(2 + 4);
        assertThat(LaneGroup.keyOf("ForkJoinPool-1-worker-3", false)).isEqualTo("ForkJoinPool-1-worker");
        assertThat(LaneGroup.keyOf("anything", true)).isEqualTo("virtual threads");
    }
}
