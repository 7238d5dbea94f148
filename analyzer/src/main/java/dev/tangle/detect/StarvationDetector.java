package dev.tangle.detect;

import dev.tangle.model.Hold;
import dev.tangle.model.LockWait;
import dev.tangle.model.Resource;
import dev.tangle.model.ResourceKind;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link FindingType#STARVATION}: a thread that waited a long time for a monitor or lock while other threads
 * acquired it again and again (overtook it): an unfair lock handed round the others. For each contended wait,
 * the acquisitions by others that began during it are counted (a binary search in the resource's holds, so
 * O(W log H)); one finding per thread and resource, for its worst wait, with every thread's share of the
 * resource during that wait.
 *
 * <p>Thresholds: a wait of at least {@link #MIN_WAIT_NANOS} overtaken at least {@link #MIN_OVERTAKES} times.
 * Short waits under heavy contention are normal for unfair locks and are not reported.
 */
public final class StarvationDetector implements Detector {
    /** A shorter wait is not starvation, however often it was overtaken. */
    public static final long MIN_WAIT_NANOS = 500_000_000L;
    /** Fewer acquisitions by others during the wait are not "again and again". */
    public static final int MIN_OVERTAKES = 100;

    @Override
    public String id() {
        return "starvation";
    }

    @Override
    public FindingType type() {
        return FindingType.STARVATION;
    }

    @Override
    public void detect(TraceModel model, Consumer<Finding> findings) {
        for (Resource r : model.resources()) {
            if (!r.kind().isExclusive() && r.kind() != ResourceKind.OTHER) {
                continue;
            }
            List<LockWait> waits = model.waits(r.id());
            if (waits.isEmpty()) {
                continue;
            }
            List<Hold> holds = model.holds(r.id());
            long[] starts = holds.stream().mapToLong(Hold::start).toArray();
            Map<Long, LockWait> worst = new LinkedHashMap<>();
            Map<Long, Integer> worstCount = new LinkedHashMap<>();
            for (LockWait w : waits) {
                if (w.end() - w.start() < MIN_WAIT_NANOS || lost(model, w.threadId())) {
                    continue;
                }
                int overtakes = countStarts(starts, w.start(), w.end());
                if (overtakes >= MIN_OVERTAKES && overtakes > worstCount.getOrDefault(w.threadId(), -1)) {
                    worst.put(w.threadId(), w);
                    worstCount.put(w.threadId(), overtakes);
                }
            }
            worst.forEach((thread, w) -> findings.accept(describe(model, r, w, worstCount.get(thread), holds)));
        }
    }

    private static boolean lost(TraceModel model, long thread) {
        return model.thread(thread).map(t -> t.lostEvents() > 0).orElse(true);
    }

    /** Holds that began strictly after {@code from} and before {@code to}. */
    static int countStarts(long[] sortedStarts, long from, long to) {
        return lowerBound(sortedStarts, to) - lowerBound(sortedStarts, from + 1);
    }

    private static int lowerBound(long[] a, long key) {
        int i = Arrays.binarySearch(a, key);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && a[i - 1] == key) {
            i--;
        }
        return i;
    }

    private static Finding describe(TraceModel model, Resource r, LockWait w, int overtakes, List<Hold> holds) {
        String name = model.threadName(w.threadId());
        Map<Long, long[]> perThread = new LinkedHashMap<>(); // thread -> {acquisitions, held ns}
        Map<Long, Hold> firstHold = new LinkedHashMap<>();
        for (Hold h : holds) {
            if (h.start() > w.start() && h.start() < w.end()) {
                long[] s = perThread.computeIfAbsent(h.threadId(), t -> new long[2]);
                s[0]++;
                s[1] += Math.min(h.end(), w.end()) - h.start();
                firstHold.putIfAbsent(h.threadId(), h);
            }
        }
        List<Object> shares = new ArrayList<>();
        List<String> byThread = new ArrayList<>();
        List<String> threads = new ArrayList<>(List.of(name));
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(Evidence.of("\"" + name + "\" waits for " + DeadlockDetector.label(r, w.mode()) + " here, "
                + seconds(w.end() - w.start()) + (w.outcome() == LockWait.Outcome.PENDING ? " and still waiting"
                + " at the end" : ""), name, w.site(), w.stack()));
        perThread.entrySet().stream().sorted((a, b) -> a.getValue()[0] != b.getValue()[0]
                        ? Long.compare(b.getValue()[0], a.getValue()[0])
                        : model.threadName(a.getKey()).compareTo(model.threadName(b.getKey())))
                .forEach(e -> {
                    String other = model.threadName(e.getKey());
                    threads.add(other);
                    byThread.add("\"" + other + "\" " + e.getValue()[0]);
                    Map<String, Object> share = new LinkedHashMap<>();
                    share.put("thread", other);
                    share.put("acquisitions", e.getValue()[0]);
                    share.put("share", String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue()[0] / overtakes));
                    share.put("heldNanos", e.getValue()[1]);
                    shares.add(share);
                    Hold h = firstHold.get(e.getKey());
                    evidence.add(Evidence.of("meanwhile \"" + other + "\" acquired it " + e.getValue()[0]
                            + " times, first here", other, h.site(), h.stack()));
                });
        Map<String, Object> starved = new LinkedHashMap<>();
        starved.put("thread", name);
        starved.put("acquisitions", 0);
        starved.put("share", "0.0%");
        starved.put("heldNanos", 0);
        shares.add(0, starved);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("waitedNanos", w.end() - w.start());
        details.put("overtakes", overtakes);
        details.put("shares", shares);
        details.put("notes", List.of("an unfair lock lets running threads barge ahead of waiting ones: use a"
                + " fair lock (new ReentrantLock(true)) or hold the lock for less time"));
        String summary = "Starvation: \"" + name + "\" waited " + seconds(w.end() - w.start()) + " for "
                + r.simpleClassName() + " (#" + r.id() + ") while other threads acquired it " + overtakes
                + " times (" + String.join(", ", byThread) + ").";
        return new Finding(Finding.idFor(FindingType.STARVATION, r.id(), w.threadId()), FindingType.STARVATION,
                Severity.WARNING, summary, threads, List.of(ResourceRef.of(r)), w.start(), evidence, details);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
