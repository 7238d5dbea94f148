package dev.tangle.detect;

import dev.tangle.model.BlockReason;
import dev.tangle.model.Operation;
import dev.tangle.model.OperationKind;
import dev.tangle.model.Pool;
import dev.tangle.model.ResourceKind;
import dev.tangle.model.Signal;
import dev.tangle.model.StateInterval;
import dev.tangle.model.TaskRun;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link FindingType#COMMUNICATION_DEADLOCK}: the program hung because every thread that keeps the JVM alive
 * waits (untimed) for a notify, signal, unpark, join or lock that no live thread can give: Go's "all goroutines
 * are asleep", seen from the end of the trace (see {@link EndOfTrace}). Threads already in a lock cycle are left
 * to {@link DeadlockDetector}; pool workers idle in their pool are left to {@link ThreadLeakDetector}.
 *
 * <p>Channel, exchanger, latch, semaphore, barrier, future and {@code awaitTermination} waits count too; a
 * {@code Future.get} of a task queued in a pool whose every worker is stuck is a pool self-deadlock. When the
 * program did not hang, each cycle of threads that only each other could wake (on channels, synchronizers,
 * futures, joins) is reported on its own: the partial deadlocks Go's runtime misses.
 */
public final class CommunicationDeadlockDetector implements Detector {
    @Override
    public String id() {
        return "communication-deadlock";
    }

    @Override
    public FindingType type() {
        return FindingType.COMMUNICATION_DEADLOCK;
    }

    private static String signalName(Signal s) {
        return switch (s.kind()) {
            case NOTIFY -> "notify()";
            case NOTIFY_ALL -> "notifyAll()";
            case CONDITION_SIGNAL -> "signal()";
            default -> "signalAll()";
        };
    }

    /** Joins a deadlocked thread or waits for a lock one holds: a consequence of that deadlock, not another bug. */
    private static boolean behindDeadlock(EndOfTrace end, long t) {
        StateInterval s = end.endState.get(t);
        if (s.reason().resourceIsThread()) {
            return end.deadlocked.contains(s.resource());
        }
        return s.reason().isLockAcquisition() && end.model.holdsAtEnd().stream()
                .anyMatch(h -> h.resourceId() == s.resource() && end.deadlocked.contains(h.threadId()));
    }

    @Override
    public void detect(TraceModel model, Consumer<Finding> findings) {
        EndOfTrace end = new EndOfTrace(model);
        if (!end.hung) {
            for (List<Long> cycle : end.partial) {
                findings.accept(describe(model, end, cycle, false));
            }
            return;
        }
        List<Long> threads = new ArrayList<>();
        for (long t : end.stuck) {
            boolean lost = model.thread(t).map(i -> i.lostEvents() > 0).orElse(true);
            if (!end.deadlocked.contains(t) && !end.isIdlePoolWorker(t) && !lost && !behindDeadlock(end, t)) {
                threads.add(t);
            }
        }
        if (threads.isEmpty()) {
            return; // e.g. only main, joining a deadlocked thread: the DEADLOCK says it all
        }
        findings.accept(describe(model, end, threads, true));
    }

    private static boolean isClassic(BlockReason r) {
        return !r.isSynchronizerWait();
    }

