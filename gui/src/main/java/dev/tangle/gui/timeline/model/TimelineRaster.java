package dev.tangle.gui.timeline.model;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Draws the lanes into an ARGB pixel buffer with level of detail: per lane and pixel column, the column shows the
 * state at its middle, and when a more important state (BLOCKED, a wait) also happened within the column, however
 * short, a band in its colour covers the upper part of the lane: a 1 µs block in a 10 s run still shows. The cost
 * is per visible pixel column and lane, not per event: galloping searches skip what falls inside one column, and
 * per-block category masks answer "was anything blocked in here" for thousands of intervals at once.
 *
 * <p>Pure Java: the view copies the buffer into an image, the benchmark measures it off-screen.
 */
public final class TimelineRaster {
    private int width;
    private int height;
    private int[] pixels = new int[0];
    private int[] base = new int[0];
    private int[] marks = new int[0];
    private int[] held = new int[0];

    public int[] pixels() {
        return pixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * Renders rows {@code firstRow..} of {@code rows} with the given row height, the first one starting at
     * {@code yOffset} (zero or negative when scrolled part way).
     */
    public void render(List<LaneRow> rows, int firstRow, int yOffset, int rowHeight, Viewport view, int w, int h,
                       Set<Long> highlighted) {
        if (w != width || h != height) {
            width = w;
            height = h;
            pixels = new int[w * h];
            base = new int[w];
            marks = new int[w];
            held = new int[w];
        }
        Arrays.fill(pixels, StatePalette.BACKGROUND);
        double t0 = view.start();
        double nsPerPx = view.span() / w;
        int y = yOffset;
        for (int r = firstRow; r < rows.size() && y < h; r++, y += rowHeight) {
            LaneRow row = rows.get(r);
            int background = row instanceof LaneRow.Lane l && highlighted.contains(l.lane().threadId())
                    ? StatePalette.HIGHLIGHT : (r % 2 == 1 ? StatePalette.ROW_ALTERNATE : StatePalette.BACKGROUND);
            fillRows(y, y + rowHeight, background);
            if (row instanceof LaneRow.Lane l) {
                renderLane(l.lane(), t0, nsPerPx, y, rowHeight, background);
            }
        }
    }

    private void renderLane(LaneData lane, double t0, double nsPerPx, int y, int rowHeight, int background) {
        int w = width;
        Arrays.fill(base, 0);
        Arrays.fill(marks, 0);
        Arrays.fill(held, 0);
        int n = lane.size();
        if (n > 0) {
            int x0 = Math.max(0, (int) Math.floor((lane.start(0) - t0) / nsPerPx));
            int xEnd = Math.min(w, (int) Math.ceil((lane.end() - t0) / nsPerPx));
            int i = Math.max(0, lane.indexAt((long) (t0 + x0 * nsPerPx)));
            for (int x = x0; x < xEnd; x++) {
                long a = (long) (t0 + x * nsPerPx);
                long b = (long) (t0 + (x + 1) * nsPerPx) - 1;
                i = lane.advance(i, a);
                int last = lane.advance(i, Math.max(a, b));
                int mid = last == i ? i : lane.advance(i, (a + b) >>> 1);
                int baseCat = lane.categoryOrdinal(mid);
                base[x] = StatePalette.argb(StateCategory.ofOrdinal(baseCat));
                if (last != i) {
                    int mask = lane.maskBetween(i, last);
                    int top = mostImportant(mask);
                    if (top >= 0 && StateCategory.ofOrdinal(top).importance()
                            > StateCategory.ofOrdinal(baseCat).importance()) {
                        marks[x] = StatePalette.argb(StateCategory.ofOrdinal(top));
                    }
                }
                i = last;
            }
        }
        int holds = lane.holdCount();
        if (holds > 0) {
            // per column: is any merged hold overlapping it? (a galloping pointer, not a loop over holds)
            int k = lane.holdIndexFrom((long) t0);
            for (int x = 0; x < w && k < holds; x++) {
                long a = (long) (t0 + x * nsPerPx);
                long b = (long) (t0 + (x + 1) * nsPerPx);
                k = lane.advanceHold(k, a);
                if (k < holds && lane.holdStart(k) < b) {
                    held[x] = StatePalette.HOLD;
                }
            }
        }
        // rows of the lane: 2 px gap, the state band (its upper part shows marks), the hold bar at the bottom
        int top = y + 2;
        int bottom = y + rowHeight - 2;
        int markEnd = top + Math.max(2, (bottom - top) * 2 / 5);
        int holdStart = bottom - Math.max(2, (bottom - top) / 5);
        for (int x = 0; x < w; x++) {
            int b = base[x] != 0 ? base[x] : background;
            base[x] = b;
            marks[x] = marks[x] != 0 ? marks[x] : b;
            held[x] = held[x] != 0 ? held[x] : b;
        }
        for (int row = Math.max(0, top); row < Math.min(height, bottom); row++) {
            int[] src = row < markEnd ? marks : row >= holdStart ? held : base;
            System.arraycopy(src, 0, pixels, row * w, w);
        }
    }

    /** For each set of categories (bit = ordinal), the most important one, or -1 for none. */
    private static final byte[] MOST_IMPORTANT = new byte[1 << StateCategory.values().length];

    static {
        for (int mask = 0; mask < MOST_IMPORTANT.length; mask++) {
            int best = -1;
            for (int c = 0; c < StateCategory.values().length; c++) {
                if ((mask & (1 << c)) != 0 && (best < 0
                        || StateCategory.ofOrdinal(c).importance() > StateCategory.ofOrdinal(best).importance())) {
                    best = c;
                }
            }
            MOST_IMPORTANT[mask] = (byte) best;
        }
    }

    private static int mostImportant(int mask) {
        return MOST_IMPORTANT[mask];
    }

    private void fillRows(int from, int to, int argb) {
        int a = Math.max(0, from);
        int b = Math.min(height, to);
        if (a < b) {
            Arrays.fill(pixels, a * width, b * width, argb);
        }
    }
}
