package dev.tangle.detect;

import dev.tangle.model.FailedTry;
import dev.tangle.model.Hold;
import dev.tangle.model.Operation;
import dev.tangle.model.OperationKind;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link FindingType#LIVELOCK}: threads that keep running but make no progress: each fails {@code tryLock}
 * again and again, never once succeeding, because another of them holds the lock it tries (the polite
 * "release and retry" that both sides repeat in step). Per thread, a <em>run</em> is a maximal sequence of failed
 * tries with no successful try by that thread in between; a run counts when it has at least
 * {@link #MIN_FAILURES} failures over at least {@link #MIN_WINDOW_NANOS}. Threads whose runs overlap in time and
 * that held the locks the others failed on during those runs form one livelock.
 *
 * <p>A second rule, {@link NoProgressRule}, applies to thread dumps: a thread RUNNABLE at the same place in
 * every one of several dumps.
 *
 * <p>One thread spinning on a lock that a busy thread holds is not a livelock (it is not reported), nor is a
 * backoff loop that succeeds now and then.
 *
 * <p>Timed-out or refused {@code poll}s and {@code offer}s, failed {@code tryAcquire}s and timed-out latch,
 * barrier and exchanger waits count as failures too; a completed operation of those kinds on a resource the
 * thread fails on is a success. A thread blocks another's run when it held the lock the other tried, or served
 * the resource the other failed on (sent to the queue it polls, received from the one it offers to, acquired or
 * released the semaphore, counted down the latch, arrived at the barrier).
 */
public final class LivelockDetector implements Detector {
    /** Fewer consecutive failures are a backoff that worked. */
    public static final int MIN_FAILURES = 100;
    /** A shorter run is a burst, not a sustained livelock. */
    public static final long MIN_WINDOW_NANOS = 100_000_000L;

    @Override
    public String id() {
        return "livelock";
    }

    @Override
    public FindingType type() {
        return FindingType.LIVELOCK;
    }

    /** Synchronizer operations that fail like a tryLock: they gave up and the thread goes on. */
    private static boolean isFailure(Operation op) {
        return switch (op.kind()) {
            case SEND, RECEIVE, ACQUIRE -> op.unsuccessful();
            case LATCH_AWAIT, BARRIER_AWAIT, EXCHANGE -> op.outcome() == Operation.Outcome.TIMED_OUT;
            default -> false;
        };
    }

    /** A thread's longest run of failures without success. */
    private record Run(long thread, long from, long to, int failures, Set<Long> locks, FailedTry first) {
        boolean overlaps(Run o) {
            return from <= o.to && o.from <= to;
        }
    }

    @Override
    public void detect(TraceModel model, Consumer<Finding> findings) {
        NoProgressRule.detect(model, findings); // thread dumps only: threads RUNNABLE at one place in every dump
        List<FailedTry> tries = new ArrayList<>(model.failedTries());
        // per thread, the kind of operation it failed on each resource (absent: a tryLock)
        Map<Long, Map<Long, OperationKind>> failedKinds = new HashMap<>();
        for (Operation op : model.operations()) {
            if (isFailure(op)) {
                tries.add(new FailedTry(op.end(), op.threadId(), op.resourceId(), op.timed(), op.site(), op.stack()));
                failedKinds.computeIfAbsent(op.threadId(), t -> new HashMap<>()).put(op.resourceId(), op.kind());
            }
        }
        if (tries.isEmpty()) {
            return;
        }
        tries.sort(java.util.Comparator.comparingLong(FailedTry::time));
        Map<Long, List<Operation>> opsByThread = new HashMap<>();
        Map<Long, List<Long>> successes = new HashMap<>();
        for (Operation op : model.operations()) {
            opsByThread.computeIfAbsent(op.threadId(), t -> new ArrayList<>()).add(op);
            Map<Long, OperationKind> failedHere = failedKinds.getOrDefault(op.threadId(), Map.of());
            if (op.outcome() == Operation.Outcome.COMPLETED && failedHere.get(op.resourceId()) == op.kind()) {
                successes.computeIfAbsent(op.threadId(), t -> new ArrayList<>()).add(op.end());
            }
        }
        Map<Long, List<Hold>> holdsByThread = new HashMap<>();
        for (Hold h : model.holds(Long.MIN_VALUE, Long.MAX_VALUE)) {
            if (h.tried()) {
                successes.computeIfAbsent(h.threadId(), t -> new ArrayList<>()).add(h.start());
            }
            holdsByThread.computeIfAbsent(h.threadId(), t -> new ArrayList<>()).add(h);
        }
        successes.values().forEach(l -> l.sort(null));
        Map<Long, List<FailedTry>> failures = new LinkedHashMap<>();
        for (FailedTry f : tries) {
            failures.computeIfAbsent(f.threadId(), t -> new ArrayList<>()).add(f);
        }
        List<Run> runs = new ArrayList<>();
        failures.forEach((thread, list) -> {
            boolean lost = model.thread(thread).map(t -> t.lostEvents() > 0).orElse(true);
            Run run = lost ? null : longestRun(thread, list, successes.getOrDefault(thread, List.of()));
            if (run != null && run.failures >= MIN_FAILURES && run.to - run.from >= MIN_WINDOW_NANOS) {
                runs.add(run);
            }
        });
        // union threads whose runs overlap and that held what another failed on during its run
        List<Set<Run>> groups = new ArrayList<>();
        for (Run r : runs) {
            Set<Run> joined = new LinkedHashSet<>(List.of(r));
            for (var it = groups.iterator(); it.hasNext(); ) {
                Set<Run> g = it.next();
                if (g.stream().anyMatch(o -> r.overlaps(o) && (blocks(o, r, holdsByThread, opsByThread, failedKinds)
                        || blocks(r, o, holdsByThread, opsByThread, failedKinds)))) {
                    joined.addAll(g);
                    it.remove();
                }
            }
            groups.add(joined);
        }
        for (Set<Run> g : groups) {
            if (g.size() >= 2) {
                findings.accept(describe(model, new ArrayList<>(g), holdsByThread, failedKinds));
            }
        }
    }

    /**
     * {@code holder} held, during {@code failing}'s run, a lock that {@code failing} failed to get, or served a
     * channel, semaphore, latch, barrier or exchanger that {@code failing} failed on, before its run ended.
     */
    private static boolean blocks(Run holder, Run failing, Map<Long, List<Hold>> holdsByThread,
                                  Map<Long, List<Operation>> opsByThread, Map<Long, Map<Long, OperationKind>> kinds) {
        for (Hold h : holdsByThread.getOrDefault(holder.thread, List.of())) {
            if (failing.locks.contains(h.resourceId()) && h.start() <= failing.to
                    && (h.end() >= failing.from || h.open())) {
                return true;
            }
        }
        Map<Long, OperationKind> failed = kinds.getOrDefault(failing.thread, Map.of());
        for (Operation op : opsByThread.getOrDefault(holder.thread, List.of())) {
            OperationKind k = failed.get(op.resourceId());
            if (k != null && failing.locks.contains(op.resourceId()) && op.start() <= failing.to
                    && (op.kind().wakes(k) || (k == OperationKind.ACQUIRE && op.kind() == OperationKind.ACQUIRE
                    && op.outcome() == Operation.Outcome.COMPLETED)
                    || (k == OperationKind.LATCH_AWAIT && op.kind() == OperationKind.COUNT_DOWN))) {
                return true;
            }
        }
        return false;
    }

    private static Run longestRun(long thread, List<FailedTry> list, List<Long> successTimes) {
        Run best = null;
        int s = 0;
        int start = 0;
        for (int i = 0; i <= list.size(); i++) {
            boolean breakHere = i == list.size();
            if (!breakHere) {
                long t = list.get(i).time();
                // a success between the previous failure and this one ends the run
                boolean success = false;
                while (s < successTimes.size() && successTimes.get(s) < t) {
                    if (i > start) {
                        success = true;
                    }
                    s++;
                }
                breakHere = success;
            }
            if (breakHere) {
                if (i > start) {
                    Set<Long> locks = new LinkedHashSet<>();
                    for (int j = start; j < i; j++) {
                        locks.add(list.get(j).resourceId());
                    }
                    Run run = new Run(thread, list.get(start).time(), list.get(i - 1).time(), i - start, locks,
                            list.get(start));
                    if (best == null || run.failures > best.failures) {
                        best = run;
                    }
                }
                start = i;
            }
        }
        return best;
    }

    private static Finding describe(TraceModel model, List<Run> runs, Map<Long, List<Hold>> holdsByThread,
                                    Map<Long, Map<Long, OperationKind>> failedKinds) {
        runs.sort((a, b) -> Long.compare(a.thread, b.thread));
        List<String> names = runs.stream().map(r -> model.threadName(r.thread)).toList();
        Set<Long> locks = new LinkedHashSet<>();
        List<Evidence> evidence = new ArrayList<>();
        List<Object> perThread = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        long from = Long.MIN_VALUE;
        long to = Long.MIN_VALUE;
        boolean allLocks = true;
        for (Run r : runs) {
            String name = model.threadName(r.thread);
            locks.addAll(r.locks);
            from = Math.max(from, r.from);
            to = Math.max(to, r.to);
            long window = r.to - r.from;
            String lockNames = r.locks.stream().map(l -> DeadlockDetector.label(model.resource(l), null))
                    .reduce((a, b) -> a + ", " + b).orElse("?");
            Map<Long, OperationKind> kinds = failedKinds.getOrDefault(r.thread, Map.of());
            boolean onLocks = r.locks.stream().noneMatch(kinds::containsKey);
            allLocks &= onLocks;
            evidence.add(Evidence.of("\"" + name + "\" failed " + (onLocks ? "to get " : "on ") + lockNames + " "
                    + r.failures + " times in a row, here", name, r.first.site(), r.first.stack()));
            for (Run other : runs) {
                if (other != r) {
                    for (Hold h : holdsByThread.getOrDefault(r.thread, List.of())) {
                        if (other.locks.contains(h.resourceId()) && h.start() <= other.to) {
                            evidence.add(Evidence.of("\"" + name + "\" meanwhile holds " + DeadlockDetector.label(
                                    model.resource(h.resourceId()), h.mode()) + ", which \""
                                    + model.threadName(other.thread) + "\" tries; taken here", name, h.site(),
                                    h.stack()));
                            break;
                        }
                    }
                }
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("thread", name);
            t.put("failures", r.failures);
            t.put("fromNanos", r.from);
            t.put("toNanos", r.to);
            t.put("periodNanos", window / Math.max(1, r.failures - 1));
            perThread.add(t);
            counts.add(String.valueOf(r.failures));
        }
        long period = runs.stream().mapToLong(r -> (r.to - r.from) / Math.max(1, r.failures - 1)).sum()
                / runs.size();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("threads", perThread);
        details.put("periodNanos", period);
        details.put("cycle", (allLocks ? "each thread holds a lock, tries the other's, fails, lets go and retries"
                : "each thread tries (with a timeout, or without waiting) what only the others can give, gives up"
                + " and retries") + ", in step with the others, about every " + micros(period));
        details.put("notes", List.of("retrying at once keeps the threads in step: back off for a random time,"
                + " or take the locks in one global order"));
        long window = to - runs.stream().mapToLong(Run::from).min().orElse(to);
        String summary = "Livelock: " + DeadlockDetector.quoteList(names) + (allLocks ? " kept failing tryLock on"
                + " each other's locks (" : " kept failing (timed out or refused) on locks, channels or synchronizers"
                + " that the others hold or serve (") + String.join(", ", counts) + " times over "
                + StarvationDetector.seconds(window)
                + ", every " + micros(period) + ") without ever succeeding.";
        return new Finding(Finding.idFor(FindingType.LIVELOCK, names.toArray(), locks.toArray()),
                FindingType.LIVELOCK, Severity.WARNING, summary, names,
                locks.stream().map(l -> ResourceRef.of(model.resource(l))).toList(), from, evidence, details);
    }

    private static String micros(long nanos) {
        return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
    }
}
