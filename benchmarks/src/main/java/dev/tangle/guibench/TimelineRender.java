package dev.tangle.guibench;

import dev.tangle.gui.timeline.model.LaneRow;
import dev.tangle.gui.timeline.model.TimelineData;
import dev.tangle.gui.timeline.model.TimelineRaster;
import dev.tangle.gui.timeline.model.Viewport;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The viewer's timeline off-screen, on a generated trace of {@link #EVENTS} events and 256 threads
 * ({@link TimelineTrace}): {@code open} is the time from the file to the first picture (model, lanes, one
 * 1920x1080 raster; the detectors run after the picture shows), {@code pan} and {@code zoom} one redraw of 200
 * visible lanes at 1920x1080 (the raster; the copy of its pixels into the canvas image is not included), at the
 * {@code zoom} level given as the fraction of the trace shown (1 = everything, the costliest).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class TimelineRender {
    public static final int EVENTS = 10_000_000;
    static final int WIDTH = 1920;
    static final int HEIGHT = 1080 - 28;
    static final int LANES = 200;

    @Param({"1", "0.01"})
    public double shown;

    private Path trace;
    private TraceModel model;
    private TimelineData data;
    private final Viewport view = new Viewport();
    private final TimelineRaster raster = new TimelineRaster();
    private List<LaneRow> rows;
    private int rowHeight;
    private long frame;

    @Setup(Level.Trial)
    public void writeTrace() throws IOException {
        trace = Files.createTempFile("tangle-gui-jmh", ".trace");
        long written = TimelineTrace.write(trace, EVENTS);
        if (written < EVENTS * 0.99) {
            throw new IllegalStateException("wrote " + written + " events");
        }
        model = ModelBuilder.build(trace);
        data = TimelineData.of(model, () -> false);
        data.groups().forEach(g -> data.setExpanded(g, true));
        rows = data.rows();
        rowHeight = Math.max(1, HEIGHT / LANES);
        view.reset(data.startTime(), data.endTime());
        view.fitAll();
        view.zoom(shown, 0.5);
    }

    @TearDown(Level.Trial)
    public void deleteTrace() throws IOException {
        Files.deleteIfExists(trace);
    }

    /** From the file to the first picture, once per iteration (single shot). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public int[] open() throws IOException {
        TraceModel m = ModelBuilder.build(trace);
        TimelineData d = TimelineData.of(m, () -> false);
        Viewport v = new Viewport();
        v.reset(d.startTime(), d.endTime());
        v.fitAll();
        TimelineRaster r = new TimelineRaster();
        r.render(d.rows(), 0, 0, rowHeight, v, WIDTH, HEIGHT, Set.of());
        return r.pixels();
    }

    /** One redraw after a pan of 5 % (back and forth). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public int[] pan() {
        view.panTo(view.start() + ((frame++ & 1) == 0 ? 0.05 : -0.05) * view.span());
        raster.render(rows, 0, 0, rowHeight, view, WIDTH, HEIGHT, Set.of());
        return raster.pixels();
    }

    /** One redraw after a zoom step in or out (alternating) around the middle. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public int[] zoom() {
        view.zoom((frame++ & 1) == 0 ? 0.8 : 1.25, 0.5);
        raster.render(rows, 0, 0, rowHeight, view, WIDTH, HEIGHT, Set.of());
        return raster.pixels();
    }
}
