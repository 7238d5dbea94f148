package dev.tangle.detect;

import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadSample;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.Frame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code LIVELOCK}, rule "no-progress" ({@link LivelockDetector}'s second rule): across several thread dumps of one JVM, a thread that was RUNNABLE at the
 * same place in every one (TDA's "long running" check). It keeps a core busy and gets nowhere: a busy-wait, a
 * retry loop (a livelock whose other parties the dumps do not show), or a computation longer than the dumps' span;
 * a dump cannot tell these apart, so it is a WARNING. "The same place": the same stack, frame by frame, except the
 * line of the innermost frame (a loop spans lines).
 *
 * <p>Not reported: a thread in a native method (RUNNABLE in a socket read, {@code epoll}, a file read is waiting
 * for input, not spinning), a thread without a Java stack (the JVM's compiler and service threads), a thread missed
 * by any dump taken while it lived, fewer than {@link #MIN_DUMPS} dumps, dumps spanning less than
 * {@link #MIN_SPAN_NANOS}. Traces recorded by the agent have no samples: it sees no loops.
 */
final class NoProgressRule {
    public static final int MIN_DUMPS = 3;
    public static final long MIN_SPAN_NANOS = 1_000_000_000L;

    private NoProgressRule() {
    }

    static void detect(TraceModel model, Consumer<Finding> findings) {
        if (model.samples().isEmpty()) {
            return;
        }
        TreeSet<Long> dumpTimes = new TreeSet<>();
        Map<Long, List<ThreadSample>> byThread = new LinkedHashMap<>();
        for (ThreadSample s : model.samples()) {
            dumpTimes.add(s.time());
            byThread.computeIfAbsent(s.thread(), k -> new ArrayList<>()).add(s);
        }
        if (dumpTimes.size() < MIN_DUMPS) {
            return;
        }
        byThread.forEach((thread, samples) -> {
            ThreadSample first = samples.get(0);
            ThreadSample last = samples.get(samples.size() - 1);
            int dumpsWhileAlive = dumpTimes.subSet(first.time(), true, last.time(), true).size();
            if (samples.size() < MIN_DUMPS || samples.size() != dumpsWhileAlive
                    || last.time() - first.time() < MIN_SPAN_NANOS) {
                return;
            }
            for (ThreadSample s : samples) {
                if (s.state() != Thread.State.RUNNABLE || s.stack() == null || s.top() == null
                        || isNative(s) || !samePlace(first, s)) {
                    return;
                }
            }
            findings.accept(finding(model, thread, samples, dumpTimes.size()));
        });
    }

    /** A native frame has line -2, as in {@code StackTraceElement} (a dump's "(Native Method)"). */
    private static boolean isNative(ThreadSample s) {
        return s.top().line() == -2;
    }

    private static boolean samePlace(ThreadSample a, ThreadSample b) {
        List<Frame> x = a.stack().frames();
        List<Frame> y = b.stack().frames();
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            Frame f = x.get(i);
            Frame g = y.get(i);
            boolean sameMethod = f.className().equals(g.className()) && f.methodName().equals(g.methodName());
            if (!sameMethod || (i > 0 && f.line() != g.line())) {
                return false;
            }
        }
        return true;
    }

    private static Finding finding(TraceModel model, long thread, List<ThreadSample> samples, int dumps) {
        String name = model.threadName(thread);
        ThreadSample first = samples.get(0);
        ThreadSample last = samples.get(samples.size() - 1);
        long span = last.time() - first.time();
        String seconds = String.format(java.util.Locale.ROOT, "%.1f s", span / 1e9);
        List<Evidence> evidence = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            ThreadSample s = samples.get(i);
            evidence.add(Evidence.of("\"" + name + "\" was RUNNABLE in " + s.top().className() + "."
                    + s.top().methodName() + " in dump " + (i + 1) + " of " + samples.size() + String.format(
                    java.util.Locale.ROOT, " (%.3f s)", s.time() / 1e9), name, s.top(), i == 0 ? s.stack() : null));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rule", "no-progress");
        details.put("dumps", samples.size());
        details.put("fromNanos", first.time());
        details.put("toNanos", last.time());
        details.put("place", Evidence.format(first.top()));
        boolean daemon = model.thread(thread).map(ThreadInfo::daemon).orElse(false);
        details.put("notes", List.of("the same stack in all " + samples.size() + " dumps over " + seconds
                + ": a busy-wait, a retry loop that never succeeds (a livelock; dumps do not show what it retries"
                + " on), or a computation longer than that; a thread dump cannot tell them apart"
                + (daemon ? "" : "; it is not a daemon, so the JVM cannot exit while it runs")));
        String summary = "No progress: \"" + name + "\" was running at the same place, "
                + Evidence.format(first.top()) + ", in all " + samples.size() + " thread dumps over " + seconds
                + " (a busy loop or a livelock).";
        return new Finding(Finding.idFor(FindingType.LIVELOCK, "no-progress", name, Evidence.format(first.top())),
                FindingType.LIVELOCK, Severity.WARNING, summary, List.of(name), List.of(), first.time(), evidence,
                details);
    }
}
