package dev.tangle.live;

import dev.tangle.detect.Detector;
import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.ResourceRef;
import dev.tangle.detect.Severity;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.TraceReader;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Findings while a program runs: a {@link LiveCollector} receives the agent's stream, and an analysis thread
 * re-runs the detectors on what has arrived so far, at most every {@link #PERIOD_MILLIS} ms (less often when
 * a run takes more than a fifth of the time between runs: each one re-reads the stream from its start) and only
 * when whole drains arrived since the last run. Each new finding is reported once (findings are the same when
 * their type, threads and resources are).
 *
 * <p>Use: {@link #start}, put {@link #agentOptions()} into the agent's options, let the program run (the listener
 * hears of findings as they are detected), then {@link #finish(TraceModel)} with the complete trace (the agent's
 * file) to report what can only be told at the end, and {@link #close()}.
 *
 * <p>While running, only {@link #LIVE_TYPES} are looked for: a deadlock or a lock-order inversion in a prefix of
 * the trace is one in the whole trace. Leaks, communication deadlocks, livelocks and starvation are judged on how
 * the trace ends or on whole waits, so they come from {@link #finish}. A finding is reported while running only
 * when two successive analyses (over different drains) both find it: the agent snapshots its threads' buffers
 * one after the other, so one drain can show a thread's request without the later acquisition that another
 * thread's events already depend on; the next drain has it. Notes ({@link Severity#NOTE}: an inversion this run
 * kept apart) are not urgent: they are left to {@link #finish}, after the rest. After a gap in the stream (the collector fell
 * behind) live analysis stops: the stream lacks events, and the complete file decides at the end.
 */
public final class LiveSession implements Closeable {
    /** The finding types looked for while the program runs. */
    public static final Set<FindingType> LIVE_TYPES = EnumSet.of(FindingType.DEADLOCK,
            FindingType.POTENTIAL_DEADLOCK);
    /** The shortest time between two analyses; longer when an analysis takes more than a fifth of it. */
    static final long PERIOD_MILLIS = 500;

    /** What a session tells its user; called from the session's thread (live) or the caller's ({@link #finish}). */
    public interface Listener {
        /** A new finding: while running ({@code atEnd} false) or in the complete trace ({@code atEnd} true). */
        void finding(Finding finding, boolean atEnd);

        /** A one-line message about the stream (a refused connection, a gap, a lost stream). */
        void message(String line);

        /**
         * The model of the stream so far, after each live analysis (and after its new findings were told): what a
         * viewer shows as the trace grows. The model is the listener's to keep.
         */
        default void analysed(TraceModel prefix) {
        }
    }

    private final LiveCollector collector;
    private final Listener listener;
    private final List<Detector> detectors;
    private final Thread analysis;
    private final Set<String> reported = new HashSet<>(); // guarded by this
    private volatile boolean stopping;

    private LiveSession(Path streamFile, Listener listener) throws IOException {
        this.listener = listener;
        this.collector = LiveCollector.start(streamFile, listener::message);
        this.detectors = Detectors.all().stream().filter(d -> LIVE_TYPES.contains(d.type())).toList();
        this.analysis = new Thread(this::analyseWhileRunning, "tangle-live-analysis");
        this.analysis.setDaemon(true);
        this.analysis.start();
    }

    /** Starts a collector writing the stream to {@code streamFile} and the analysis of what it receives. */
    public static LiveSession start(Path streamFile, Listener listener) throws IOException {
        return new LiveSession(streamFile, listener);
    }

    /** Options to append to the agent's (after a comma): {@code live=127.0.0.1:PORT,token=...}. */
    public String agentOptions() {
        return collector.agentOptions();
    }

    public LiveCollector collector() {
        return collector;
    }

    /** True when {@code f} (or the same finding from another analysis) was already reported. */
    public synchronized boolean wasReported(Finding f) {
        return reported.contains(key(f));
    }

    /**
     * Ends the session with the complete trace: waits a little for the stream's end, stops the live analysis,
     * then runs every detector on {@code complete} and reports each finding not reported yet. Returns them all.
     */
    public List<Finding> finish(TraceModel complete) throws InterruptedException {
        if (collector.progress().connected()) {
            collector.awaitEnd(5000); // the agent closes the stream when its JVM exits or it stops recording
        }
        stopping = true;
        analysis.interrupt();
        analysis.join(10_000);
        List<Finding> all = Detectors.analyze(complete);
        for (Finding f : all) {
            if (markReported(f)) {
                listener.finding(f, true);
            }
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        stopping = true;
        analysis.interrupt();
        collector.close();
    }

    private void analyseWhileRunning() {
        LiveCollector.Progress seen = collector.progress();
        long analysedCut = 0;
        long analysedFlushes = 0;
        long nextRun = 0;
        long period = PERIOD_MILLIS;
        Set<String> candidates = Set.of();
        try {
            while (!stopping) {
                LiveCollector.Progress p = collector.awaitChange(seen, PERIOD_MILLIS);
                seen = p;
                if (p.gapEvents() > 0) {
                    listener.message("the live stream skipped " + p.gapEvents() + " events (this side fell"
                            + " behind): no more findings while running; the complete trace is analysed at the end");
                    return;
                }
                if (p.ended()) {
                    return; // the rest is finish()'s, on the complete trace
                }
                boolean confirming = !candidates.isEmpty() && p.flushes() > analysedFlushes;
                boolean due = p.cutOffset() > analysedCut && System.currentTimeMillis() >= nextRun;
                if (!due && !confirming) {
                    continue;
                }
                long began = System.currentTimeMillis();
                TraceModel prefix = modelOfPrefix(p.cutOffset());
                List<Finding> found = new ArrayList<>();
                for (Detector d : detectors) {
                    d.detect(prefix, found::add);
                }
                // each run re-reads the stream from its start: keep it to at most a fifth of a core
                period = Math.max(PERIOD_MILLIS, 4 * (System.currentTimeMillis() - began));
                nextRun = System.currentTimeMillis() + period;
                analysedCut = p.cutOffset();
                analysedFlushes = p.flushes();
                Set<String> next = new HashSet<>();
                for (Finding f : found) {
                    if (f.severity() == Severity.NOTE) {
                        continue; // not urgent: finish() reports it after the rest
                    }
                    String k = key(f);
                    if (candidates.contains(k)) {
                        if (markReported(f)) {
                            listener.finding(f, false);
                        }
                    } else if (!isReported(k)) {
                        next.add(k);
                    }
                }
                candidates = next;
                listener.analysed(prefix);
            }
        } catch (InterruptedException e) {
            // finish() or close(): stop
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                listener.message("live analysis stopped: " + e.getMessage()
                        + "; the complete trace is analysed at the end");
            }
        }
    }

    /** The model of the stream file's first {@code length} bytes (whole drains). */
    private TraceModel modelOfPrefix(long length) throws IOException {
        Path file = collector.file();
        try (TraceReader reader = TraceReader.of(new Prefix(Files.newInputStream(file), length), file.toString())) {
            return ModelBuilder.build(reader, file.toString());
        }
    }

    private synchronized boolean markReported(Finding f) {
        return reported.add(key(f));
    }

    private synchronized boolean isReported(String key) {
        return reported.contains(key);
    }

    /** What makes two findings the same across analyses: type, threads and resources (not times or stacks). */
    static String key(Finding f) {
        Set<Long> resources = new TreeSet<>();
        for (ResourceRef r : f.resources()) {
            resources.add(r.id());
        }
        return f.type() + " " + new TreeSet<>(f.threads()) + " " + resources;
    }

    /** The first {@code limit} bytes of a stream. */
    private static final class Prefix extends InputStream {
        private final InputStream in;
        private long left;

        Prefix(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
