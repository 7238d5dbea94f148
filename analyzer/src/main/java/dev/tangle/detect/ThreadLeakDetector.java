package dev.tangle.detect;

import dev.tangle.model.BlockReason;
import dev.tangle.model.Operation;
import dev.tangle.model.OperationKind;
import dev.tangle.model.Pool;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link FindingType#THREAD_LEAK}: threads of the program that were still alive when the trace ended, were not
 * daemons (so they keep the JVM from exiting by itself), and did not make it hang (then they are a
 * {@link FindingType#COMMUNICATION_DEADLOCK}): pool workers of an executor nobody shut down, a worker
 * blocked for ever while the program went on to {@code System.exit}. One finding per place where such threads
 * were started (a pool's workers together: by pool when the trace records pools, else by name), with the
 * creation stack, and for a pool where it was created. A thread blocked for ever on a channel receive that no
 * live thread sends to is Go's goroutine leak.
 *
 * <p>A daemon is reported only when it is stuck for good (a <em>stuck daemon</em>, one finding per thread): in an
 * untimed wait that the trace shows nothing alive can end ({@link EndOfTrace#orphaned}): a consumer whose only
 * producer died of an exception, a latch whose every counter has ended, a lost wake-up whose sender has ended,
 * a lock whose holder ended without releasing it. Idle daemons (a worker on a queue live threads still feed, or
 * whose producers ended with the program), the JVM's own threads, shutdown hooks, threads in a lock deadlock
 * (reported as {@link FindingType#DEADLOCK}) and threads with lost events are not reported.
 */
public final class ThreadLeakDetector implements Detector {
    @Override
    public String id() {
        return "thread-leak";
    }

    @Override
    public FindingType type() {
        return FindingType.THREAD_LEAK;
    }

    @Override
    public void detect(TraceModel model, Consumer<Finding> findings) {
        EndOfTrace end = new EndOfTrace(model);
        Map<Object, List<ThreadInfo>> bySite = new LinkedHashMap<>();
        java.util.Set<Long> inPartial = new java.util.HashSet<>();
        end.partial.forEach(inPartial::addAll);
        for (long t : end.live) {
            ThreadInfo info = model.thread(t).orElseThrow();
            if (info.preexisting() || end.deadlocked.contains(t) || info.lostEvents() > 0 || inPartial.contains(t)
                    || (end.hung && end.stuck.contains(t) && !end.isIdlePoolWorker(t))) {
                continue;
            }
            if (!end.keepsJvmAlive(t)) {
                EndOfTrace.Orphan orphan = info.daemon() ? end.orphaned(t) : null;
                if (orphan != null) {
                    findings.accept(describeStuckDaemon(model, end, info, orphan));
                }
                continue;
            }
            Pool pool = model.poolOf(t).orElse(null);
            if (pool != null && pool.shutDown() && end.isIdlePoolWorker(t)) {
                continue; // shut down: its idle workers are on their way out
            }
            // a pool's workers together (by pool, else pool-1-thread-1, -2... by name), others by where started
            Object key = pool != null ? pool : EndOfTrace.isPoolWorker(info) ? info.name().replaceAll("\\d+$", "")
                    : info.startSite();
            bySite.computeIfAbsent(key == null ? info.name() : key, s -> new ArrayList<>()).add(info);
        }
        bySite.forEach((site, threads) -> findings.accept(describe(model, end, threads)));
    }

    private static Finding describe(TraceModel model, EndOfTrace end, List<ThreadInfo> threads) {
        List<String> names = threads.stream().map(ThreadInfo::name).toList();
        ThreadInfo first = threads.get(0);
        Pool recorded = model.poolOf(first.id()).orElse(null);
        boolean pool = recorded != null || EndOfTrace.isPoolWorker(first);
        List<Evidence> evidence = new ArrayList<>();
        if (recorded != null && recorded.createTime() >= 0 && !recorded.shutDown()) {
            evidence.add(Evidence.of("the pool " + end.label(recorded.id()) + " was created here, and never shut"
                    + " down", model.threadName(recorded.creator()), recorded.creationSite(),
                    recorded.creationStack()));
        }
        if (first.startSite() != null || first.creationStack() != null || recorded == null) {
            evidence.add(Evidence.of((threads.size() == 1 ? "\"" + first.name() + "\" was" : threads.size()
                    + " threads were") + " started here", model.threadName(first.parentId()), first.startSite(),
                    first.creationStack()));
        }
        List<String> notes = new ArrayList<>();
        List<Object> states = new ArrayList<>();
        long time = model.endTime();
        for (ThreadInfo t : threads) {
            StateInterval s = end.endState.get(t.id());
            String doing = s == null ? "running" : s.state() == ThreadState.RUNNING ? "running"
                    : end.describeWait(t.id());
            if (s != null && s.state() != ThreadState.RUNNING) {
                evidence.add(end.waitEvidence(t.id(), "\"" + t.name() + "\" " + doing + " at the end, here"));
                time = Math.min(time, s.start());
            }
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("thread", t.name());
            st.put("atEnd", doing);
            st.put("stuck", end.stuck.contains(t.id()));
            states.add(st);
            if (s != null && s.reason() == BlockReason.CHANNEL_RECEIVE && !s.timed()) {
                String leak = goroutineLeak(model, end, t, s);
                if (leak != null) {
                    notes.add(leak);
                }
            }
            EndOfTrace.Orphan orphan = end.orphaned(t.id());
            if (orphan != null) {
                notes.add("nothing alive can wake \"" + t.name() + "\": " + orphan.why());
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("threads", states);
        notes.add(recorded != null && recorded.shutDown() ? "the pool was shut down ("
                + recorded.shutdownHow() + "), but its workers are still in their tasks: make sure the tasks can end"
                : pool ? "the pool's workers wait for tasks for ever: call shutdown() on the"
                + " executor when it is no longer needed (or make its threads daemons)"
                : "a non-daemon thread keeps the JVM alive until it ends: make sure it can end, or make it a daemon");
        details.put("notes", notes);
        String summary = (threads.size() == 1 ? "Thread leak: \"" + first.name() + "\" was" : "Thread leak: "
                + threads.size() + " threads (" + DeadlockDetector.quoteList(names) + ") were")
                + " still alive at the end, not daemon" + (recorded != null && recorded.shutDown()
                ? ": workers of an executor that was shut down, in tasks that never ended."
                : pool ? ": an executor's pool that was never shut down."
                : ", keeping the JVM from exiting by itself.");
        return new Finding(Finding.idFor(FindingType.THREAD_LEAK, names.toArray()), FindingType.THREAD_LEAK,
                Severity.WARNING, summary, names, recorded == null ? List.of()
                : List.of(ResourceRef.of(model.resource(recorded.id()))), time, evidence, details);
    }

    /**
     * A daemon (it does not keep the JVM alive) blocked for ever in a wait that nothing alive can end: its threads are
     * the daemon, then the ended threads that served what it waits for.
     */
    private static Finding describeStuckDaemon(TraceModel model, EndOfTrace end, ThreadInfo t, EndOfTrace.Orphan orphan) {
        StateInterval s = end.endState.get(t.id());
        String doing = end.describeWait(t.id());
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(end.waitEvidence(t.id(), "\"" + t.name() + "\" " + doing + " at the end, here"));
        if (orphan.signal() != null) {
            evidence.add(Evidence.of("the wake-up it waits for was sent here, before it began to wait",
                    model.threadName(orphan.signal().threadId()), orphan.signal().site(), orphan.signal().stack()));
        }
        for (long k : orphan.servers()) {
            ThreadInfo server = model.thread(k).orElseThrow();
            Operation last = null;
            for (Operation op : model.operations(s.resource())) {
                if (op.threadId() == k && op.outcome() == Operation.Outcome.COMPLETED) {
                    last = op;
                }
            }
            if (last != null) {
                evidence.add(Evidence.of("\"" + server.name() + "\" last served it here, then "
                        + (server.uncaught() != null ? "died of " + server.uncaught() : "ended"), server.name(),
                        last.site(), last.stack()));
            }
        }
        if (t.startSite() != null || t.creationStack() != null) {
            evidence.add(Evidence.of("\"" + t.name() + "\" was started here, as a daemon", model.threadName(t.parentId()),
                    t.startSite(), t.creationStack()));
        }
        List<String> names = new ArrayList<>();
        names.add(t.name());
        orphan.servers().stream().map(model::threadName).filter(n -> !names.contains(n)).forEach(names::add);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("thread", t.name());
        state.put("atEnd", doing);
        state.put("stuck", true);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("threads", List.of(state));
        details.put("daemon", true);
        details.put("notes", List.of("nothing alive can wake \"" + t.name() + "\": " + orphan.why(),
                "a daemon does not keep the JVM from exiting, so nothing hangs, but the work it waits for will never"
                        + " come: make sure whoever serves it cannot end without doing so (count down or send a"
                        + " poison pill in a finally block, notify under a condition the waiter checks)"));
        String summary = "Stuck daemon: \"" + t.name() + "\" " + doing + ", and nothing alive can wake it: "
                + orphan.why() + ".";
        List<ResourceRef> resources = s.reason().resourceIsThread() || s.resource() == 0 ? List.of()
                : List.of(ResourceRef.of(model.resource(s.resource())));
        return new Finding(Finding.idFor(FindingType.THREAD_LEAK, "daemon", t.name(), s.resource()),
                FindingType.THREAD_LEAK, Severity.WARNING, summary, names, resources, s.start(), evidence, details);
    }

    /**
     * A receive nobody is left to serve (Go's goroutine leak): nothing was ever sent to the queue, or every thread
     * that sent has ended or is stuck. Null when a sender is still active.
     */
    private static String goroutineLeak(TraceModel model, EndOfTrace end, ThreadInfo t, StateInterval s) {
        java.util.Set<String> senders = new java.util.LinkedHashSet<>();
        for (Operation op : model.operations(s.resource(), OperationKind.SEND)) {
            if (op.outcome() == Operation.Outcome.COMPLETED && op.threadId() != t.id()) {
                if (end.live.contains(op.threadId()) && !end.stuck.contains(op.threadId())) {
                    return null;
                }
                senders.add(model.threadName(op.threadId()));
            }
        }
        return "\"" + t.name() + "\" waits to receive from " + end.label(s.resource()) + ", which "
                + (senders.isEmpty() ? "nothing ever sent to" : "only " + DeadlockDetector.quoteList(List.copyOf(
                senders)) + " sent to, and none of them can send again")
                + ": it is blocked for ever (a goroutine leak)";
    }
}
