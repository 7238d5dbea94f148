package dev.tangle.detect;

import dev.tangle.graph.WaitForGraph;
import dev.tangle.model.Hold;
import dev.tangle.model.Interrupt;
import dev.tangle.model.LockMode;
import dev.tangle.model.Resource;
import dev.tangle.model.ResourceKind;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link FindingType#DEADLOCK}: threads that, when the trace ended, were each blocked without a timeout on a
 * monitor or lock held by the next, round a cycle (the strongly connected components of
 * {@link WaitForGraph#deadlocks()}). Such a cycle, once formed, can only be broken by a timeout or an
 * interrupt: a cycle that a timed {@code tryLock} or an interrupt broke is no longer there at the end, and a
 * timed wait never makes an edge. So a deadlock that formed at any moment and persisted is found at the end.
 *
 * <p>Threads with lost events are left out: their holds may be wrong.
 */
public final class DeadlockDetector implements Detector {
    @Override
    public String id() {
        return "deadlock";
    }

    @Override
    public FindingType type() {
        return FindingType.DEADLOCK;
    }

    @Override
    public void detect(TraceModel model, Consumer<Finding> findings) {
        WaitForGraph graph = WaitForGraph.atEnd(model);
        List<Hold> holds = model.holdsAtEnd();
        for (List<Long> cycle : graph.deadlocks()) {
            if (cycle.stream().anyMatch(t -> model.thread(t).map(i -> i.lostEvents() > 0).orElse(true))) {
                continue;
            }
            findings.accept(describe(model, graph, holds, cycle));
        }
    }

    /** The threads of one deadlock, in cycle order, each blocked by the next. */
    static Finding describe(TraceModel model, WaitForGraph graph, List<Hold> holds, List<Long> cycle) {
        List<String> names = cycle.stream().map(model::threadName).toList();
        Set<Long> inCycle = new LinkedHashSet<>(cycle);
        List<Evidence> evidence = new ArrayList<>();
        Set<Long> requested = new LinkedHashSet<>();
        List<String> holdAndWait = new ArrayList<>();
        List<String> exclusive = new ArrayList<>();
        List<String> circle = new ArrayList<>();
        List<String> preemption = new ArrayList<>();
        long formed = 0;
        for (long t : cycle) {
            StateInterval wait = model.stateAtEnd(t).orElseThrow();
            Resource wanted = model.resource(wait.resource());
            requested.add(wanted.id());
            formed = Math.max(formed, wait.start());
            String name = model.threadName(t);
            List<String> heldHere = new ArrayList<>();
            for (Hold h : holds) {
                if (h.threadId() != t || !isWantedByCycle(model, inCycle, h.resourceId())) {
                    continue;
                }
                Resource r = model.resource(h.resourceId());
                formed = Math.max(formed, h.start());
                heldHere.add(label(r, h.mode()));
                evidence.add(Evidence.of("\"" + name + "\" " + (r.kind() == ResourceKind.CLASS_INIT
                        ? "runs " + label(r, h.mode()) + ", begun here" : "holds " + label(r, h.mode())
                        + ", acquired here"), name, h.site(), h.stack()));
            }
            evidence.add(Evidence.of("\"" + name + "\" waits for " + label(wanted, wait.mode()) + " here", name,
                    wait.site(), wait.stack()));
            holdAndWait.add("\"" + name + "\" holds " + String.join(" and ", heldHere) + " and waits for "
                    + label(wanted, wait.mode()));
            Set<Long> blockers = graph.blockers(t);
            String holders = blockers.stream().filter(inCycle::contains).map(b -> "\"" + model.threadName(b) + "\"")
                    .reduce((a, b) -> a + ", " + b).orElse("?");
            circle.add("\"" + name + "\" → " + wanted.simpleClassName() + " (#" + wanted.id() + ") held by "
                    + holders);
            exclusive.add(wanted.simpleClassName() + " (#" + wanted.id() + ") is " + exclusiveness(wanted, wait));
            for (Interrupt i : model.interrupts()) {
                if (i.target() == t && i.time() >= wait.start()) {
                    preemption.add("\"" + name + "\" was interrupted at " + i.time()
                            + " ns but stayed blocked (this kind of wait ignores interrupts)");
                }
            }
        }
        Map<String, Object> coffman = new LinkedHashMap<>();
        coffman.put("mutualExclusion", condition(String.join("; ", exclusive)));
        coffman.put("holdAndWait", condition(String.join("; ", holdAndWait)));
        String noPreemption = "every wait is untimed (synchronized, lock() or lockInterruptibly()) and none was"
                + " interrupted out of it" + (preemption.isEmpty() ? "" : "; " + String.join("; ", preemption));
        coffman.put("noPreemption", condition(noPreemption));
        coffman.put("circularWait", condition(String.join("; ", circle)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("formedAt", formed);
        details.put("coffman", coffman);
        List<String> behind = blockedBehind(model, holds, inCycle);
        if (!behind.isEmpty()) {
            details.put("notes", behind);
        }
        List<ResourceRef> resources = requested.stream().map(id -> ResourceRef.of(model.resource(id))).toList();
        boolean classInit = requested.stream().anyMatch(id -> model.resource(id).kind() == ResourceKind.CLASS_INIT);
        if (classInit) {
            String noTimeout = "a thread waiting for another thread's class initialisation cannot time out or be"
                    + " interrupted (the JVM shows it RUNNABLE)";
            coffman.put("noPreemption", condition(requested.stream().allMatch(id -> model.resource(id).kind()
                    == ResourceKind.CLASS_INIT) ? noTimeout : noPreemption + "; " + noTimeout));
        }
        String summary = classInit
                ? "Class-initialisation deadlock: " + quoteList(names) + " each initialise a class that the "
                        + (cycle.size() == 2 ? "other one" : "next one") + " needs before it can go on;"
                        + " none of them can ever continue."
                : cycle.size() == 1
                ? "Deadlock: thread \"" + names.get(0) + "\" waits to write-lock a lock it holds for reading,"
                        + " which can never be granted."
                : cycle.size() == 2
                ? "Deadlock: " + quoteList(names) + " each hold a lock the other one waits for; neither can ever"
                        + " continue."
                : "Deadlock: " + quoteList(names) + " each hold a lock the next one waits for, round a cycle;"
                        + " none of them can ever continue.";
        return new Finding(Finding.idFor(FindingType.DEADLOCK, cycle.toArray(), requested.toArray()),
                FindingType.DEADLOCK, Severity.ERROR, summary, names, resources, formed, evidence, details);
    }

    /** Other threads stuck because of the cycle: joining one of its threads, or waiting for a lock it holds. */
    private static List<String> blockedBehind(TraceModel model, List<Hold> holds, Set<Long> cycle) {
        List<String> notes = new ArrayList<>();
        for (dev.tangle.model.ThreadInfo info : model.threads()) {
            StateInterval s = info.aliveAtEnd() && !cycle.contains(info.id())
                    ? model.stateAtEnd(info.id()).orElse(null) : null;
            if (s == null || s.timed()) {
                continue;
            }
            if (s.reason() == dev.tangle.model.BlockReason.JOIN && cycle.contains(s.resource())) {
                notes.add("\"" + info.name() + "\" is stuck too: it joins \"" + model.threadName(s.resource())
                        + "\"");
            } else if (s.state() == ThreadState.BLOCKED && holds.stream().anyMatch(h -> h.resourceId()
                    == s.resource() && cycle.contains(h.threadId()))) {
                notes.add("\"" + info.name() + "\" is stuck too: it waits for "
                        + label(model.resource(s.resource()), s.mode()) + ", held by the cycle");
            }
        }
        return notes;
    }

    private static Map<String, Object> condition(String evidence) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("holds", true);
        c.put("evidence", evidence);
        return c;
    }

    private static boolean isWantedByCycle(TraceModel model, Set<Long> cycle, long resource) {
        for (long t : cycle) {
            StateInterval s = model.stateAtEnd(t).orElse(null);
            if (s != null && s.state() == ThreadState.BLOCKED && s.resource() == resource) {
                return true;
            }
        }
        return false;
    }

    private static String exclusiveness(Resource r, StateInterval wait) {
        return switch (r.kind()) {
            case MONITOR -> "a monitor: one thread at a time";
            case CLASS_INIT -> "a class's initialisation: one thread runs it, every other thread that uses the"
                    + " class waits until it ends";
            case READ_WRITE_LOCK -> "a read-write lock, asked for in " + (wait.mode() == null ? "exclusive"
                    : wait.mode().name().toLowerCase()) + " mode, which a holder in another mode excludes";
            default -> "an exclusive lock: one thread at a time";
        };
    }

    static String label(Resource r, LockMode mode) {
        if (r.kind() == ResourceKind.CLASS_INIT) {
            return "the initialisation of class " + r.className() + " (#" + r.id() + ")";
        }
        String base = r.simpleClassName() + "@" + Integer.toHexString(r.identityHash()) + " (#" + r.id() + ")";
        return mode == null || mode == LockMode.EXCLUSIVE ? base : base + " [" + mode.name().toLowerCase() + "]";
    }

    static String quoteList(List<String> names) {
        List<String> q = names.stream().map(n -> "\"" + n + "\"").toList();
        if (q.isEmpty()) {
            return "none"; // a pool whose workers the trace never showed (found by fuzzing)
        }
        if (q.size() == 1) {
            return q.get(0);
        }
        return String.join(", ", q.subList(0, q.size() - 1)) + " and " + q.get(q.size() - 1);
    }
}
