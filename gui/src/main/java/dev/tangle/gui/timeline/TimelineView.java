package dev.tangle.gui.timeline;

import dev.tangle.gui.timeline.model.ChannelMarks;
import dev.tangle.gui.timeline.model.LaneData;
import dev.tangle.gui.timeline.model.LaneRow;
import dev.tangle.gui.timeline.model.StateCategory;
import dev.tangle.gui.timeline.model.TimeAxis;
import dev.tangle.gui.timeline.model.TimelineData;
import dev.tangle.gui.timeline.model.TimelineRaster;
import dev.tangle.gui.timeline.model.Viewport;
import dev.tangle.model.Causality;
import dev.tangle.model.StateInterval;
import dev.tangle.model.TraceModel;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;

import java.util.List;
import java.util.Set;

/**
 * The thread timeline: a lane per thread on a {@link Canvas}, drawn through {@link TimelineRaster} (level of
 * detail per pixel column) and copied in as one image, with the names on the left, the time ruler on top, the
 * selection, the time cursor and the causality arrows of the selected wait drawn over it.
 *
 * <p>Navigation: Ctrl+wheel or W/S zoom, drag or A/D pan, drag on the ruler zooms to that range, a click on the
 * ruler moves the time cursor and dragging its handle scrubs it, F fits all, Ctrl+Z or Backspace undoes. Only
 * visible rows are drawn: thousands of threads cost nothing until scrolled to.
 */
public final class TimelineView extends Region {
    public static final double LABEL_WIDTH = 220;
    public static final double RULER_HEIGHT = 28;
    public static final int ROW_HEIGHT = 22;
    private static final double ZOOM_STEP = 0.8;
    private static final Font LABEL_FONT = Font.font("System", 12);
    private static final Font HEADER_FONT = Font.font("System", FontWeight.BOLD, 12);
    private static final Font RULER_FONT = Font.font("System", 11);
    static final Color SEND_MARK = Color.web("#6d28d9");
    static final Color RECEIVE_MARK = Color.web("#0e7490");

    private final Canvas canvas = new Canvas();
    private final ScrollBar vscroll = new ScrollBar();
    private final TimelineRaster raster = new TimelineRaster();
    private final Viewport view = new Viewport();
    private final Tooltip tooltip = new Tooltip();
    private final ContextMenu contextMenu = new ContextMenu();
    private final ObjectProperty<StateInterval> selected = new SimpleObjectProperty<>(this, "selected");
    private final DoubleProperty cursorTime = new SimpleDoubleProperty(this, "cursorTime", -1);
    private final ObjectProperty<Set<Long>> highlighted = new SimpleObjectProperty<>(this, "highlighted", Set.of());
    private WritableImage image;
    private TraceModel model;
    private TimelineData data;
    private ChannelMarks marks;
    private int[] markColumns = new int[0];
    private boolean redrawPending;
    private long lastRenderNanos;

    // drag state
    private double pressX;
    private double pressY;
    private double pressStart;
    private boolean rulerDrag;
    private boolean scrubbing;
    private boolean dragged;
    private double rulerDragX = -1;

