package dev.tangle.detect;

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
        LockOrderGraph.of(model).findInversions(cycle -> {
            Set<Long> locks = new HashSet<>();
            cycle.forEach(e -> locks.add(e.from()));
            if (deadlocked.stream().anyMatch(d -> d.containsAll(locks))) {
                return; // it did deadlock: reported as DEADLOCK
            }
            if (cycle.stream().anyMatch(e -> model.thread(e.threadId()).map(t -> t.lostEvents() > 0).orElse(true))) {
                return; // a thread that lost events may have released what the model thinks it holds
            }
            findings.accept(describe(model, cycle));
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

    private static Finding describe(TraceModel model, List<LockOrderEdge> cycle) {
        List<String> threads = new ArrayList<>();
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
        details.put("notes", List.of("no lock is held by every thread before the first lock of the cycle,"
                + " and thread start/join does not order these acquisitions",
                "fix: take the locks in one global order, or under one common lock"));
        String summary = "Potential deadlock: " + String.join(", ", orders)
                + "; if they run at the same moment, each waits for ever for a lock the other holds.";
        List<ResourceRef> resources = lockIds.stream().map(id -> ResourceRef.of(model.resource(id))).toList();
        long[] key = cycle.stream().mapToLong(LockOrderEdge::from).toArray();
        return new Finding(Finding.idFor(FindingType.POTENTIAL_DEADLOCK, key), FindingType.POTENTIAL_DEADLOCK,
                Severity.WARNING, summary, threads, resources, time, evidence, details);
    }
}
