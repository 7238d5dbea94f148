import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads traces written during a benchmark run and says whether each is valid: every chunk readable (the reader
 * checks magic, checksums and contents), closed normally, per-thread times non-decreasing. Prints the events
 * read, the events of the benchmark's own lock sites by kind, LOST_EVENTS markers and the lost total.
 *
 * <p>Run from the repository root, without building anything but the agent:
 * {@code java -cp agent/target/classes benchmarks/src/check/TraceCheck.java FILE...}. Exit status 1 if a trace
 * is invalid.
 */
public class TraceCheck {
    public static void main(String[] args) throws Exception {
        boolean allOk = true;
        for (String a : args) {
            allOk &= check(Path.of(a));
        }
        System.exit(allOk ? 0 : 1);
    }

    static boolean check(Path file) {
        long read = 0;
        long lostMarkers = 0;
        long lostInMarkers = 0;
        long backwards = 0;
        long benchAcquired = 0;
        long benchReleased = 0;
        Map<EventKind, Long> benchKinds = new EnumMap<>(EventKind.class);
        Map<Long, Long> lastTime = new HashMap<>();
        try (TraceReader r = TraceReader.open(file)) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                read++;
                Long last = lastTime.put(e.threadId(), e.time());
                if (last != null && e.time() < last) {
                    backwards++;
                }
                if (e.kind() == EventKind.LOST_EVENTS) {
                    lostMarkers++;
                    lostInMarkers += e.value();
                }
                if (e.site() != null && e.site().className().startsWith("dev.tangle.bench.")) {
                    benchKinds.merge(e.kind(), 1L, Long::sum);
                    String k = e.kind().name();
                    if (k.endsWith("_ACQUIRED")) {
                        benchAcquired++;
                    } else if (k.endsWith("_RELEASE")) {
                        benchReleased++;
                    }
                }
            }
            boolean ok = r.isComplete() && r.truncatedBytes() == 0 && backwards == 0 && read > 0;
            System.out.printf("%s: %s, %,d events read, %d threads, LOST_EVENTS markers %,d (sum %,d), "
                            + "end-chunk lost total %,d, time going backwards %d%n",
                    file.getFileName(), ok ? "VALID" : "INVALID", read, r.threadNames().size(), lostMarkers,
                    lostInMarkers, r.lostEvents(), backwards);
            System.out.printf("  benchmark sites: %s (acquired %,d, released %,d); recorded share %.1f%%%n",
                    benchKinds, benchAcquired, benchReleased,
                    100.0 * read / Math.max(1, read + r.lostEvents()));
            for (String w : r.warnings()) {
                System.out.println("  reader: " + w);
            }
            return ok;
        } catch (Exception ex) {
            System.out.printf("%s: INVALID after %,d events: %s%n", file.getFileName(), read, ex);
            return false;
        }
    }
}