    private static Finding describe(TraceModel model, EndOfTrace end, List<Long> threads, boolean hung) {
        List<String> names = threads.stream().map(model::threadName).toList();
        List<Evidence> evidence = new ArrayList<>();
        Set<Long> resources = new LinkedHashSet<>();
        List<Object> waits = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long time = 0;
        for (long t : threads) {
            StateInterval s = end.endState.get(t);
            time = Math.max(time, s.start());
            String what = end.describeWait(t);
            evidence.add(end.waitEvidence(t, "\"" + model.threadName(t) + "\" " + what + ", here"));
            if (s.reason() == BlockReason.MONITOR_WAIT || s.reason() == BlockReason.CONDITION_AWAIT) {
                Signal last = model.lastSignal(s.resource()).orElse(null);
                if (last == null) {
                    notes.add("nothing ever signalled or notified " + end.label(s.resource()));
                } else if (last.time() < s.start()) {
                    evidence.add(Evidence.of("the last " + signalName(last) + " on it came before \""
                            + model.threadName(t) + "\" began to wait (a lost wake-up), here",
                            model.threadName(last.threadId()), last.site(), last.stack()));
                }
            }
            if (s.reason().isSynchronizerWait() || s.reason() == BlockReason.JOIN) {
                explain(model, end, t, s, hung, evidence, notes);
            }
            if (s.resource() != 0 && !s.reason().resourceIsThread()) {
                resources.add(s.resource());
                if (model.resource(s.resource()).kind() == ResourceKind.CONDITION) {
                    resources.add(model.resource(s.resource()).ownerId());
                }
            }
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("thread", model.threadName(t));
            w.put("waits", what);
            w.put("since", s.start());
            waits.add(w);
        }
        resources.remove(0L);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("waits", waits);
        if (hung) {
            notes.add(0, "no live thread could wake them: every thread that keeps the JVM alive is itself waiting"
                    + (end.deadlocked.isEmpty() ? "" : " (some of them in a lock deadlock)")
                    + ", so the program could never end by itself");
        } else {
            notes.add(0, "each of them waits for something only the others ever did (sent, received, counted down,"
                    + " released, arrived, ran the task), and they all wait: other threads went on, but none of"
                    + " them ever served these resources, so these threads can never continue");
            details.put("partial", true);
        }
        details.put("notes", new ArrayList<>(new LinkedHashSet<>(notes)));
        evidence = new ArrayList<>(new LinkedHashSet<>(evidence));
        boolean classic = threads.stream().allMatch(t -> isClassic(end.endState.get(t).reason()));
        String verb = names.size() == 1 ? " waits" : " wait";
        String summary = !hung
                ? "Partial communication deadlock: " + DeadlockDetector.quoteList(names) + (names.size() == 1
                        ? " waits on " + resourceWords(model, end, threads) + " that only it could serve; it can"
                        : " wait for each other on " + resourceWords(model, end, threads) + " that only they could"
                        + " serve; they can") + " never continue, while the rest of the program went on."
                : classic
                ? "Communication deadlock: " + DeadlockDetector.quoteList(names) + verb + " for a signal, notify,"
                        + " unpark or thread end that no live thread can send; the program hung."
                : "Communication deadlock: " + DeadlockDetector.quoteList(names) + verb + " on "
                        + resourceWords(model, end, threads) + " that no live thread can serve; the program hung.";
        return new Finding(Finding.idFor(FindingType.COMMUNICATION_DEADLOCK, threads.toArray()),
                FindingType.COMMUNICATION_DEADLOCK, Severity.ERROR, summary, names,
                resources.stream().map(id -> ResourceRef.of(model.resource(id))).toList(), time, evidence,
                details);
    }

    /** "channels and a latch": what the threads wait on, in words. */
    private static String resourceWords(TraceModel model, EndOfTrace end, List<Long> threads) {
        Set<String> words = new java.util.TreeSet<>();
        for (long t : threads) {
            words.add(switch (end.endState.get(t).reason()) {
                case CHANNEL_SEND, CHANNEL_RECEIVE -> "channels";
                case EXCHANGE -> "exchangers";
                case LATCH_AWAIT -> "latches";
                case SEMAPHORE_ACQUIRE -> "semaphores";
                case BARRIER_AWAIT -> "barriers";
                case FUTURE_GET -> "futures";
                case POOL_AWAIT_TERMINATION -> "pool terminations";
                case JOIN -> "thread ends";
                case MONITOR_ENTER, LOCK -> "locks";
                default -> "signals";
            });
        }
        List<String> list = new ArrayList<>(words);
        return list.size() == 1 ? list.get(0) : String.join(", ", list.subList(0, list.size() - 1)) + " and "
                + list.get(list.size() - 1);
    }