    public TimelineView() {
        getStyleClass().add("timeline");
        canvas.setId("timeline-canvas");
        canvas.setFocusTraversable(true);
        vscroll.setOrientation(Orientation.VERTICAL);
        vscroll.valueProperty().addListener((o, a, b) -> requestRedraw());
        getChildren().addAll(canvas, vscroll);
        tooltip.setShowDelay(Duration.millis(250));
        tooltip.setHideDelay(Duration.millis(100));
        Tooltip.install(canvas, tooltip);
        canvas.addEventHandler(ScrollEvent.SCROLL, this::onScroll);
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::onReleased);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::onMoved);
        canvas.addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        selected.addListener((o, a, b) -> requestRedraw());
        cursorTime.addListener((o, a, b) -> requestRedraw());
        highlighted.addListener((o, a, b) -> requestRedraw());
    }

    // ---- what it shows

    public void setTrace(TraceModel model, TimelineData data) {
        this.model = model;
        this.data = data;
        this.marks = ChannelMarks.of(model);
        selected.set(null);
        highlighted.set(Set.of());
        view.reset(data.startTime(), data.endTime());
        view.fitAll();
        cursorTime.set(-1);
        vscroll.setValue(0);
        requestRedraw();
    }

    /**
     * The same live trace, grown: keeps the selection, highlight, cursor and scroll position; the view follows
     * the present unless the user moved away from it ({@link Viewport#grow}).
     */
    public void growTrace(TraceModel model, TimelineData data) {
        this.model = model;
        this.data = data;
        this.marks = ChannelMarks.of(model);
        view.grow(data.endTime());
        requestRedraw();
    }

    public TraceModel model() {
        return model;
    }

    public TimelineData data() {
        return data;
    }

    public Viewport viewport() {
        return view;
    }

    public ObjectProperty<StateInterval> selectedProperty() {
        return selected;
    }

    /** The time cursor (ns) the graph views follow; -1 when unset. */
    public DoubleProperty cursorTimeProperty() {
        return cursorTime;
    }

    /** The threads of the selected finding, drawn with a yellow background. */
    public ObjectProperty<Set<Long>> highlightedProperty() {
        return highlighted;
    }

    /** How long the last redraw took, ns (raster and image copy). */
    public long lastRenderNanos() {
        return lastRenderNanos;
    }

    // ---- navigation (also used by menus and tests)

    public void zoom(double factor) {
        view.zoom(factor, 0.5);
        requestRedraw();
    }

    public void pan(double fraction) {
        view.pan(fraction);
        requestRedraw();
    }

    public void fitAll() {
        view.fitAll();
        requestRedraw();
    }

    public boolean undo() {
        boolean done = view.undo();
        requestRedraw();
        return done;
    }

    /** Shows [from, to) (ns). */
    public void show(double from, double to) {
        view.show(from, to);
        requestRedraw();
    }

    /** Scrolls the lanes so that the thread's lane is visible (expanding its group), near the top. */
    public void revealThread(long threadId) {
        if (data == null) {
            return;
        }
        data.reveal(threadId);
        int row = data.rowOf(threadId);
        if (row < 0) {
            return;
        }
        updateScrollBar();
        double y = row * (double) ROW_HEIGHT;
        double visible = lanesHeight();
        if (y < vscroll.getValue() || y + ROW_HEIGHT > vscroll.getValue() + visible) {
            vscroll.setValue(Math.min(vscroll.getMax(), Math.max(0, y - ROW_HEIGHT * 2)));
        }
        requestRedraw();
    }

    /** Selects what the thread was doing at {@code time} and shows it. */
    public void selectAt(long threadId, long time) {
        if (model == null) {
            return;
        }
        revealThread(threadId);
        selected.set(model.stateAt(threadId, time).orElse(null));
    }

    /** Goes to the thread whose release, signal or end ended the selected wait, selecting what it did then. */
    public boolean goToWaker() {
        StateInterval s = selected.get();
        Causality.Link waker = s == null ? null : Causality.waker(model, s);
        if (waker == null) {
            return false;
        }
        long t = Math.max(0, waker.fromTime() - 1);
        if (t < view.start() || t > view.end()) {
            view.centreOn(t, 0);
        }
        selectAt(waker.fromThread(), t);
        return true;
    }

    // ---- layout and drawing

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        double sw = vscroll.prefWidth(-1);
        canvas.setWidth(Math.max(1, w - sw));
        canvas.setHeight(Math.max(1, h));
        vscroll.resizeRelocate(w - sw, RULER_HEIGHT, sw, Math.max(0, h - RULER_HEIGHT));
        updateScrollBar();
        requestRedraw();
    }

    @Override
    protected double computePrefWidth(double height) {
        return 900;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 400;
    }

    private double lanesWidth() {
        return Math.max(1, canvas.getWidth() - LABEL_WIDTH);
    }

    private double lanesHeight() {
        return Math.max(1, canvas.getHeight() - RULER_HEIGHT);
    }

    private void updateScrollBar() {
        int rows = data == null ? 0 : data.rows().size();
        double content = rows * (double) ROW_HEIGHT;
        double visible = lanesHeight();
        vscroll.setMin(0);
        vscroll.setMax(Math.max(0, content - visible));
        vscroll.setVisibleAmount(content <= 0 ? 1 : Math.min(vscroll.getMax() + 1, visible * vscroll.getMax()
                / Math.max(1, content - visible)));
        vscroll.setUnitIncrement(ROW_HEIGHT);
        vscroll.setBlockIncrement(visible);
        vscroll.setDisable(content <= visible);
        if (vscroll.getValue() > vscroll.getMax()) {
            vscroll.setValue(vscroll.getMax());
        }
    }

    public void requestRedraw() {
        if (!redrawPending) {
            redrawPending = true;
            Platform.runLater(this::redraw);
        }
    }

    /** Draws now (the FX thread); normally called once per pulse through {@link #requestRedraw()}. */
    public void redraw() {
        redrawPending = false;
        GraphicsContext gc = canvas.getGraphicsContext2D();
        double cw = canvas.getWidth();
        double ch = canvas.getHeight();
        gc.setFill(Color.WHITE);
        gc.fillRect(0, 0, cw, ch);
        if (data == null) {
            gc.setFill(Color.gray(0.45));
            gc.setFont(Font.font("System", 15));
            gc.setTextAlign(TextAlignment.CENTER);
            gc.setTextBaseline(VPos.CENTER);
            gc.fillText("Open a trace (File > Open, drop a .trace file here, ./tangle gui FILE), attach to a JVM or run a demo", cw / 2, ch / 2);
            return;
        }
        long t0 = System.nanoTime();
        int w = (int) lanesWidth();
        int h = (int) lanesHeight();
        double scroll = vscroll.getValue();
        int firstRow = (int) (scroll / ROW_HEIGHT);
        int yOffset = -(int) (scroll - firstRow * (double) ROW_HEIGHT);
        List<LaneRow> rows = data.rows();
        raster.render(rows, firstRow, yOffset, ROW_HEIGHT, view, w, h, highlighted.get());
        if (image == null || (int) image.getWidth() != w || (int) image.getHeight() != h) {
            image = new WritableImage(w, h);
        }
        image.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), raster.pixels(), 0, w);
        gc.drawImage(image, LABEL_WIDTH, RULER_HEIGHT);
        drawOverlay(gc, w, h, firstRow, yOffset);
        drawLabels(gc, rows, firstRow, yOffset, h);
        drawRuler(gc, w);
        lastRenderNanos = System.nanoTime() - t0;
    }

    private void drawLabels(GraphicsContext gc, List<LaneRow> rows, int firstRow, int yOffset, int h) {
        gc.setFill(Color.web("#f1f3f6"));
        gc.fillRect(0, RULER_HEIGHT, LABEL_WIDTH, h);
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.LEFT);
        Set<Long> hl = highlighted.get();
        StateInterval sel = selected.get();
        for (int r = firstRow, y = yOffset; r < rows.size() && y < h; r++, y += ROW_HEIGHT) {
            double top = RULER_HEIGHT + y;
            double mid = top + ROW_HEIGHT / 2.0;
            LaneRow row = rows.get(r);
            if (row instanceof LaneRow.Header header) {
                gc.setFill(Color.web("#e3e7ed"));
                gc.fillRect(0, top, LABEL_WIDTH, ROW_HEIGHT);
                gc.setFill(Color.web("#e9edf2"));
                gc.fillRect(LABEL_WIDTH, top, lanesWidth(), ROW_HEIGHT);
                gc.setFill(Color.web("#1f2937"));
                gc.setFont(HEADER_FONT);
                gc.fillText((header.expanded() ? "\u25BE " : "\u25B8 ") + header.group().name() + "  ("
                        + header.group().lanes().size() + " threads)", 6, mid, LABEL_WIDTH - 10);
                if (!header.expanded()) {
                    gc.setFill(Color.gray(0.4));
                    gc.setFont(LABEL_FONT);
                    gc.fillText("collapsed: click the name to show its lanes", LABEL_WIDTH + 8, mid);
                }
            } else if (row instanceof LaneRow.Lane lane) {
                LaneData l = lane.lane();
                boolean isHl = hl.contains(l.threadId());
                boolean isSel = sel != null && sel.threadId() == l.threadId();
                if (isHl) {
                    gc.setFill(Color.web("#ffe58a"));
                    gc.fillRect(0, top, LABEL_WIDTH, ROW_HEIGHT);
                }
                if (isSel) {
                    gc.setFill(Color.web("#1565c0"));
                    gc.fillRect(0, top, 3, ROW_HEIGHT);
                }
                gc.setFill(Color.web("#111827"));
                gc.setFont(isHl || isSel ? HEADER_FONT : LABEL_FONT);
                double x = lane.grouped() ? 20 : 8;
                gc.fillText(l.name(), x, mid, LABEL_WIDTH - x - 6);
            }
        }
        gc.setStroke(Color.web("#c7ccd4"));
        gc.setLineWidth(1);
        gc.strokeLine(LABEL_WIDTH - 0.5, RULER_HEIGHT, LABEL_WIDTH - 0.5, RULER_HEIGHT + h);
    }

    private void drawRuler(GraphicsContext gc, int w) {
        gc.setFill(Color.web("#f8f9fb"));
        gc.fillRect(0, 0, canvas.getWidth(), RULER_HEIGHT);
        gc.setStroke(Color.web("#c7ccd4"));
        gc.setLineWidth(1);
        gc.strokeLine(0, RULER_HEIGHT - 0.5, canvas.getWidth(), RULER_HEIGHT - 0.5);
        double step = TimeAxis.step(view.span(), w, 110);
        double first = Math.ceil(view.start() / step) * step;
        gc.setFont(RULER_FONT);
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setFill(Color.web("#374151"));
        gc.setStroke(Color.web("#9ca3af"));
        for (double t = first; t <= view.end(); t += step) {
            double x = Math.floor(LABEL_WIDTH + view.xOf(t, w)) + 0.5;
            gc.strokeLine(x, RULER_HEIGHT - 8, x, RULER_HEIGHT);
            if (x + 60 < canvas.getWidth()) { // no label cut by the right edge
                gc.fillText(TimeAxis.label(t, step), x + 3, RULER_HEIGHT / 2 - 2);
            }
            for (int k = 1; k < 5; k++) {
                double xs = Math.floor(LABEL_WIDTH + view.xOf(t + step * k / 5, w)) + 0.5;
                gc.strokeLine(xs, RULER_HEIGHT - 4, xs, RULER_HEIGHT);
            }
        }
        gc.setFill(Color.web("#f8f9fb"));
        gc.fillRect(0, 0, LABEL_WIDTH, RULER_HEIGHT);
        gc.setFill(Color.web("#4b5563"));
        gc.fillText("visible " + TimeAxis.duration(view.span()), 8, RULER_HEIGHT / 2);
        if (rulerDragX >= 0) {
            double a = Math.min(pressX, rulerDragX);
            double b = Math.max(pressX, rulerDragX);
            gc.setFill(Color.color(0.08, 0.4, 0.75, 0.25));
            gc.fillRect(a, 0, b - a, canvas.getHeight());
        }
        double c = cursorTime.get();
        if (c >= 0) {
            double x = LABEL_WIDTH + view.xOf(c, w);
            if (x >= LABEL_WIDTH) {
                gc.setFill(Color.web("#1565c0"));
                gc.fillPolygon(new double[] {x - 5, x + 5, x}, new double[] {RULER_HEIGHT - 9, RULER_HEIGHT - 9,
                        RULER_HEIGHT}, 3);
            }
        }
    }

    private void drawOverlay(GraphicsContext gc, int w, int h, int firstRow, int yOffset) {
        gc.save();
        gc.beginPath();
        gc.rect(LABEL_WIDTH, RULER_HEIGHT, w, h);
        gc.clip();
        double c = cursorTime.get();
        if (c >= 0) {
            double x = LABEL_WIDTH + view.xOf(c, w);
            gc.setStroke(Color.web("#1565c0"));
            gc.setLineWidth(1.5);
            gc.setLineDashes(6, 4);
            gc.strokeLine(x, RULER_HEIGHT, x, RULER_HEIGHT + h);
            gc.setLineDashes();
        }
        drawChannelMarks(gc, w, h, firstRow, yOffset);
        StateInterval sel = selected.get();
        if (sel != null) {
            double y = rowY(sel.threadId(), firstRow, yOffset);
            if (!Double.isNaN(y)) {
                double xa = Math.max(LABEL_WIDTH - 2, LABEL_WIDTH + view.xOf(sel.start(), w));
                double xb = Math.min(LABEL_WIDTH + w + 2, LABEL_WIDTH + view.xOf(sel.end(), w));
                gc.setStroke(Color.web("#0d47a1"));
                gc.setLineWidth(2);
                gc.strokeRect(xa, y + 1, Math.max(3, xb - xa), ROW_HEIGHT - 2);
            }
            for (Causality.Link link : Causality.of(model, sel)) {
                drawArrow(gc, link, w, firstRow, yOffset);
            }
        }
        gc.restore();
    }

    /** Send ticks at the top of a lane, receive ticks at its bottom: one per pixel column that has any. */
    private void drawChannelMarks(GraphicsContext gc, int w, int h, int firstRow, int yOffset) {
        if (marks == null) {
            return;
        }
        if (markColumns.length < w) {
            markColumns = new int[w];
        }
        List<LaneRow> rows = data.rows();
        for (int r = firstRow, y = yOffset; r < rows.size() && y < h; r++, y += ROW_HEIGHT) {
            if (!(rows.get(r) instanceof LaneRow.Lane lane)) {
                continue;
            }
            long thread = lane.lane().threadId();
            double top = RULER_HEIGHT + y;
            for (ChannelMarks.Kind kind : ChannelMarks.Kind.values()) {
                int n = marks.columns(thread, kind, view, w, markColumns);
                if (n == 0) {
                    continue;
                }
                boolean send = kind == ChannelMarks.Kind.SEND;
                gc.setFill(send ? SEND_MARK : RECEIVE_MARK);
                double ty = send ? top + 1 : top + ROW_HEIGHT - 8;
                for (int i = 0; i < n; i++) {
                    double x = LABEL_WIDTH + markColumns[i];
                    // a small triangle: pointing down (into the lane) for a send, up (out of it) for a receive
                    gc.fillPolygon(new double[] {x - 3, x + 3, x}, send ? new double[] {ty, ty, ty + 6}
                            : new double[] {ty + 7, ty + 7, ty + 1}, 3);
                }
            }
        }
    }

    /** The pixel columns of the lane's channel marks in the current view (what is drawn), for tests. */
    public int[] markColumns(long threadId, ChannelMarks.Kind kind) {
        int w = (int) lanesWidth();
        int[] out = new int[Math.max(1, w)];
        int n = marks == null ? 0 : marks.columns(threadId, kind, view, w, out);
        return java.util.Arrays.copyOf(out, n);
    }

    private void drawArrow(GraphicsContext gc, Causality.Link link, int w, int firstRow, int yOffset) {
        double yFrom = rowY(link.fromThread(), firstRow, yOffset);
        double yTo = rowY(link.toThread(), firstRow, yOffset);
        if (Double.isNaN(yFrom) || Double.isNaN(yTo)) {
            return;
        }
        double x1 = LABEL_WIDTH + view.xOf(link.fromTime(), w);
        double x2 = LABEL_WIDTH + view.xOf(link.toTime(), w);
        double y1 = yFrom + ROW_HEIGHT / 2.0;
        double y2 = yTo + ROW_HEIGHT / 2.0;
        Color color = link.kind() == Causality.Kind.WOKE ? Color.web("#0b7a3e") : Color.web("#b91c1c");
        gc.setStroke(color);
        gc.setFill(color);
        gc.setLineWidth(2);
        gc.strokeLine(x1, y1, x2, y2);
        double angle = Math.atan2(y2 - y1, x2 - x1);
        double len = 9;
        gc.fillPolygon(new double[] {x2, x2 - len * Math.cos(angle - 0.4), x2 - len * Math.cos(angle + 0.4)},
                new double[] {y2, y2 - len * Math.sin(angle - 0.4), y2 - len * Math.sin(angle + 0.4)}, 3);
        gc.fillOval(x1 - 3, y1 - 3, 6, 6);
        // the label on a white tag beside the arrow's middle, readable over any lane colour
        gc.setFont(RULER_FONT);
        javafx.scene.text.Text measure = new javafx.scene.text.Text(link.label());
        measure.setFont(RULER_FONT);
        double tw = measure.getLayoutBounds().getWidth();
        double lx = Math.max(LABEL_WIDTH + 4, Math.min((x1 + x2) / 2 + 8, LABEL_WIDTH + w - tw - 8)); // on screen
        double ly = (y1 + y2) / 2 - 8;
        gc.setFill(Color.color(1, 1, 1, 0.92));
        gc.fillRoundRect(lx - 3, ly - 8, tw + 6, 16, 6, 6);
        gc.setStroke(color);
        gc.setLineWidth(1);
        gc.strokeRoundRect(lx - 3, ly - 8, tw + 6, 16, 6, 6);
        gc.setFill(color);
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.fillText(link.label(), lx, ly);
    }

    /** The top of the thread's row in lane coordinates plus the ruler, or NaN when not on screen. */
    private double rowY(long threadId, int firstRow, int yOffset) {
        int row = data.rowOf(threadId);
        if (row < firstRow) {
            return Double.NaN;
        }
        double y = RULER_HEIGHT + yOffset + (row - firstRow) * (double) ROW_HEIGHT;
        return y > canvas.getHeight() ? Double.NaN : y;
    }

    // ---- hit testing

    /** The row under canvas y, or null. */
    private LaneRow rowAt(double y) {
        if (data == null || y < RULER_HEIGHT) {
            return null;
        }
        int row = (int) ((y - RULER_HEIGHT + vscroll.getValue()) / ROW_HEIGHT);
        return row >= 0 && row < data.rows().size() ? data.rows().get(row) : null;
    }

    private double timeAtX(double x) {
        return view.timeAt(x - LABEL_WIDTH, lanesWidth());
    }

    private StateInterval intervalAt(double x, double y) {
        if (x < LABEL_WIDTH || !(rowAt(y) instanceof LaneRow.Lane lane)) {
            return null;
        }
        long t = (long) timeAtX(x);
        return model.stateAt(lane.lane().threadId(), t).orElse(null);
    }

    // ---- input

    private void onScroll(ScrollEvent e) {
        if (data == null) {
            return;
        }
        if (e.isControlDown() || e.isShortcutDown()) {
            double anchor = Math.max(0, Math.min(1, (e.getX() - LABEL_WIDTH) / lanesWidth()));
            view.zoom(e.getDeltaY() > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, anchor);
        } else if (e.isShiftDown() && e.getDeltaX() == 0) {
            view.pan(-Math.signum(e.getDeltaY()) * 0.1);
        } else {
            vscroll.setValue(Math.max(0, Math.min(vscroll.getMax(), vscroll.getValue() - e.getDeltaY())));
        }
        requestRedraw();
        e.consume();
    }

    private void onPressed(MouseEvent e) {
        canvas.requestFocus();
        contextMenu.hide();
        if (data == null) {
            return;
        }
        pressX = e.getX();
        pressY = e.getY();
        pressStart = view.start();
        dragged = false;
        rulerDrag = e.getY() < RULER_HEIGHT && e.getX() >= LABEL_WIDTH;
        // pressing on the cursor's handle drags the cursor (scrubbing) instead of selecting a range
        double c = cursorTime.get();
        scrubbing = rulerDrag && c >= 0 && Math.abs(LABEL_WIDTH + view.xOf(c, lanesWidth()) - e.getX()) <= 7;
        if (e.getButton() == MouseButton.PRIMARY && !rulerDrag && e.getX() >= LABEL_WIDTH) {
            view.remember();
        }
    }

    private void onDragged(MouseEvent e) {
        if (data == null || e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        if (Math.abs(e.getX() - pressX) > 3 || Math.abs(e.getY() - pressY) > 3) {
            dragged = true;
        }
        if (scrubbing) {
            cursorTime.set(Math.max(0, timeAtX(Math.max(LABEL_WIDTH, Math.min(e.getX(), LABEL_WIDTH
                    + lanesWidth())))));
        } else if (rulerDrag) {
            rulerDragX = Math.max(LABEL_WIDTH, Math.min(e.getX(), LABEL_WIDTH + lanesWidth()));
        } else if (pressX >= LABEL_WIDTH) {
            view.panTo(pressStart - (e.getX() - pressX) * view.span() / lanesWidth());
        }
        requestRedraw();
    }

    private void onReleased(MouseEvent e) {
        if (data == null) {
            return;
        }
        if (scrubbing) {
            scrubbing = false;
            rulerDrag = false;
            return;
        }
        if (rulerDrag && e.getButton() == MouseButton.PRIMARY) {
            if (dragged && Math.abs(rulerDragX - pressX) > 3) {
                double a = timeAtX(Math.min(pressX, rulerDragX));
                double b = timeAtX(Math.max(pressX, rulerDragX));
                view.show(a, b);
            } else {
                cursorTime.set(Math.max(0, timeAtX(e.getX())));
            }
            rulerDragX = -1;
            rulerDrag = false;
            requestRedraw();
            return;
        }
        if (dragged) {
            return;
        }
        LaneRow row = rowAt(e.getY());
        if (row instanceof LaneRow.Header header && e.getButton() == MouseButton.PRIMARY) {
            data.setExpanded(header.group(), !header.expanded());
            updateScrollBar();
            requestRedraw();
            return;
        }
        StateInterval s = intervalAt(e.getX(), e.getY());
        if (e.getButton() == MouseButton.PRIMARY) {
            selected.set(s);
        } else if (e.getButton() == MouseButton.SECONDARY) {
            if (s != null) {
                selected.set(s);
            }
            showContextMenu(e);
        }
    }

    private void showContextMenu(MouseEvent e) {
        double t = Math.max(0, timeAtX(e.getX()));
        StateInterval s = selected.get();
        MenuItem waker = new MenuItem("Go to the thread that unblocked this");
        waker.setId("go-to-waker");
        waker.setDisable(s == null || Causality.waker(model, s) == null);
        waker.setOnAction(a -> goToWaker());
        MenuItem cursor = new MenuItem("Set the time cursor here");
        cursor.setOnAction(a -> cursorTime.set(t));
        MenuItem zoomTo = new MenuItem("Zoom to this interval");
        zoomTo.setDisable(s == null);
        zoomTo.setOnAction(a -> {
            double pad = (s.end() - s.start()) * 0.1;
            show(s.start() - pad, s.end() + pad);
        });
        contextMenu.getItems().setAll(waker, cursor, zoomTo);
        contextMenu.show(canvas, e.getScreenX(), e.getScreenY());
    }

    private void onMoved(MouseEvent e) {
        if (data == null) {
            tooltip.setText("");
            return;
        }
        StateInterval s = intervalAt(e.getX(), e.getY());
        if (s == null) {
            LaneRow row = rowAt(e.getY());
            tooltip.setText(row instanceof LaneRow.Lane l ? l.lane().name()
                    : row instanceof LaneRow.Header h ? h.group().name() + ": click to "
                    + (h.expanded() ? "collapse" : "expand") : "Drag to zoom, click to set the time cursor");
            return;
        }
        tooltip.setText(describe(s));
    }

    /** "worker-1: BLOCKED on monitor Foo@1a2b (#3), 1.2 ms, at Foo.bar(Foo.java:12)". */
    public String describe(StateInterval s) {
        StringBuilder sb = new StringBuilder(model.threadName(s.threadId())).append('\n')
                .append(StateCategory.of(s.state(), s.reason()).label());
        String waitText = Causality.waitText(model, s);
        if (waitText != null) {
            sb.append(" (").append(waitText).append(')');
        } else if (s.resource() != 0) {
            sb.append(s.reason().resourceIsThread() ? " for thread " + model.threadName(s.resource())
                    : " on " + model.resource(s.resource()).label());
        }
        sb.append('\n').append(TimeAxis.duration(s.end() - s.start())).append(s.open() ? " (until the end)" : "")
                .append(", from ").append(TimeAxis.duration(s.start()));
        if (s.site() != null) {
            sb.append("\nat ").append(dev.tangle.detect.Evidence.format(s.site()));
        }
        return sb.toString();
    }

    private void onKey(KeyEvent e) {
        if (data == null) {
            return;
        }
        KeyCode k = e.getCode();
        boolean handled = true;
        if (k == KeyCode.W || k == KeyCode.PLUS || k == KeyCode.EQUALS) {
            zoom(ZOOM_STEP);
        } else if (k == KeyCode.S || k == KeyCode.MINUS) {
            zoom(1 / ZOOM_STEP);
        } else if (k == KeyCode.A || k == KeyCode.LEFT) {
            pan(-0.2);
        } else if (k == KeyCode.D || k == KeyCode.RIGHT) {
            pan(0.2);
        } else if (k == KeyCode.F || k == KeyCode.HOME) {
            fitAll();
        } else if ((k == KeyCode.Z && e.isShortcutDown()) || k == KeyCode.BACK_SPACE) {
            undo();
        } else {
            handled = false;
        }
        if (handled) {
            e.consume();
        }
    }

    /**
     * The lane colour (ARGB) drawn for the thread at {@code time}, read back from the last redraw's pixels (the
     * lower part of the lane, below the marks of short states); 0 when the lane or time is not on screen.
     */
    public int drawnColourAt(long threadId, double time) {
        if (data == null) {
            return 0;
        }
        int row = data.rowOf(threadId);
        int x = (int) view.xOf(time, raster.width());
        int y = (int) (row * (double) ROW_HEIGHT - vscroll.getValue()) + ROW_HEIGHT * 3 / 5;
        if (row < 0 || x < 0 || x >= raster.width() || y < 0 || y >= raster.height()) {
            return 0;
        }
        return raster.pixels()[y * raster.width() + x];
    }

    /** The screen point of the thread's lane at {@code time} (for tests that click it), or null when hidden. */
    public javafx.geometry.Point2D screenPointOf(long threadId, double time) {
        int row = data == null ? -1 : data.rowOf(threadId);
        if (row < 0) {
            return null;
        }
        double x = LABEL_WIDTH + view.xOf(time, lanesWidth());
        double y = RULER_HEIGHT + row * (double) ROW_HEIGHT - vscroll.getValue() + ROW_HEIGHT / 2.0;
        return canvas.localToScreen(x, y);
    }

    /** The screen point of the ruler above {@code time}. */
    public javafx.geometry.Point2D rulerPointOf(double time) {
        return canvas.localToScreen(LABEL_WIDTH + view.xOf(time, lanesWidth()), RULER_HEIGHT / 2);
    }

    /** For tests and the PNG export: the canvas. */
    public Canvas canvas() {
        return canvas;
    }
}
