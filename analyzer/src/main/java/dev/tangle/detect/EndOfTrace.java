package dev.tangle.detect;

import dev.tangle.graph.WaitForGraph;
import dev.tangle.model.BlockReason;
import dev.tangle.model.Hold;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who was stuck when the trace ended, shared by {@link CommunicationDeadlockDetector} and
 * {@link ThreadLeakDetector} so that a thread blocked for ever is reported once: as part of a communication
 * deadlock when the program hung (every thread that keeps the JVM alive is stuck), else as a leak.
 *
 * <p>A thread is <em>stuck</em> when it is in an untimed wait that no live thread can end: the greatest fixpoint
 * of "blocked on a lock whose holders are stuck or dead; joining a stuck thread; waiting for a notify, signal or
 * unpark while every other live thread that could send it is stuck". The JVM's own threads (those that existed
 * before recording began, except {@code main}, shutdown hooks, and the threads they start, such as the SIGTERM
 * handler) are not counted as possible wakers.
 */
final class EndOfTrace {
    /** Frames of the JDK's pools' idle wait: a worker parked here waits for a task, not for a peer. */
    private static final String[] POOL_CLASSES = {"java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool", "java.util.concurrent.ScheduledThreadPoolExecutor"};

    final TraceModel model;
    final Set<Long> deadlocked = new LinkedHashSet<>();
    final Set<Long> live = new LinkedHashSet<>();
    final Set<Long> stuck = new LinkedHashSet<>();
    final Map<Long, StateInterval> endState = new HashMap<>();
    final boolean hung;