    /** Who could have ended a channel, synchronizer, future or join wait, and why they will not. */
    private static void explain(TraceModel model, EndOfTrace end, long t, StateInterval s, boolean hung,
                                List<Evidence> evidence, List<String> notes) {
        String name = "\"" + model.threadName(t) + "\"";
        String res = s.reason().resourceIsThread() ? "" : end.label(s.resource());
        switch (s.reason()) {
            case LATCH_AWAIT -> {
                if (model.operations(s.resource(), OperationKind.COUNT_DOWN).isEmpty()) {
                    notes.add("nothing ever counted down " + res);
                }
            }
            case CHANNEL_RECEIVE -> {
                if (model.operations(s.resource(), OperationKind.SEND).stream()
                        .noneMatch(op -> op.outcome() == Operation.Outcome.COMPLETED)) {
                    notes.add("nothing was ever sent to " + res);
                }
            }
            case FUTURE_GET -> {
                List<TaskRun> runs = model.taskRuns(s.resource());
                TaskRun run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (run != null && run.queuedAtEnd()) {
                    Pool pool = model.pool(run.poolId()).orElse(null);
                    String workers = pool == null ? "?" : DeadlockDetector.quoteList(pool.workers().stream()
                            .map(model::threadName).toList());
                    evidence.add(Evidence.of("the task " + end.label(run.taskId()) + " that " + name + " waits for"
                            + " was submitted here and is still queued in " + (pool == null ? "its pool"
                            : end.label(pool.id())), model.threadName(run.submitter()), run.submitSite(),
                            run.submitStack()));
                    if (pool != null && "shutdownNow".equals(pool.shutdownHow())) {
                        notes.add("the task was queued in " + end.label(pool.id()) + ", which was shut down with"
                                + " shutdownNow(): it will never run");
                    } else if (pool != null && end.wakers.get(t) != null) {
                        notes.add("pool self-deadlock: the task " + end.label(run.taskId()) + " is queued in "
                                + end.label(pool.id()) + ", whose every worker (" + workers + ") is itself"
                                + " waiting, so it can never run");
                    } else if (pool != null) {
                        notes.add("the task " + end.label(run.taskId()) + " is still queued in " + end.label(pool.id())
                                + ": none of its workers (" + workers + ") took it");
                    }
                }
            }
            default -> {
            }
        }
        Set<Long> wakers = end.wakers.get(t);
        if (!hung && wakers != null && s.reason() != BlockReason.FUTURE_GET && s.reason() != BlockReason.JOIN) {
            String what = switch (s.reason()) {
                case CHANNEL_RECEIVE -> "sent to ";
                case CHANNEL_SEND -> "received from ";
                case LATCH_AWAIT -> "counted down ";
                case SEMAPHORE_ACQUIRE -> "released or acquired ";
                case MONITOR_ENTER, LOCK -> "holds ";
                default -> "used ";
            };
            String who = wakers.isEmpty() ? "no other thread" : "only " + DeadlockDetector.quoteList(
                    wakers.stream().map(model::threadName).toList());
            notes.add(who + (s.reason().isLockAcquisition() ? " " : " ever ") + what + res + ", which " + name
                    + " waits for");
            for (long k : wakers) {
                Operation last = null;
                for (Operation op : model.operations(s.resource())) {
                    if (op.threadId() == k && op.outcome() == Operation.Outcome.COMPLETED) {
                        last = op;
                    }
                }
                if (last != null) {
                    evidence.add(Evidence.of("\"" + model.threadName(k) + "\" last " + past(last.kind()) + " "
                            + res + " here", model.threadName(k), last.site(), last.stack()));
                }
            }
        }
    }

    private static String past(OperationKind kind) {
        return switch (kind) {
            case SEND -> "sent to";
            case RECEIVE -> "received from";
            case COUNT_DOWN -> "counted down";
            case RELEASE -> "released";
            case ACQUIRE -> "acquired";
            case ARRIVE, BARRIER_AWAIT -> "arrived at";
            case EXCHANGE -> "exchanged on";
            default -> "used";
        };
    }
}
