package dev.tangle.guibench;

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
 * A trace for the viewer's benchmark: {@link #THREADS} threads named like pool threads, each taking its own
 * monitor thousands of times (short runs and holds), and every 16th step a pair of threads contends for a shared
 * monitor (one sleeps holding it, the other is BLOCKED for a short while, then parks): short important states
 * inside long busy lanes, the case the level of detail must not hide.
 */
public final class TimelineTrace {
    public static final int THREADS = 256;
    private static final int STEP_NS = 2_000;
    private static final int ROUND = 256;
    private static final int CHUNK = 8192;

    private TimelineTrace() {
    }

    /** Writes about {@code total} events; returns how many it wrote. */
    public static long write(Path file, long total) throws IOException {
        int[] own = new int[THREADS];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            TraceWriter w = new TraceWriter(out);
            w.writeHeader(new TraceHeader(TraceFormat.VERSION, "TimelineTrace", "17", 1, "bench", 0, 0, Map.of()));
            String[] strings = new String[4 + THREADS];
            strings[0] = "dev.example.Pool";
            strings[1] = "run";
            strings[2] = "Pool.java";
            strings[3] = "java.lang.Object";
            for (int t = 0; t < THREADS; t++) {
                strings[4 + t] = "pool-1-thread-" + (t + 1);
            }
            w.writeStrings(1, strings, strings.length);
            w.writeFrames(1, new int[] {1, 1}, new int[] {2, 2}, new int[] {3, 3}, new int[] {10, 20}, 2);
            int objects = THREADS + THREADS / 2;
            long[] ids = new long[objects];
            int[] classes = new int[objects];
            int[] hashes = new int[objects];
            for (int i = 0; i < objects; i++) {
                ids[i] = i + 1;
                classes[i] = 4;
                hashes[i] = 0x2000 + i;
            }
            w.writeObjects(ids, classes, hashes, new long[objects], objects);
            long perThread = total / THREADS;
            long[] done = new long[THREADS];
            long written = 0;
            for (int t = 0; t < THREADS; t++) {
                w.beginEvents(t + 1, 0);
                w.event(EventKind.THREAD_BEGIN.code(), 0, 0, 0, 0, 0, 0, 5 + t);
                w.endEvents();
                done[t]++;
                written++;
            }
            long step = 0;
            boolean more = true;
            while (more) {
                more = false;
                for (int t = 0; t < THREADS; t++) {
                    if (done[t] >= perThread) {
                        continue;
                    }
                    more = true;
                    w.beginEvents(t + 1, step * STEP_NS);
                    int n = 0;
                    for (long s = step; s < step + ROUND && done[t] + n < perThread - 9 && n < CHUNK - 9; s++) {
                        n += writeStep(w, t, s, own);
                    }
                    if (done[t] + n >= perThread - 9) {
                        w.event(EventKind.THREAD_END.code(), (step + ROUND) * STEP_NS, 0, 0, 0, 0, 0, 0);
                        n++;
                        done[t] = perThread;
                    } else {
                        done[t] += n;
                    }
                    written += n;
                    w.endEvents();
                }
                step += ROUND;
            }
            w.writeEnd((step + 1) * STEP_NS, written, 0);
            w.flush();
            return written;
        }
    }

    private static int writeStep(TraceWriter w, int t, long s, int[] own) throws IOException {
        long base = s * STEP_NS;
        long mine = t + 1;
        long shared = THREADS + t / 2 + 1;
        int n = 0;
        if (s % 16 == 0) {
            if (t % 2 == 0) { // holds the shared monitor and sleeps in it
                n += lock(w, EventKind.MONITOR_REQUEST, EventKind.MONITOR_ACQUIRED, base, shared);
                w.event(EventKind.SLEEP_BEGIN.code(), base + 2, 0, 2, 0, 0, 0, 0);
                w.event(EventKind.SLEEP_END.code(), base + 900, 0, 2, 0, 0, 0, 0);
                w.event(EventKind.MONITOR_RELEASE.code(), base + 1000, shared, 2, 0, 0, 1, 0);
                return n + 3;
            }
            // asks for it while the partner holds it: BLOCKED, then parks a little
            w.event(EventKind.MONITOR_REQUEST.code(), base + 100, shared, 2, 0, 0, 0, 0);
            w.event(EventKind.MONITOR_ACQUIRED.code(), base + 1001, shared, 2, 0, 0, 1, 0);
            w.event(EventKind.MONITOR_RELEASE.code(), base + 1100, shared, 2, 0, 0, 1, 0);
            w.event(EventKind.PARK_BEGIN.code(), base + 1200, 0, 2, 0, 0, 0, 0);
            w.event(EventKind.PARK_END.code(), base + 1900, 0, 2, 0, 0, 0, 0);
            return 5;
        }
        long at = base + (t * 37L + s * 11) % 700;
        n += lock(w, EventKind.MONITOR_REQUEST, EventKind.MONITOR_ACQUIRED, at, mine);
        w.event(EventKind.MONITOR_RELEASE.code(), at + 300 + own[t]++ % 500, mine, 1, 0, 0, 1, 0);
        return n + 1;
    }

    private static int lock(TraceWriter w, EventKind request, EventKind acquired, long time, long obj)
            throws IOException {
        w.event(request.code(), time, obj, 1, 0, 0, 0, 0);
        w.event(acquired.code(), time + 1, obj, 1, 0, 0, 1, 0);
        return 2;
    }
}