    EndOfTrace(TraceModel model) {
        this.model = model;
        for (List<Long> cycle : WaitForGraph.atEnd(model).deadlocks()) {
            deadlocked.addAll(cycle);
        }
        for (ThreadInfo t : model.threads()) {
            if (t.aliveAtEnd() && t.beginTime() >= 0) {
                live.add(t.id());
                model.stateAtEnd(t.id()).ifPresent(s -> endState.put(t.id(), s));
            }
        }
        for (long t : live) {
            StateInterval s = endState.get(t);
            if (s != null && !s.timed() && (s.state() == ThreadState.WAITING || s.state() == ThreadState.BLOCKED)) {
                stuck.add(t);
            }
        }
        stuck.addAll(deadlocked);
        List<Hold> holds = model.holdsAtEnd();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (long t : new ArrayList<>(stuck)) {
                if (!deadlocked.contains(t) && canBeWoken(t, holds)) {
                    stuck.remove(t);
                    changed = true;
                }
            }
        }
        boolean anyKeepsAlive = false;
        boolean allStuck = true;
        for (long t : live) {
            if (keepsJvmAlive(t)) {
                anyKeepsAlive = true;
                allStuck &= stuck.contains(t) && !isIdlePoolWorker(t);
            }
        }
        hung = anyKeepsAlive && allStuck;
    }

    private boolean canBeWoken(long t, List<Hold> holds) {
        StateInterval s = endState.get(t);
        if (s.reason() == BlockReason.JOIN) {
            return !stuck.contains(s.resource()) || !live.contains(s.resource());
        }
        if (s.reason().isLockAcquisition()) {
            boolean anyHolder = false;
            for (Hold h : holds) {
                if (h.resourceId() == s.resource() && h.threadId() != t) {
                    anyHolder = true;
                    if (live.contains(h.threadId()) && !stuck.contains(h.threadId())) {
                        return true;
                    }
                }
            }
            return !anyHolder; // free: it is about to get it
        }
        for (long other : live) {
            if (other != t && !stuck.contains(other) && canWake(other)) {
                return true;
            }
        }
        return false;
    }

    /** Threads of the program (not the JVM's own, except main) can notify, signal and unpark. */
    private boolean canWake(long t) {
        return !isJvmThread(t, 0);
    }

    /**
     * The JVM's own threads: those that existed before recording began (except {@code main}: Signal Dispatcher,
     * DestroyJavaVM...), shutdown hooks, and any thread they started (the SIGTERM handler).
     */
    boolean isJvmThread(long t, int depth) {
        ThreadInfo info = model.thread(t).orElse(null);
        if (info == null || depth > 64) {
            return false;
        }
        if (info.preexisting()) {
            return !"main".equals(info.name());
        }
        return isShutdownHook(info) || (info.parentId() != 0 && info.parentId() != t
                && isJvmThread(info.parentId(), depth + 1));
    }

    /** A live non-daemon thread of the program (or main) that the JVM waits for before it exits. */
    boolean keepsJvmAlive(long t) {
        ThreadInfo info = model.thread(t).orElseThrow();
        return !info.daemon() && canWake(t) && !isShutdownHook(info);
    }

    boolean isShutdownHook(ThreadInfo info) {
        return stackMentions(info.creationStack(), "java.lang.ApplicationShutdownHooks");
    }

    /** A JDK pool's worker waiting for its next task (parked, created by the pool). */
    boolean isIdlePoolWorker(long t) {
        ThreadInfo info = model.thread(t).orElseThrow();
        StateInterval s = endState.get(t);
        return s != null && s.reason() == BlockReason.PARK && isPoolWorker(info);
    }

    static boolean isPoolWorker(ThreadInfo info) {
        for (String c : POOL_CLASSES) {
            if (stackMentions(info.creationStack(), c)) {
                return true;
            }
        }
        return false;
    }

    /** True when a frame's class is {@code className} or one of its nested classes. */
    static boolean stackMentions(CallStack stack, String className) {
        if (stack == null) {
            return false;
        }
        for (Frame f : stack.frames()) {
            if (f.className().equals(className) || f.className().startsWith(className + "$")) {
                return true;
            }
        }
        return false;
    }

    /** The thread's last wait's stack, or the last stack captured for an earlier wait at the same site. */
    Evidence waitEvidence(long t, String what) {
        StateInterval s = endState.get(t);
        CallStack stack = s.stack();
        if (stack == null) {
            List<StateInterval> all = model.states(t);
            for (int i = all.size() - 1; i >= 0 && stack == null; i--) {
                StateInterval earlier = all.get(i);
                if (earlier.reason() == s.reason() && earlier.resource() == s.resource() && earlier.stack() != null) {
                    stack = earlier.stack();
                }
            }
        }
        return Evidence.of(what, model.threadName(t), s.site(), stack);
    }

    /** "waits for a notify on Queue@1a2b (#4)", "is parked", "joins \"worker\""... */
    String describeWait(long t) {
        StateInterval s = endState.get(t);
        return switch (s.reason()) {
            case MONITOR_WAIT -> "waits (Object.wait) for a notify on " + label(s.resource());
            case CONDITION_AWAIT -> "awaits a signal on " + label(s.resource())
                    + (model.resource(s.resource()).ownerId() != 0 ? " of lock "
                    + label(model.resource(s.resource()).ownerId()) : "");
            case PARK -> "is parked" + (s.resource() != 0 ? " on " + label(s.resource()) : "");
            case JOIN -> "joins \"" + model.threadName(s.resource()) + "\", which never ends";
            case MONITOR_ENTER, LOCK -> "waits to acquire " + label(s.resource()) + ", held by "
                    + holders(s.resource());
            default -> "is " + s.state().name().toLowerCase();
        };
    }

    private String holders(long resource) {
        List<String> names = new ArrayList<>();
        for (Hold h : model.holdsAtEnd()) {
            if (h.resourceId() == resource) {
                ThreadInfo holder = model.thread(h.threadId()).orElse(null);
                names.add("\"" + model.threadName(h.threadId()) + "\""
                        + (holder != null && !holder.aliveAtEnd() ? " (ended without releasing it)" : ""));
            }
        }
        return names.isEmpty() ? "nobody" : String.join(", ", names);
    }

    String label(long resource) {
        return DeadlockDetector.label(model.resource(resource), null);
    }
}
