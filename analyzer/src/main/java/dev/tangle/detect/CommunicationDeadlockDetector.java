package dev.tangle.detect;

import dev.tangle.model.BlockReason;
import dev.tangle.model.ResourceKind;
import dev.tangle.model.Signal;
import dev.tangle.model.StateInterval;
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
 * <p>Channel, latch, barrier and future waits will join once the agent records them.
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
        notes.add(0, "no live thread could wake them: every thread that keeps the JVM alive is itself waiting"
                + (end.deadlocked.isEmpty() ? "" : " (some of them in a lock deadlock)")
                + ", so the program could never end by itself");
        details.put("notes", notes);
        String summary = "Communication deadlock: " + DeadlockDetector.quoteList(names)
                + (names.size() == 1 ? " waits" : " wait") + " for a signal, notify, unpark or thread end that no"
                + " live thread can send; the program hung.";
        findings.accept(new Finding(Finding.idFor(FindingType.COMMUNICATION_DEADLOCK, threads.toArray()),
                FindingType.COMMUNICATION_DEADLOCK, Severity.ERROR, summary, names,
                resources.stream().map(id -> ResourceRef.of(model.resource(id))).toList(), time, evidence,
                details));
    }
}
