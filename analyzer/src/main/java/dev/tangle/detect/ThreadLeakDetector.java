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
 * <p>Daemon threads, the JVM's own threads, shutdown hooks, threads in a lock deadlock (reported as
 * {@link FindingType#DEADLOCK}) and threads with lost events are not reported.
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
            if (!end.keepsJvmAlive(t) || info.preexisting() || end.deadlocked.contains(t)
                    || info.lostEvents() > 0 || inPartial.contains(t)
                    || (end.hung && end.stuck.contains(t) && !end.isIdlePoolWorker(t))) {
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
