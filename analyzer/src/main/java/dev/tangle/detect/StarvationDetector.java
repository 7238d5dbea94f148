package dev.tangle.detect;

import dev.tangle.model.CountedHolds;
import dev.tangle.model.Hold;
import dev.tangle.model.LockWait;
import dev.tangle.model.Resource;
import dev.tangle.model.ResourceKind;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.Frame;

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
 *
 * <p>The <em>role check</em>: starvation is something the program does to a thread (Go's polite worker keeps
 * getting far less of the lock than the greedy one), not one long wait that any of several threads running the
 * same code can draw. On an overloaded machine (30 runnable threads on 2 cores) an unfair monitor makes such
 * waits by the dozen: a woken waiter gets the CPU too late to take the monitor before a running thread barges in,
 * so H2's JDBC clients each waited 0.7 to 1.7 s in turn while the others took the table's monitor hundreds of
 * times, yet over the run each took it about as often as the others (0.76 to 1.15 of their mean in 20 such
 * waits of three recordings). So the worst wait is reported only if, over the span in which the waiter used the
 * resource (its first request or acquisition to its last release), it acquired the resource at most
 * {@link #FEWER_ACQUISITIONS} as often as the threads that overtook it (their mean, weighted by how often each
 * overtook it). GreedyAndPolite's polite thread measured 0.01 and 0.22 where its wait was long enough for this
 * rule (0.23 to 0.47 in runs on a loaded machine, where its waits were shorter and the share rule reported it);
 * a thread that needs the resource rarely and is then overtaken again and again passes the check too. What it
 * cannot see: a thread that got its share for most of a long run and was starved only near its end.
 *
 * <p>A second rule, the <em>share</em> rule, catches a thread starved by many short waits rather than one long
 * one (Go's "greedy vs polite worker"): over its contention window (its first wait for the resource to the end
 * of its last), a window of at least {@link #MIN_SHARE_WINDOW_NANOS}, it waited at least
 * {@link #MIN_SHARE_WAITS} times and spent at least {@link #MIN_WAITING_FRACTION} of the window waiting for the
 * resource, while at least one peer acquired it at least {@link #MIN_PEER_ACQUISITIONS} times in the window and
 * the thread's hold time is at most {@link #FAR_BELOW} of the mean peer's. Fair locks, ordered locking under
 * contention and worker pools give every contender a similar share, so they stay clean. A thread reported by
 * the first rule for a resource is not reported again by the second.
 *
 * <p>Holds the agent counted instead of recording them ({@code LEAF_HOLDS}, {@link CountedHolds}) are
 * acquisitions in both rules: those whose time falls strictly inside a wait are overtakes, and they count in the
 * role check and in a peer's acquisitions. They have no hold time, so they add nothing to the share rule's
 * hold times. Those counted while their thread held the resource already ({@link CountedHolds#reentrant()})
 * take it from nobody and count nowhere.
 */
public final class StarvationDetector implements Detector {
    /** A shorter wait is not starvation, however often it was overtaken. */
    public static final long MIN_WAIT_NANOS = 500_000_000L;
    /** Fewer acquisitions by others during the wait are not "again and again". */
    public static final int MIN_OVERTAKES = 100;
    /**
     * The role check: over the span in which it used the resource, the starved thread acquired it at most this
     * fraction as often as the threads that overtook it did (their mean, weighted by their overtakes).
     */
    public static final double FEWER_ACQUISITIONS = 0.5;
    /** Share rule: the starved thread's contention window must last at least this long (sustained). */
    public static final long MIN_SHARE_WINDOW_NANOS = 1_000_000_000L;
    /** Share rule: it kept requesting the resource: at least this many contended requests in the window. */
    public static final int MIN_SHARE_WAITS = 20;
    /** Share rule: it spent at least this fraction of the window waiting for the resource. */
    public static final double MIN_WAITING_FRACTION = 0.5;
    /** Share rule: a peer is a thread that acquired the resource at least this many times in the window. */
    public static final int MIN_PEER_ACQUISITIONS = 20;
    /** Share rule: "far below": its hold time is at most this fraction of the mean peer's hold time. */
    public static final double FAR_BELOW = 0.1;

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
            // a reentrant counted hold takes the resource from nobody: not an acquisition
            List<CountedHolds> counted = model.countedHolds(r.id()).stream().filter(c -> !c.reentrant()).toList();
            long[] starts = holds.stream().mapToLong(Hold::start).toArray();
            Map<Long, LockWait> worst = new LinkedHashMap<>();
            Map<Long, Long> worstCount = new LinkedHashMap<>();
            for (LockWait w : waits) {
                if (w.end() - w.start() < MIN_WAIT_NANOS || lost(model, w.threadId())) {
                    continue;
                }
                long overtakes = countStarts(starts, w.start(), w.end())
                        + model.countedHoldsBetween(r.id(), w.start(), w.end());
                if (overtakes >= MIN_OVERTAKES && overtakes > worstCount.getOrDefault(w.threadId(), -1L)) {
                    worst.put(w.threadId(), w);
                    worstCount.put(w.threadId(), overtakes);
                }
            }
            worst.forEach((thread, w) -> {
                Map<Long, long[]> overtakers = acquisitions(holds, counted, w.start(), w.end(), false);
                Role role = role(thread, waits, holds, counted, overtakers);
                if (role.starved()) {
                    findings.accept(describe(model, r, w, worstCount.get(thread), overtakers, holds, counted, role));
                }
            });
            shareRule(model, r, waits, holds, counted, worst.keySet(), findings);
        }
    }

    /**
     * Per thread, its acquisitions of the resource that began in the range and how long it held it there
     * ({acquisitions, held ns}): recorded holds, plus the counted ones (which add acquisitions, not time).
     * {@code inclusive}: [from, to], else (from, to).
     */
    private static Map<Long, long[]> acquisitions(List<Hold> holds, List<CountedHolds> counted, long from, long to,
                                                 boolean inclusive) {
        Map<Long, long[]> perThread = new LinkedHashMap<>();
        for (Hold h : holds) {
            if (within(h.start(), from, to, inclusive)) {
                long[] a = perThread.computeIfAbsent(h.threadId(), t -> new long[2]);
                a[0]++;
                a[1] += Math.min(h.end(), to) - h.start();
            }
        }
        for (CountedHolds c : counted) {
            if (within(c.time(), from, to, inclusive)) {
                perThread.computeIfAbsent(c.threadId(), t -> new long[2])[0] += c.count();
            }
        }
        return perThread;
    }

    private static boolean within(long time, long from, long to, boolean inclusive) {
        return inclusive ? time >= from && time <= to : time > from && time < to;
    }

    /**
     * The role check of the first rule: over the span in which the waiter used the resource, its acquisitions
     * against those of the threads that overtook it.
     *
     * @param spanNanos        from its first request or acquisition of the resource to its last release or grant
     * @param own              its acquisitions in the span
     * @param overtakersMean   the overtakers' acquisitions in the span, their mean weighted by their overtakes
     */
    record Role(long spanNanos, long own, double overtakersMean) {
        boolean starved() {
            return own <= FEWER_ACQUISITIONS * overtakersMean;
        }
    }

    private static Role role(long thread, List<LockWait> waits, List<Hold> holds, List<CountedHolds> counted,
                             Map<Long, long[]> overtakers) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (LockWait w : waits) {
            if (w.threadId() == thread) {
                from = Math.min(from, w.start());
                to = Math.max(to, w.end());
            }
        }
        for (Hold h : holds) {
            if (h.threadId() == thread) {
                from = Math.min(from, h.start());
                to = Math.max(to, h.end());
            }
        }
        for (CountedHolds c : counted) {
            if (c.threadId() == thread) {
                from = Math.min(from, c.time());
                to = Math.max(to, c.time());
            }
        }
        Map<Long, long[]> inSpan = acquisitions(holds, counted, from, to, true);
        double weighted = 0;
        long weights = 0;
        for (Map.Entry<Long, long[]> e : overtakers.entrySet()) {
            if (e.getKey() != thread) {
                long[] a = inSpan.get(e.getKey());
                weighted += (double) e.getValue()[0] * (a == null ? 0 : a[0]);
                weights += e.getValue()[0];
            }
        }
        long[] own = inSpan.get(thread);
        return new Role(to - from, own == null ? 0 : own[0], weights == 0 ? 0 : weighted / weights);
    }

    /** The share rule (see the class comment); {@code reported} threads already have a finding for {@code r}. */
    private static void shareRule(TraceModel model, Resource r, List<LockWait> waits, List<Hold> holds,
                                  List<CountedHolds> counted, java.util.Set<Long> reported,
                                  Consumer<Finding> findings) {
        // per thread: {waits, waited ns, first wait start, last wait end}; a cheap pass picks the candidates
        Map<Long, long[]> perThread = new LinkedHashMap<>();
        for (LockWait w : waits) {
            long[] s = perThread.computeIfAbsent(w.threadId(), t -> new long[]{0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            s[0]++;
            s[1] += w.end() - w.start();
            s[2] = Math.min(s[2], w.start());
            s[3] = Math.max(s[3], w.end());
        }
        for (Map.Entry<Long, long[]> e : perThread.entrySet()) {
            long thread = e.getKey();
            long[] s = e.getValue();
            long from = s[2];
            long to = s[3];
            long window = to - from;
            if (reported.contains(thread) || s[0] < MIN_SHARE_WAITS || window < MIN_SHARE_WINDOW_NANOS
                    || s[1] < MIN_WAITING_FRACTION * window || lost(model, thread)) {
                continue;
            }
            Map<Long, long[]> shares = new LinkedHashMap<>(); // thread -> {acquisitions, held ns}, in the window
            shares.put(thread, new long[2]);
            Map<Long, Hold> firstHold = new LinkedHashMap<>();
            for (Hold h : holds) {
                long held = Math.min(h.end(), to) - Math.max(h.start(), from);
                if (held <= 0 && !(h.start() >= from && h.start() <= to)) {
                    continue;
                }
                long[] a = shares.computeIfAbsent(h.threadId(), t -> new long[2]);
                if (h.start() >= from && h.start() <= to) {
                    a[0]++;
                    firstHold.putIfAbsent(h.threadId(), h);
                }
                a[1] += Math.max(0, held);
            }
            Map<Long, Frame> firstCounted = new LinkedHashMap<>();
            for (CountedHolds c : counted) { // acquisitions without hold time
                if (c.time() >= from && c.time() <= to) {
                    shares.computeIfAbsent(c.threadId(), t -> new long[2])[0] += c.count();
                    firstCounted.putIfAbsent(c.threadId(), c.site());
                }
            }
            long peers = 0;
            long peerHeld = 0;
            for (Map.Entry<Long, long[]> p : shares.entrySet()) {
                if (p.getKey() != thread && p.getValue()[0] >= MIN_PEER_ACQUISITIONS) {
                    peers++;
                    peerHeld += p.getValue()[1];
                }
            }
            long[] own = shares.get(thread);
            if (peers == 0 || own[1] > FAR_BELOW * peerHeld / peers) {
                continue;
            }
            findings.accept(describeShare(model, r, thread, s, shares, firstHold, firstCounted, waits));
        }
    }

    private static Finding describeShare(TraceModel model, Resource r, long thread, long[] stats,
                                         Map<Long, long[]> shares, Map<Long, Hold> firstHold,
                                         Map<Long, Frame> firstCounted, List<LockWait> waits) {
        String name = model.threadName(thread);
        long window = stats[3] - stats[2];
        long totalHeld = shares.values().stream().mapToLong(a -> a[1]).sum();
        LockWait longest = waits.stream().filter(w -> w.threadId() == thread)
                .max((a, b) -> Long.compare(a.end() - a.start(), b.end() - b.start())).orElseThrow();
        List<Object> shareList = new ArrayList<>();
        List<String> byThread = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(Evidence.of("\"" + name + "\" waits for " + DeadlockDetector.label(r, longest.mode())
                + " here (its longest wait, " + seconds(longest.end() - longest.start()) + ")", name,
                longest.site(), longest.stack()));
        shares.entrySet().stream().sorted((a, b) -> a.getKey() == thread ? -1 : b.getKey() == thread ? 1
                        : a.getValue()[1] != b.getValue()[1] ? Long.compare(b.getValue()[1], a.getValue()[1])
                        : model.threadName(a.getKey()).compareTo(model.threadName(b.getKey())))
                .forEach(e -> {
                    String t = model.threadName(e.getKey());
                    threads.add(t);
                    String pct = String.format(Locale.ROOT, "%.1f%%",
                            totalHeld == 0 ? 0.0 : 100.0 * e.getValue()[1] / totalHeld);
                    byThread.add("\"" + t + "\" " + pct);
                    Map<String, Object> share = new LinkedHashMap<>();
                    share.put("thread", t);
                    share.put("acquisitions", e.getValue()[0]);
                    share.put("share", pct);
                    share.put("heldNanos", e.getValue()[1]);
                    shareList.add(share);
                    Hold h = firstHold.get(e.getKey());
                    Frame counted = firstCounted.get(e.getKey());
                    if (e.getKey() != thread && (h != null || counted != null)) {
                        evidence.add(Evidence.of("meanwhile \"" + t + "\" acquired it " + e.getValue()[0]
                                + " times and held it " + seconds(e.getValue()[1]) + ", first here", t,
                                h != null ? h.site() : counted, h != null ? h.stack() : null));
                    }
                });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rule", "share");
        details.put("windowNanos", window);
        details.put("waits", stats[0]);
        details.put("waitedNanos", stats[1]);
        details.put("shares", shareList);
        details.put("notes", List.of("the other threads hold the lock for long stretches and take it back at once"
                + " (a \"greedy\" worker): hold it only around the shared state, or use a fair lock"
                + " (new ReentrantLock(true))"));
        String summary = "Starvation: \"" + name + "\" spent " + seconds(stats[1]) + " of " + seconds(window)
                + " waiting for " + r.simpleClassName() + " (#" + r.id() + ") in " + stats[0]
                + " waits, but got a far smaller share of it than the others (hold time "
                + String.join(", ", byThread) + ").";
        return new Finding(Finding.idFor(FindingType.STARVATION, r.id(), thread), FindingType.STARVATION,
                Severity.WARNING, summary, threads, List.of(ResourceRef.of(r)), stats[2], evidence, details);
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

    private static Finding describe(TraceModel model, Resource r, LockWait w, long overtakes,
                                    Map<Long, long[]> perThread, List<Hold> holds, List<CountedHolds> counted,
                                    Role role) {
        String name = model.threadName(w.threadId());
        Map<Long, Frame> firstSite = new LinkedHashMap<>();
        Map<Long, Hold> firstHold = new LinkedHashMap<>();
        for (Hold h : holds) {
            if (h.start() > w.start() && h.start() < w.end()) {
                firstHold.putIfAbsent(h.threadId(), h);
            }
        }
        for (CountedHolds c : counted) {
            if (c.time() > w.start() && c.time() < w.end()) {
                firstSite.putIfAbsent(c.threadId(), c.site());
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
                            + " times, first here", other, h != null ? h.site() : firstSite.get(e.getKey()),
                            h != null ? h.stack() : null));
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
        details.put("spanNanos", role.spanNanos());
        details.put("spanAcquisitions", role.own());
        details.put("overtakersSpanAcquisitions", Math.round(role.overtakersMean()));
        details.put("notes", List.of("an unfair lock lets running threads barge ahead of waiting ones: use a"
                + " fair lock (new ReentrantLock(true)) or hold the lock for less time"));
        String summary = "Starvation: \"" + name + "\" waited " + seconds(w.end() - w.start()) + " for "
                + r.simpleClassName() + " (#" + r.id() + ") while other threads acquired it " + overtakes
                + " times (" + String.join(", ", byThread) + "). Over the " + seconds(role.spanNanos())
                + " it used it, it acquired it " + role.own() + " times, the threads that overtook it "
                + Math.round(role.overtakersMean()) + " times each on average.";
        return new Finding(Finding.idFor(FindingType.STARVATION, r.id(), w.threadId()), FindingType.STARVATION,
                Severity.WARNING, summary, threads, List.of(ResourceRef.of(r)), w.start(), evidence, details);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
