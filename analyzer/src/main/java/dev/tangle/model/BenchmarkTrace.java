package dev.tangle.model;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceFormat;
import dev.tangle.trace.TraceHeader;
import dev.tangle.trace.TraceWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The lock-heavy trace the analyser's throughput benchmarks run on (the harness {@code ModelBenchmark} in the
 * analyzer's tests and the JMH {@code AnalysisThroughput} in the benchmarks module): 8 threads, monitors and
 * locks, a third of them nested, a read or write mode on a third, stacks on some requests, 8192 events per
 * chunk. Each thread locks its own objects, so the trace is clean (no findings).
 */
public final class BenchmarkTrace {
    private static final int THREADS = 8;
    private static final int OBJECTS_PER_THREAD = 10;
    private static final int CHUNK = 8192;

    private BenchmarkTrace() {
    }

    /** Each thread locks its own objects (so holds are consistent), sometimes one inside another. */
    public static long write(Path file, long total) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            TraceWriter w = new TraceWriter(out);
            w.writeHeader(new TraceHeader(dev.tangle.trace.TraceFormat.VERSION, "Bench", "17", 1, "bench", 0, 0,
                    Map.of()));
            String[] strings = {"dev.example.Bench", "run", "Bench.java", "java.lang.Object",
                "java.util.concurrent.locks.ReentrantReadWriteLock"};
            w.writeStrings(1, strings, strings.length);
            int frames = 400;
            int[] cls = new int[frames];
            int[] method = new int[frames];
            int[] fileIds = new int[frames];
            int[] lines = new int[frames];
            for (int i = 0; i < frames; i++) {
                cls[i] = 1;
                method[i] = 2;
                fileIds[i] = 3;
                lines[i] = i + 1;
            }
            w.writeFrames(1, cls, method, fileIds, lines, frames);
            w.writeStacks(1, new int[][] {{1, 2, 3}, {4, 5, 6}}, 2);
            int objects = THREADS * OBJECTS_PER_THREAD;
            long[] ids = new long[objects];
            int[] classIds = new int[objects];
            int[] hashes = new int[objects];
            long[] owners = new long[objects];
            for (int i = 0; i < objects; i++) {
                ids[i] = i + 1;
                classIds[i] = i % OBJECTS_PER_THREAD < 5 ? 4 : 5;
                hashes[i] = 0x1000 + i;
            }
            w.writeObjects(ids, classIds, hashes, owners, objects);
            long perThread = total / THREADS;
            long[] time = new long[THREADS];
            long[] done = new long[THREADS];
            int[] step = new int[THREADS];
            long written = 0;
            for (int t = 0; t < THREADS; t++) {
                w.beginEvents(t + 1, 0);
                w.event(EventKind.THREAD_BEGIN.code(), 0, 0, 0, 0, 0, 0, 0);
                w.endEvents();
                written++;
                done[t]++;
            }
            boolean more = true;
            while (more) {
                more = false;
                for (int t = 0; t < THREADS; t++) {
                    if (done[t] >= perThread) {
                        continue;
                    }
                    more = true;
                    w.beginEvents(t + 1, time[t]);
                    int n = 0;
                    while (n < CHUNK - 6 && done[t] < perThread - 6) {
                        int s = step[t]++;
                        long outer = t * OBJECTS_PER_THREAD + 1 + (s % 5);
                        long inner = t * OBJECTS_PER_THREAD + 6 + (s % 5);
                        int site = 1 + (s * 7) % frames;
                        int stack = s % 50 == 0 ? 1 + (s % 2) : 0;
                        time[t] += 50 + (s % 450);
                        w.event(EventKind.MONITOR_REQUEST.code(), time[t], outer, site, stack, 0, 0, 0);
                        w.event(EventKind.MONITOR_ACQUIRED.code(), ++time[t], outer, site, 0, 0, 1, 0);
                        int k = 2;
                        if (s % 3 == 0) { // nested: a read or write lock inside the monitor
                            int mode = s % 2 == 0 ? EventFlags.READ : EventFlags.WRITE;
                            w.event(EventKind.LOCK_REQUEST.code(), ++time[t], inner, site, 0, mode, 0, 0);
                            w.event(EventKind.LOCK_ACQUIRED.code(), ++time[t], inner, site, 0, mode, 1, 0);
                            w.event(EventKind.LOCK_RELEASE.code(), ++time[t], inner, site, 0, mode, 1, 0);
                            k += 3;
                        }
                        w.event(EventKind.MONITOR_RELEASE.code(), ++time[t], outer, site, 0, 0, 1, 0);
                        k++;
                        n += k;
                        done[t] += k;
                    }
                    if (done[t] >= perThread - 6) {
                        w.event(EventKind.THREAD_END.code(), ++time[t], 0, 0, 0, 0, 0, 0);
                        n++;
                        done[t] = perThread;
                    }
                    w.endEvents();
                    written += n;
                }
            }
            long end = 0;
            for (long t : time) {
                end = Math.max(end, t);
            }
            w.writeEnd(end + 1, written, 0);
            w.flush();
            return written;
        }
    }
}
