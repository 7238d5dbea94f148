package dev.tangle.detect;

import dev.tangle.graph.WaitForGraph;
import dev.tangle.model.BlockReason;
import dev.tangle.model.Hold;
import dev.tangle.model.Operation;
import dev.tangle.model.OperationKind;
import dev.tangle.model.Pool;
import dev.tangle.model.Resource;
import dev.tangle.model.StateInterval;
import dev.tangle.model.TaskRun;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.GabowStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

import java.util.ArrayList;
import java.util.Comparator;
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
 *
 * <p>Channel, exchanger, latch, semaphore and barrier waits count as waiting for a signal (any live thread of the
 * program could send, count down, release or arrive). A {@code Future.get} of a task a pool ran or queued is
 * bounded: only the worker running it, or (queued in a pool that cannot grow) the pool's workers, can complete
 * it, which finds a pool's self-deadlock. A pool worker idle in its pool is not stuck, but can only wake anyone
 * if some thread could still give it work.
 *
 * <p>When the program did not hang, {@link #partial} holds the partial communication deadlocks Go misses: cycles
 * of threads each waiting (untimed) on a channel, latch, semaphore, barrier, exchanger, future or join that only
 * threads of the cycle ever served (sent to it, counted it down, released it...), while other threads went on.
 * A wait's possible wakers are then the threads that did the complementary operation on the same resource during
 * the trace, except threads waiting on the same resource (a receiver cannot send while it waits).
 */
final class EndOfTrace {
    /** Frames of the JDK's pools' idle wait: a worker parked here waits for a task, not for a peer. */
    private static final String[] POOL_CLASSES = {"java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool", "java.util.concurrent.ScheduledThreadPoolExecutor"};
    /** Threads the JVM makes itself; in an attach snapshot every thread is preexisting, these stay the JVM's. */
    private static final Set<String> JVM_THREAD_NAMES = Set.of("Reference Handler", "Finalizer",
            "Signal Dispatcher", "Attach Listener", "Common-Cleaner", "Notification Thread", "Service Thread",
            "DestroyJavaVM", "process reaper");

    final TraceModel model;
    final Set<Long> deadlocked = new LinkedHashSet<>();
    final Set<Long> live = new LinkedHashSet<>();
    final Set<Long> stuck = new LinkedHashSet<>();
    final Map<Long, StateInterval> endState = new HashMap<>();
    final boolean hung;
    /** When the program did not hang: cycles of threads that only each other could wake (see the class doc). */
    final List<List<Long>> partial = new ArrayList<>();
    /** The possible wakers found for each thread of {@link #partial} (and for bounded future waits). */
    final Map<Long, Set<Long>> wakers = new HashMap<>();
    /** Per live thread, computed once: idle in a pool; a thread of the program (could wake others). */
    private final Set<Long> idle = new java.util.HashSet<>();
    private final Set<Long> program = new java.util.HashSet<>();
    /** Live idle workers whose pool has work without anyone submitting (queued tasks, scheduled tasks). */
    private final Set<Long> idleWithWork = new java.util.HashSet<>();
    /** Live threads of the program, not stuck and not idle, as of the start of the current fixpoint pass. */
    private int active;
    private int awakePrograms;

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
        Set<Long> poolsWithWork = new java.util.HashSet<>();
        for (Pool p : model.pools()) {
            if (p.className().contains("Scheduled")
                    || model.tasksOf(p.id()).stream().anyMatch(TaskRun::queuedAtEnd)) {
                poolsWithWork.add(p.id());
            }
        }
        for (long t : live) {
            if (computeIdle(t)) {
                idle.add(t);
                if (model.poolOf(t).map(p -> poolsWithWork.contains(p.id())).orElse(false)) {
                    idleWithWork.add(t);
                }
            }
            if (!isJvmThread(t, 0)) {
                program.add(t);
            }
        }
        List<Long> candidates = new ArrayList<>();
        for (long t : live) {
            StateInterval s = endState.get(t);
            if (s != null && !s.timed() && (s.state() == ThreadState.WAITING || s.state() == ThreadState.BLOCKED)) {
                candidates.add(t);
            }
        }
        stuck.addAll(candidates);
        stuck.addAll(deadlocked);
        List<Hold> holds = model.holdsAtEnd();
        Map<Long, Set<Long>> bounded = new HashMap<>();
        for (long t : candidates) {
            Set<Long> k = futureWakers(t);
            if (k != null) {
                bounded.put(t, k);
                wakers.put(t, k);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            count();
            for (long t : new ArrayList<>(stuck)) {
                if (!deadlocked.contains(t) && canBeWoken(t, holds, bounded.get(t))) {
                    stuck.remove(t);
                    changed = true;
                }
            }
        }
        boolean anyKeepsAlive = false;
        boolean anyStuck = false;
        boolean allStuck = true;
        for (long t : live) {
            if (keepsJvmAlive(t)) {
                anyKeepsAlive = true;
                boolean idle = isIdlePoolWorker(t);
                allStuck &= stuck.contains(t) || (idle && !idleCanWork(t));
                anyStuck |= stuck.contains(t) && !idle;
            }
        }
        count();
        hung = anyKeepsAlive && allStuck && anyStuck;
        if (!hung) {
            findPartial(candidates, holds);
        }
    }

    private boolean canBeWoken(long t, List<Hold> holds, Set<Long> bounded) {
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
        if (bounded != null) {
            return bounded.stream().anyMatch(this::awake);
        }
        return awakePrograms > 0; // t itself is stuck, so not among them
    }

    /** Counts, for the fixpoint's current pass, the active and the awake threads of the program. */
    private void count() {
        active = 0;
        for (long t : program) {
            if (!stuck.contains(t) && !idle.contains(t)) {
                active++;
            }
        }
        awakePrograms = 0;
        for (long t : program) {
            if (awake(t)) {
                awakePrograms++;
            }
        }
    }

    /** Live, not stuck, and if idle in a pool, with some chance of getting work. */
    private boolean awake(long t) {
        return live.contains(t) && !stuck.contains(t) && (!idle.contains(t) || idleCanWork(t));
    }

    /**
     * An idle worker can run a task only if one is queued in its pool, its pool schedules tasks itself, or some
     * other thread of the program is still active (it could submit one).
     */
    boolean idleCanWork(long t) {
        return idleWithWork.contains(t) || active > 0;
    }

    /**
     * Who can complete the future {@code t} waits for, when the trace says: the worker running its task, or the
     * workers of the pool where it is still queued when the pool cannot start more (nobody when it was shut down
     * with {@code shutdownNow}, which drops queued tasks). Null when anyone might (a {@code CompletableFuture},
     * a pool that can grow, a task the trace did not see).
     */
    private Set<Long> futureWakers(long t) {
        StateInterval s = endState.get(t);
        if (s.reason() != BlockReason.FUTURE_GET) {
            return null;
        }
        List<TaskRun> runs = model.taskRuns(s.resource());
        if (runs.isEmpty()) {
            return null;
        }
        TaskRun run = runs.get(runs.size() - 1);
        if (run.runningAtEnd()) {
            return Set.of(run.worker());
        }
        if (!run.queuedAtEnd()) {
            return null;
        }
        Pool pool = model.pool(run.poolId()).orElse(null);
        if (pool == null) {
            return null;
        }
        if ("shutdownNow".equals(pool.shutdownHow())) {
            return Set.of();
        }
        boolean canGrow = pool.maxSize() <= 0 || pool.workers().size() < pool.maxSize()
                || pool.className().contains("ForkJoinPool"); // ForkJoinPool compensates blocked workers
        return canGrow ? null : new LinkedHashSet<>(pool.workers());
    }

    // ---- partial communication deadlocks

    private void findPartial(List<Long> candidates, List<Hold> holds) {
        Map<Long, Set<Long>> bounded = new HashMap<>();
        for (long t : candidates) {
            if (deadlocked.contains(t) || lost(t)) {
                continue;
            }
            Set<Long> k = historyWakers(t, holds);
            if (k != null) {
                bounded.put(t, k);
            }
        }
        Set<Long> p = new LinkedHashSet<>(bounded.keySet());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (long t : new ArrayList<>(p)) {
                for (long k : bounded.get(t)) {
                    boolean kStuck = p.contains(k) || deadlocked.contains(k) || stuck.contains(k);
                    if (live.contains(k) && !kStuck && (!idle.contains(k) || idleCanWork(k))) {
                        p.remove(t);
                        changed = true;
                        break;
                    }
                }
            }
        }
        Graph<Long, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
        for (long t : p) {
            g.addVertex(t);
        }
        for (long t : p) {
            for (long k : bounded.get(t)) {
                if (p.contains(k)) {
                    g.addEdge(t, k);
                }
            }
        }
        for (Set<Long> component : new GabowStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
            long first = component.stream().min(Comparator.naturalOrder()).orElseThrow();
            if (component.size() == 1 && !g.containsEdge(first, first)) {
                continue;
            }
            // a cycle of lock waits alone is a DEADLOCK; a channel, synchronizer or future must be part of it
            if (component.stream().allMatch(t -> endState.get(t).reason().isLockAcquisition())) {
                continue;
            }
            List<Long> cycle = component.stream().sorted().toList();
            cycle.forEach(t -> wakers.put(t, bounded.get(t)));
            partial.add(cycle);
        }
        partial.sort(Comparator.comparing(c -> c.get(0)));
    }

    private boolean lost(long t) {
        return model.thread(t).map(i -> i.lostEvents() > 0).orElse(true);
    }

    /**
     * The threads that could end {@code t}'s wait, by what the trace shows them doing: for a receive, those that
     * sent to the queue; for a send, those that received; for a latch, those that counted it down; for a
     * semaphore, those that released or acquired it; for a barrier or exchanger, the other parties; for a join
     * the joined thread; for a lock its holders. Threads waiting on the same resource are left out. Null when any
     * thread could (wait, await, park, a future nobody's task completes...).
     */
    private Set<Long> historyWakers(long t, List<Hold> holds) {
        StateInterval s = endState.get(t);
        Set<Long> result = new LinkedHashSet<>();
        switch (s.reason()) {
            case JOIN -> result.add(s.resource());
            case MONITOR_ENTER, LOCK -> {
                for (Hold h : holds) {
                    if (h.resourceId() == s.resource() && h.threadId() != t) {
                        result.add(h.threadId());
                    }
                }
                if (result.isEmpty()) {
                    return null;
                }
            }
            case CHANNEL_RECEIVE -> result.addAll(doers(s.resource(), OperationKind.SEND));
            case CHANNEL_SEND -> result.addAll(doers(s.resource(), OperationKind.RECEIVE));
            case EXCHANGE -> result.addAll(doers(s.resource(), OperationKind.EXCHANGE));
            case LATCH_AWAIT -> result.addAll(doers(s.resource(), OperationKind.COUNT_DOWN));
            case SEMAPHORE_ACQUIRE -> {
                result.addAll(doers(s.resource(), OperationKind.RELEASE));
                result.addAll(doers(s.resource(), OperationKind.ACQUIRE));
            }
            case BARRIER_AWAIT -> {
                result.addAll(doers(s.resource(), OperationKind.BARRIER_AWAIT));
                result.addAll(doers(s.resource(), OperationKind.ARRIVE));
                result.addAll(doers(s.resource(), OperationKind.REGISTER));
            }
            case FUTURE_GET -> {
                Set<Long> k = futureWakers(t);
                if (k == null) {
                    return null;
                }
                result.addAll(k);
            }
            case POOL_AWAIT_TERMINATION -> {
                Pool pool = model.pool(s.resource()).orElse(null);
                if (pool == null || !pool.shutDown()) {
                    return null; // anyone may still shut it down
                }
                model.tasksOf(pool.id()).stream().filter(TaskRun::runningAtEnd).forEach(r -> result.add(r.worker()));
                if (result.isEmpty()) {
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
        if (s.reason() != BlockReason.FUTURE_GET) {
            result.remove(t);
        }
        if (!s.reason().resourceIsThread()) {
            result.removeIf(o -> o != t && endState.containsKey(o) && endState.get(o).reason() == s.reason()
                    && endState.get(o).resource() == s.resource() && !endState.get(o).reason().isLockAcquisition());
        }
        return result;
    }

    /** The threads that did {@code kind} on the resource, successfully. */
    private Set<Long> doers(long resource, OperationKind kind) {
        Set<Long> threads = new LinkedHashSet<>();
        for (Operation op : model.operations(resource)) {
            if (op.kind() == kind && op.outcome() == Operation.Outcome.COMPLETED) {
                threads.add(op.threadId());
            }
        }
        return threads;
    }

    // ---- orphaned waits: nothing alive can ever end them

    /**
     * Why nothing alive can ever end {@code t}'s wait, when the trace shows it for sure, with the ended threads
     * that once served the resource (they also name the finding); see {@link #orphaned(long)}.
     *
     * @param why     the sentence: "its only producer "p" died of java.lang.IllegalStateException"...
     * @param servers the threads that served the resource and have ended, in order of their ends
     * @param signal  for a lost wake-up, the signal that came before the wait, else null
     */
    record Orphan(String why, List<Long> servers, dev.tangle.model.Signal signal) {
    }

    /**
     * The wait {@code t} (daemon or not) was in at the end, when the trace shows that nothing alive can end it;
     * null otherwise (precision first: an idle daemon worker on a queue that live threads still feed, or whose
     * producers simply ended with the program, is not orphaned). Orphaned, for an untimed wait of a thread of the
     * program, not in the JDK's own code:
     *
     * <ul>
     *   <li>a lock or monitor request whose every holder has ended (a {@code Lock} never unlocked);
     *   <li>a latch await: some threads counted it down and every one of them has ended (nothing can count it down
     *       any more);
     *   <li>a receive, send, exchange, semaphore or barrier wait: every thread that ever served the resource has
     *       ended, and one of them died of an exception (a consumer whose only producer died);
     *   <li>a {@code wait} or {@code await} that is the thread's first on that monitor or condition, whose last
     *       notify or signal came before it began, found nobody waiting (it was lost), and was sent by a thread that
     *       has ended since (a lost wake-up with nothing after it).
     * </ul>
     */
    Orphan orphaned(long t) {
        StateInterval s = endState.get(t);
        if (s == null || s.timed() || !live.contains(t) || deadlocked.contains(t) || lost(t) || idle.contains(t)
                || isJvmThread(t, 0) || inJdkCode(s.site())
                || (s.state() != ThreadState.WAITING && s.state() != ThreadState.BLOCKED)) {
            return null;
        }
        String res = s.reason().resourceIsThread() ? "" : label(s.resource());
        switch (s.reason()) {
            case MONITOR_ENTER, LOCK -> {
                List<Long> holders = new ArrayList<>();
                for (Hold h : model.holdsAtEnd()) {
                    if (h.resourceId() == s.resource() && h.threadId() != t) {
                        if (live.contains(h.threadId())) {
                            return null;
                        }
                        holders.add(h.threadId());
                    }
                }
                return holders.isEmpty() ? null : new Orphan(quoted(holders) + (holders.size() == 1 ? " holds " : " hold ")
                        + res + " but ended without releasing it", holders, null);
            }
            case LATCH_AWAIT -> {
                List<Long> servers = endedServers(t, s);
                return servers == null ? null : new Orphan("only " + quoted(servers) + " ever counted down " + res
                        + ", and " + (servers.size() == 1 ? "it has" : "they have") + " ended: nothing can count it"
                        + " down any more", servers, null);
            }
            case CHANNEL_RECEIVE, CHANNEL_SEND, EXCHANGE, SEMAPHORE_ACQUIRE, BARRIER_AWAIT -> {
                List<Long> servers = endedServers(t, s);
                if (servers == null) {
                    return null;
                }
                ThreadInfo died = servers.stream().map(k -> model.thread(k).orElseThrow())
                        .filter(i -> i.uncaught() != null).findFirst().orElse(null);
                if (died == null) {
                    return null; // they ended with the program: nothing says more work was due
                }
                String role = switch (s.reason()) {
                    case CHANNEL_RECEIVE -> "sent to ";
                    case CHANNEL_SEND -> "received from ";
                    case SEMAPHORE_ACQUIRE -> "released or acquired ";
                    default -> "used ";
                };
                return new Orphan("only " + quoted(servers) + " ever " + role + res + ", and "
                        + (servers.size() == 1 ? "it has" : "they have") + " ended; \"" + died.name() + "\" died of "
                        + died.uncaught(), servers, null);
            }
            case MONITOR_WAIT, CONDITION_AWAIT -> {
                dev.tangle.model.Signal last = model.lastSignal(s.resource()).orElse(null);
                if (last == null || last.time() >= s.start() || live.contains(last.threadId())
                        || waitedBefore(t, s) || anyoneWaiting(s.reason(), s.resource(), last.time())) {
                    return null;
                }
                return new Orphan("the last wake-up on " + res + " came from \"" + model.threadName(last.threadId())
                        + "\" before \"" + model.threadName(t) + "\" began to wait, found nobody waiting, and \""
                        + model.threadName(last.threadId()) + "\" has ended: nothing is left to wake it (a lost"
                        + " wake-up)", List.of(last.threadId()), last);
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * The threads that served {@code t}'s resource (see {@link #historyWakers}), in order of their ends, when there
     * are some and every one has ended; else null.
     */
    private List<Long> endedServers(long t, StateInterval s) {
        Set<Long> servers = historyWakers(t, model.holdsAtEnd());
        if (servers == null || servers.isEmpty() || servers.stream().anyMatch(live::contains)) {
            return null;
        }
        return servers.stream().sorted(Comparator.comparingLong(k -> model.thread(k).orElseThrow().endTime()))
                .toList();
    }

    /** {@code t} waited on this monitor or condition before its last wait (a loop that was woken before). */
    private boolean waitedBefore(long t, StateInterval last) {
        for (StateInterval s : model.states(t)) {
            if (s.start() < last.start() && s.reason() == last.reason() && s.resource() == last.resource()) {
                return true;
            }
        }
        return false;
    }

    /** Some thread was waiting on the monitor or condition at {@code time}: a wake-up sent then was not lost. */
    private boolean anyoneWaiting(BlockReason reason, long resource, long time) {
        for (ThreadInfo info : model.threads()) {
            StateInterval s = model.stateAt(info.id(), time).orElse(null);
            if (s != null && s.reason() == reason && s.resource() == resource) {
                return true;
            }
        }
        return false;
    }

    /** The wait is in the JDK's own code (a pool's, a timer's, a cleaner's), not in the program's. */
    private static boolean inJdkCode(Frame site) {
        if (site == null) {
            return false;
        }
        String c = site.className();
        return c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || c.startsWith("com.sun.");
    }

    private String quoted(List<Long> threads) {
        return DeadlockDetector.quoteList(threads.stream().map(model::threadName).toList());
    }

    // ---- who is who

    /** Threads of the program (not the JVM's own, except main) can notify, signal and unpark. */
    private boolean canWake(long t) {
        return !isJvmThread(t, 0);
    }

    /**
     * The JVM's own threads: those that existed before recording began (except {@code main}: Signal Dispatcher,
     * DestroyJavaVM...), shutdown hooks, and any thread they started (the SIGTERM handler). When the agent
     * attached to a running program, every thread it found is preexisting: those are the program's, except
     * daemons and the threads the JVM names itself.
     */
    boolean isJvmThread(long t, int depth) {
        ThreadInfo info = model.thread(t).orElse(null);
        if (info == null || depth > 64) {
            return false;
        }
        if (info.snapshot()) {
            return (info.daemon() && !"main".equals(info.name())) || JVM_THREAD_NAMES.contains(info.name());
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

    /**
     * A pool's worker waiting for its next task: idle ({@code WORKER_IDLE}) at the end, or, for a worker the
     * trace does not link to a pool (no pool events), parked in a thread created by a JDK pool.
     */
    boolean isIdlePoolWorker(long t) {
        return idle.contains(t);
    }

    private boolean computeIdle(long t) {
        StateInterval s = endState.get(t);
        if (s == null) {
            return false;
        }
        if (s.state() == ThreadState.IDLE) {
            return true;
        }
        ThreadInfo info = model.thread(t).orElseThrow();
        return s.reason() == BlockReason.PARK && isPoolWorker(info) && model.poolOf(t).isEmpty();
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
            case CHANNEL_RECEIVE -> "waits in " + method(t, s, "take") + " to receive from " + label(s.resource());
            case CHANNEL_SEND -> "waits in " + method(t, s, "put") + " to send to " + label(s.resource());
            case EXCHANGE -> "waits in exchange() for a partner on " + label(s.resource());
            case LATCH_AWAIT -> "awaits " + label(s.resource()) + latchCount(s.resource());
            case SEMAPHORE_ACQUIRE -> "waits to acquire a permit of " + label(s.resource());
            case BARRIER_AWAIT -> "waits in " + method(t, s, "await") + " at " + label(s.resource())
                    + " for the other parties";
            case FUTURE_GET -> "waits in " + method(t, s, "get") + " for " + label(s.resource()) + futureTask(t, s);
            case POOL_AWAIT_TERMINATION -> "waits in awaitTermination() for " + label(s.resource())
                    + " to terminate";
            case WORKER_IDLE -> "is idle in " + label(s.resource()) + ", waiting for tasks";
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

    /** The method of the thread's operation still pending on the resource, as {@code take()}. */
    private String method(long t, StateInterval s, String fallback) {
        String m = null;
        for (Operation op : model.operations(s.resource())) {
            if (op.threadId() == t && op.outcome() == Operation.Outcome.PENDING && op.method() != null) {
                m = op.method();
            }
        }
        return (m == null ? fallback : m) + "()";
    }

    private String latchCount(long latch) {
        List<Operation> downs = model.operations(latch, OperationKind.COUNT_DOWN);
        if (downs.isEmpty()) {
            return ", which nothing ever counted down";
        }
        return ", counted down to " + downs.get(downs.size() - 1).value();
    }

    /** Where the future's task is: running on a worker, or still queued in its pool. */
    private String futureTask(long t, StateInterval s) {
        List<TaskRun> runs = model.taskRuns(s.resource());
        if (runs.isEmpty()) {
            return "";
        }
        TaskRun run = runs.get(runs.size() - 1);
        String pool = run.poolId() != 0 ? label(run.poolId()) : "its pool";
        if (run.runningAtEnd()) {
            return run.worker() == t ? ", its own task" : ", whose task runs on \"" + model.threadName(run.worker())
                    + "\"";
        }
        return run.queuedAtEnd() ? ", whose task is still queued in " + pool : "";
    }

    /** {@code SynchronousQueue@1b6d3586 (#7, capacity 0)}. */
    String label(long resource) {
        Resource r = model.resource(resource);
        String note = r.capacityNote();
        String base = DeadlockDetector.label(r, null);
        return note == null ? base : base.substring(0, base.length() - 1) + ", " + note + ")";
    }
}
