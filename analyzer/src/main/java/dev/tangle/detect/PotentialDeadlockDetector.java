package dev.tangle.detect;

import dev.tangle.graph.Inversion;
import dev.tangle.graph.LockOrderGraph;
import dev.tangle.graph.WaitForGraph;
import dev.tangle.model.LockOrderEdge;
import dev.tangle.model.Resource;
import dev.tangle.model.StateInterval;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link FindingType#POTENTIAL_DEADLOCK}: a lock-order inversion that did not hang this run but can hang
 * another: a cycle in the {@link LockOrderGraph} made by different threads, with conflicting modes, no common
 * gate lock, and no happens-before order between its edges through thread start and join (see
 * {@link LockOrderGraph#findInversions}). A cycle whose locks actually deadlocked is left to
 * {@link DeadlockDetector}. Only untimed acquisitions make edges: a {@code tryLock} never waits for ever.
 *
 * <p>An inversion whose orders this run kept apart (one thread took both, or thread start/join ordered them:
 * {@link LockOrderGraph#findAllInversions}) is reported with severity {@link Severity#NOTE} and
 * {@code details.orderedBy} ({@code start}, {@code join}, {@code sameThread}): it cannot hang as this program
 * ran, but the same paths deadlock where they overlap. Gate locks rule it out as they rule out the others.
 */
public final class PotentialDeadlockDetector implements Detector {
    @Override
    public String id() {
        return "potential-deadlock";
    }

    @Override
    public FindingType type() {
        return FindingType.POTENTIAL_DEADLOCK;
    }

    @Override
    public void detect(TraceModel model, Consumer<Finding> findings) {
        Set<Set<Long>> deadlocked = deadlockedLockSets(model);
        LockOrderGraph.of(model).findAllInversions(inversion -> {
            List<LockOrderEdge> cycle = inversion.edges();
            Set<Long> locks = new HashSet<>();
            cycle.forEach(e -> locks.add(e.from()));
            if (deadlocked.stream().anyMatch(d -> d.containsAll(locks))) {
                return; // it did deadlock: reported as DEADLOCK
            }
            if (cycle.stream().anyMatch(e -> model.thread(e.threadId()).map(t -> t.lostEvents() > 0).orElse(true))) {
                return; // a thread that lost events may have released what the model thinks it holds
            }
            findings.accept(describe(model, inversion));
        });
    }

    private static Set<Set<Long>> deadlockedLockSets(TraceModel model) {
        Set<Set<Long>> sets = new HashSet<>();
        for (List<Long> cycle : WaitForGraph.atEnd(model).deadlocks()) {
            Set<Long> locks = new HashSet<>();
            for (long t : cycle) {
                model.stateAtEnd(t).map(StateInterval::resource).ifPresent(locks::add);
            }
            sets.add(locks);
        }
        return sets;
    }

    private static Finding describe(TraceModel model, Inversion inversion) {
        List<LockOrderEdge> cycle = inversion.edges();
        Set<String> threads = new LinkedHashSet<>();
        Set<Long> lockIds = new LinkedHashSet<>();
        List<Evidence> evidence = new ArrayList<>();
        List<Object> steps = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        long time = 0;
        for (LockOrderEdge e : cycle) {
            String name = model.threadName(e.threadId());
            threads.add(name);
            lockIds.add(e.from());
            Resource from = model.resource(e.from());
            Resource to = model.resource(e.to());
            String fromLabel = DeadlockDetector.label(from, e.fromMode());
            String toLabel = DeadlockDetector.label(to, e.toMode());
            time = Math.max(time, e.firstFromTime());
            evidence.add(Evidence.of("\"" + name + "\" takes " + fromLabel + " here", name, e.fromSite(),
                    e.fromStack()));
            evidence.add(Evidence.of("then, still holding it, asks for " + toLabel + " here", name, e.toSite(),
                    e.toStack()));
            orders.add("\"" + name + "\" takes " + from.simpleClassName() + " (#" + from.id() + ") then "
                    + to.simpleClassName() + " (#" + to.id() + ")");
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("thread", name);
            step.put("holds", fromLabel);
            step.put("asksFor", toLabel);
            step.put("times", e.count());
            steps.add(step);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cycle", steps);
        details.put("gateLocks", List.of());
        String summary;
        List<String> notes = new ArrayList<>();
        if (inversion.isOrdered()) {
            String apart = apart(model, inversion);
            details.put("orderedBy", inversion.ordered().detail());
            summary = "Lock-order inversion that this run kept apart: " + String.join(", ", orders) + "; " + apart
                    + ", but where these paths run at the same time, each can take its first lock and wait for ever"
                    + " for the other's.";
            notes.add(apart + ", so it could not hang in this run; two threads running these paths at once"
                    + " (two callers, tests run in parallel, a later refactoring) can each hold one lock and wait for"
                    + " ever for the other");
            notes.add("no lock is held by every order before the first lock of the cycle");
        } else {
            summary = "Potential deadlock: " + String.join(", ", orders)
                    + "; if they run at the same moment, each waits for ever for a lock the other holds.";
            notes.add("no lock is held by every thread before the first lock of the cycle,"
                    + " and thread start/join does not order these acquisitions");
        }
        notes.add("fix: take the locks in one global order, or under one common lock");
        details.put("notes", notes);
        List<ResourceRef> resources = lockIds.stream().map(id -> ResourceRef.of(model.resource(id))).toList();
        long[] key = cycle.stream().mapToLong(LockOrderEdge::from).toArray();
        return new Finding(Finding.idFor(FindingType.POTENTIAL_DEADLOCK, key), FindingType.POTENTIAL_DEADLOCK,
                inversion.isOrdered() ? Severity.NOTE : Severity.WARNING, summary, List.copyOf(threads), resources,
                time, evidence, details);
    }

    /** Why the orders of an ordered inversion never overlapped: which thread, start or join kept them apart. */
    private static String apart(TraceModel model, Inversion inversion) {
        List<LockOrderEdge> cycle = inversion.edges();
        if (inversion.ordered() == Inversion.Order.SAME_THREAD) {
            for (int i = 0; i < cycle.size(); i++) {
                for (int j = i + 1; j < cycle.size(); j++) {
                    if (cycle.get(i).threadId() == cycle.get(j).threadId()) {
                        return "\"" + model.threadName(cycle.get(i).threadId()) + "\" took both orders itself, one"
                                + " after the other";
                    }
                }
            }
        }
        for (LockOrderEdge a : cycle) {
            for (LockOrderEdge b : cycle) {
                if (a != b && model.happensBefore(a.threadId(), a.lastToTime(), b.threadId(), b.firstFromTime())) {
                    String first = "\"" + model.threadName(a.threadId()) + "\"";
                    String second = "\"" + model.threadName(b.threadId()) + "\"";
                    return inversion.ordered() == Inversion.Order.JOIN
                            ? first + " had ended and was joined before " + second + " took its locks"
                            : second + " was started only after " + first + " had taken its locks";
                }
            }
        }
        return "thread start and join ordered the two orders";
    }
}
