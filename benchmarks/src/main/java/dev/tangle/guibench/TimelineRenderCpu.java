package dev.tangle.guibench;

import dev.tangle.gui.timeline.model.LaneRow;
import dev.tangle.gui.timeline.model.TimelineData;
import dev.tangle.gui.timeline.model.TimelineRaster;
import dev.tangle.gui.timeline.model.Viewport;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The figures of {@link TimelineRender} as wall time and as this thread's CPU time, for a machine shared with other
 * work (where wall time mostly measures waiting for a core): {@code java -cp benchmarks/target/benchmarks.jar
 * dev.tangle.guibench.TimelineRenderCpu [EVENTS]}.
 */
public final class TimelineRenderCpu {
    private TimelineRenderCpu() {
    }

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : TimelineRender.EVENTS;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path trace = Files.createTempFile("tangle-gui-cpu", ".trace");
        try {
            long written = TimelineTrace.write(trace, events);
            int rowHeight = TimelineRender.HEIGHT / TimelineRender.LANES;
            for (int round = 0; round < 3; round++) {
                long wall = System.nanoTime();
                long cpu = mx.getCurrentThreadCpuTime();
                TraceModel model = ModelBuilder.build(trace);
                long modelCpu = mx.getCurrentThreadCpuTime() - cpu;
                TimelineData data = TimelineData.of(model, () -> false);
                Viewport view = new Viewport();
                view.reset(data.startTime(), data.endTime());
                view.fitAll();
                TimelineRaster raster = new TimelineRaster();
                data.groups().forEach(g -> data.setExpanded(g, true));
                List<LaneRow> rows = data.rows();
                raster.render(rows, 0, 0, rowHeight, view, TimelineRender.WIDTH, TimelineRender.HEIGHT, Set.of());
                System.out.printf(Locale.ROOT, "open %,d events, %d threads to first picture: %.0f ms wall,"
                        + " %.0f ms CPU of the loading thread (model %.0f ms, lanes and picture %.0f ms)%n", written,
                        model.threads().size(), (System.nanoTime() - wall) / 1e6,
                        (mx.getCurrentThreadCpuTime() - cpu) / 1e6, modelCpu / 1e6,
                        (mx.getCurrentThreadCpuTime() - cpu - modelCpu) / 1e6);
                if (round < 2) {
                    continue;
                }
                for (double shown : new double[] {1, 0.1, 0.001}) {
                    view.fitAll();
                    view.zoom(shown, 0.5);
                    for (String op : new String[] {"pan", "zoom"}) {
                        int frames = 200;
                        double maxCpu = 0;
                        long wall0 = System.nanoTime();
                        long cpu0 = mx.getCurrentThreadCpuTime();
                        for (int f = 0; f < frames; f++) {
                            long c = mx.getCurrentThreadCpuTime();
                            if (op.equals("pan")) {
                                view.panTo(view.start() + ((f & 1) == 0 ? 0.05 : -0.05) * view.span());
                            } else {
                                view.zoom((f & 1) == 0 ? 0.8 : 1.25, 0.5);
                            }
                            raster.render(rows, 0, 0, rowHeight, view, TimelineRender.WIDTH, TimelineRender.HEIGHT,
                                    Set.of());
                            maxCpu = Math.max(maxCpu, (mx.getCurrentThreadCpuTime() - c) / 1e6);
                        }
                        System.out.printf(Locale.ROOT, "%s, %s of the trace shown, %d lanes of %d px at %dx%d:"
                                        + " %.2f ms wall, %.2f ms CPU per redraw (CPU max %.2f ms)%n", op,
                                shown, TimelineRender.LANES, rowHeight, TimelineRender.WIDTH,
                                TimelineRender.HEIGHT + 28, (System.nanoTime() - wall0) / 1e6 / frames,
                                (mx.getCurrentThreadCpuTime() - cpu0) / 1e6 / frames, maxCpu);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(trace);
        }
    }
}
