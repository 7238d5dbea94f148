package dev.tangle.agent.bootstrap;

import dev.tangle.trace.TraceHeader;
import dev.tangle.trace.TraceWriter;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The background writer: every few milliseconds (or when a thread's buffer is half full) it drains every thread's
 * ring into event chunks, after writing the definitions those events refer to. A second agent thread ticks the
 * coarse clock. If the file cannot be written, recording stops with one message on stderr; the program goes on.
 */
final class TraceFileSink {
    private static final int EVENTS_PER_CHUNK = 8192;
    private static volatile Thread writerThread;

    private final AgentConfig config;
    private final OutputStream out;
    private final TraceWriter writer;
    /** The live stream, or null. */
    private final LiveSender live;
    private volatile boolean closing;
    private boolean failed;
    private long totalEvents;
    private Thread ticker;
    /** The stall watcher, or null when {@code stallMillis=0}. */
    private StallWatcher watcher;
    /** Observations of the stall watcher not written yet (guarded by this sink's monitor). */
    private ArrayList<Observation> observations = new ArrayList<Observation>();

    /**
     * What the stall watcher saw of one thread: its events (kind, flags, text, object, site, stack, value per
     * event), to be written at {@code time} in the thread's stream right after its event number
     * {@code published - 1}.
     */
    static final class Observation {
        final long threadId;
        final long published;
        final long time;
        final long[] events;

        Observation(long threadId, long published, long time, long[] events) {
            this.threadId = threadId;
            this.published = published;
            this.time = time;
            this.events = events;
        }
    }

    private TraceFileSink(AgentConfig config, OutputStream out, LiveSender live) {
        this.config = config;
        this.out = out;
        this.live = live;
        this.writer = new TraceWriter(live == null ? out : new LiveSender.Tee(out, live));
    }

    static TraceFileSink open(AgentConfig config, TraceHeader header) {
        try {
            OutputStream out = new BufferedOutputStream(new FileOutputStream(config.out), 1 << 16);
            TraceFileSink sink = new TraceFileSink(config, out, config.isLive() ? LiveSender.create(config) : null);
            sink.writer.writeHeader(header);
            sink.writer.flush();
            return sink;
        } catch (IOException | RuntimeException e) {
            Recorder.warnOnce("cannot write trace " + config.out + ": " + e.getMessage() + "; not recording");
            return null;
        }
    }

    /** Writes the attach-time snapshot (see {@link Snapshot}); before {@link #startThreads}. */
    void writeSnapshot(java.util.function.Predicate<String> isApplicationClass) {
        try {
            synchronized (this) {
                totalEvents += Snapshot.write(writer, isApplicationClass);
                writer.flush();
            }
        } catch (IOException | RuntimeException e) {
            Recorder.warnOnce("cannot write the attach-time snapshot: " + e + "; threads, holds and waits from"
                    + " before the attach are missing from the trace");
        }
    }

    void startThreads() {
        final TraceFileSink self = this;
        Thread w = new AgentThread(new Runnable() {
            @Override
            public void run() {
                self.writeLoop();
            }
        }, "tangle-writer");
        writerThread = w;
        w.start();
        ticker = new AgentThread(new Runnable() {
            @Override
            public void run() {
                self.tickLoop();
            }
        }, "tangle-clock");
        ticker.start();
        if (live != null) {
            live.start();
        }
        if (config.stallMillis > 0) {
            watcher = new StallWatcher(this, Recorder.applicationClasses());
            watcher.start(config.stallMillis);
        }
    }

    /** Queues the stall watcher's observations for the next drain. */
    synchronized void observed(ArrayList<Observation> seen) {
        observations.addAll(seen);
    }

    /** Asks the writer to drain now (a thread's buffer is filling up or a thread ended). */
    static void wake() {
        Thread w = writerThread;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private void tickLoop() {
        long tick = config.tickMicros * 1000L;
        while (!closing) {
            Clock.tick();
            LockSupport.parkNanos(tick);
        }
    }

    private void writeLoop() {
        long period = config.flushMillis * 1_000_000L;
        while (!closing) {
            LockSupport.parkNanos(period);
            if (closing) {
                break;
            }
            if (config.drainDelayMillis > 0) {
                LockSupport.parkNanos(config.drainDelayMillis * 1_000_000L);
            }
            synchronized (this) {
                drain();
            }
        }
    }

    /** Drains now, on the caller's thread; returns the bytes written so far (-1 once writing failed). */
    synchronized long flushNow() {
        drain();
        return failed ? -1 : writer.bytesWritten();
    }

    /** Writes pending definitions and every published event. Holds this sink's monitor. */
    private void drain() {
        if (failed) {
            return;
        }
        try {
            long began = Clock.precise();
            ThreadRecorder[] rs = Registry.snapshot();
            long[] upTo = new long[rs.length];
            for (int i = 0; i < rs.length; i++) {
                upTo[i] = rs[i].publishedAcquire(); // before the definitions: they are complete for these events
            }
            ArrayList<Observation> seen = observations;
            observations = new ArrayList<Observation>();
            Tables.writePending(writer);
            for (int i = 0; i < rs.length; i++) {
                for (int j = 0; j < seen.size(); j++) {
                    Observation o = seen.get(j);
                    if (o.threadId == rs[i].threadId && o.published <= upTo[i]) {
                        writeEvents(rs[i], o.published); // the thread's events before it first
                        writeObservation(o);
                    }
                }
                writeEvents(rs[i], upTo[i]);
            }
            writer.flush();
            if (live != null) {
                live.drained(began);
            }
            for (int i = 0; i < rs.length; i++) {
                rs[i].endIfDead(); // a thread that died unseen: its END is written next time
            }
            Registry.removeFinished();
        } catch (IOException | RuntimeException e) {
            failed = true;
            ThreadRecorder.recording = false;
            Recorder.warnOnce("cannot write trace " + config.out + ": " + e + "; recording stopped");
        }
    }

    private void writeEvents(ThreadRecorder r, long upTo) throws IOException {
        long from = r.consumed;
        if (from >= upTo) {
            return;
        }
        long[] ring = r.ring();
        int mask = r.mask();
        int slots = ThreadRecorder.slots();
        while (from < upTo) {
            long end = Math.min(upTo, from + EVENTS_PER_CHUNK);
            int first = (int) (from & mask) * slots;
            writer.beginEvents(r.threadId, ring[first]);
            for (long p = from; p < end; p++) {
                if ((p & 1023) == 0 && p != from) {
                    r.consumed = p; // free the slots read so far: a producer with a full buffer goes on sooner
                }
                int i = (int) (p & mask) * slots;
                long w1 = ring[i + 1];
                long w3 = ring[i + 3];
                writer.event((int) (w1 >>> 56), ring[i], ring[i + 2], (int) (w3 >>> 32), (int) w3,
                        (int) ((w1 >>> 32) & 0xFFFFFF), ring[i + 4], (int) w1);
            }
            int paired = writer.pendingPairedCount();
            if (live != null) {
                live.nextEventsPaired(paired); // the GAP count, if the stream leaves this chunk out
            }
            writer.endEvents();
            totalEvents += end - from + paired; // a paired record is read as two events
            from = end;
            r.consumed = from; // frees the slots for the producer
        }
    }

    private void writeObservation(Observation o) throws IOException {
        long[] e = o.events;
        writer.beginEvents(o.threadId, o.time);
        for (int j = 0; j < e.length; j += 7) {
            writer.event((int) e[j], o.time, e[j + 3], (int) e[j + 4], (int) e[j + 5], (int) e[j + 1], e[j + 6],
                    (int) e[j + 2]);
        }
        writer.endEvents();
        totalEvents += e.length / 7;
    }


    /**
     * The leaf holds that threads still running have counted but not written yet (see
     * {@link ThreadRecorder#leavesAtClose}): one event chunk per such thread, after its last drained events.
     */
    private void writeLeavesAtClose() {
        if (failed) {
            return;
        }
        try {
            ThreadRecorder[] rs = Registry.snapshot();
            for (int i = 0; i < rs.length; i++) {
                if (rs[i].publishedAcquire() != rs[i].consumed) {
                    continue; // events published after the final drain: its kept-back holds come after those
                }
                long[][] rows = rs[i].leavesAtClose();
                if (rows.length == 0) {
                    continue;
                }
                writer.beginEvents(rs[i].threadId, rows[0][1]);
                for (long[] row : rows) {
                    writer.event((int) row[0], row[1], row[2], (int) row[3], 0, (int) row[5], row[4], 0);
                }
                writer.endEvents();
                totalEvents += rows.length;
            }
        } catch (IOException | RuntimeException e) {
            Recorder.warnOnce("cannot write the last leaf holds to " + config.out + ": " + e);
        }
    }

    /**
     * Final drain, the holds still kept back or counted, final snapshot (stall watcher on) and its drain, end
     * chunk, close. The snapshot comes after the kept-back holds: an observation lasts until the thread's next
     * own event, so a thread blocked while holding a kept-back hold is written holding it, then seen blocked.
     */
    void close() {
        StallWatcher sw = watcher;
        if (sw != null) {
            sw.stop();
        }
        closing = true;
        Thread w = writerThread;
        if (w != null) {
            LockSupport.unpark(w);
        }
        synchronized (this) {
            drain();
            writeLeavesAtClose();
            if (sw != null) {
                try {
                    sw.finalSnapshot();
                } catch (RuntimeException | Error e) {
                    Recorder.warnOnce("cannot take the final snapshot of the threads: " + e);
                }
                drain();
            }
            if (!failed) {
                try {
                    writer.writeEnd(Clock.precise(), totalEvents, Recorder.totalLost());
                    writer.flush();
                } catch (IOException e) {
                    Recorder.warnOnce("cannot finish trace " + config.out + ": " + e.getMessage());
                }
            }
            try {
                out.close();
            } catch (IOException e) {
                Recorder.warnOnce("cannot close trace " + config.out + ": " + e.getMessage());
            }
            failed = true; // nothing more is written
        }
        if (live != null) {
            live.close();
        }
        writerThread = null;
    }
}
