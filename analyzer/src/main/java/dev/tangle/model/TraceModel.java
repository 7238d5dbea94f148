package dev.tangle.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a trace says happened, rebuilt by {@link ModelBuilder}: per thread its states over time, per resource who
 * held it and who waited for it, the lock order each thread used, thread starts and joins, and the state at the
 * end. Immutable once built; safe to query from several threads.
 *
 * <p>Intervals are stored as primitive columns and turned into records only when asked for, so a model of a
 * trace of millions of events stays small.
 */
public final class TraceModel {
    private final TraceSummary summary;
    private final Map<Long, ThreadInfo> threads;
    private final Map<Long, Resource> resources;
    private final LongIntMap resourceIndex;
    private final Map<Long, StateTable> states;
    private final HoldTable holds;
    private final HoldTable waits;
    private final CountedHoldTable counted;
    private final List<LockOrderEdge> lockOrder;
    private final List<ThreadStart> starts;
    private final List<ThreadJoin> joins;
    private final List<Interrupt> interrupts;
    private final List<FailedTry> failedTries;
    private final Map<Long, Signal> lastSignals;
    private final Interner interner;
    private final List<Operation> operations;
    private final Map<Long, List<Operation>> operationsByResource = new HashMap<>();
    private final Map<Long, List<Operation>> operationsByThread = new HashMap<>();
    /** For each list above, the ends of its operations; null when the list is not in start order. */
    private final Map<Long, MaxEndIndex> endsByResource = new HashMap<>();
    private final Map<Long, MaxEndIndex> endsByThread = new HashMap<>();
    private final List<TaskRun> taskRuns;
    private final Map<Long, List<TaskRun>> runsByTask = new HashMap<>();
    private final Map<Long, List<TaskRun>> runsByPool = new HashMap<>();
    private final Map<Long, List<TaskRun>> runsByWorker = new HashMap<>();
    private final Map<Long, Pool> pools = new LinkedHashMap<>();
    private final Map<Long, Pool> poolByWorker = new HashMap<>();
    private final List<ThreadSample> samples;

    /** {@code parent} called {@code start()} on {@code child} at {@code time}. */
    public record ThreadStart(long time, long parent, long child) {
    }

    /** {@code joiner}'s {@code join()} of {@code joined} returned at {@code time} because it had ended. */
    public record ThreadJoin(long time, long joiner, long joined) {
    }

    TraceModel(TraceSummary summary, Map<Long, ThreadInfo> threads, Map<Long, Resource> resources,
               LongIntMap resourceIndex, Map<Long, StateTable> states, HoldTable holds, HoldTable waits,
               CountedHoldTable counted, List<LockOrderEdge> lockOrder, List<ThreadStart> starts, List<ThreadJoin> joins,
               List<Interrupt> interrupts, List<FailedTry> failedTries, Map<Long, Signal> lastSignals,
               Interner interner, List<Operation> operations, List<TaskRun> taskRuns, List<Pool> pools,
               List<ThreadSample> samples) {
        this.summary = summary;
        this.samples = List.copyOf(samples);
        this.threads = Collections.unmodifiableMap(new LinkedHashMap<>(threads));
        this.resources = Collections.unmodifiableMap(new LinkedHashMap<>(resources));
        this.resourceIndex = resourceIndex;
        this.states = states;
        this.holds = holds;
        this.waits = waits;
        this.counted = counted;
        this.lockOrder = List.copyOf(lockOrder);
        this.starts = List.copyOf(starts);
        this.joins = List.copyOf(joins);
        this.interrupts = List.copyOf(interrupts);
        this.failedTries = List.copyOf(failedTries);
        this.lastSignals = Map.copyOf(lastSignals);
        this.interner = interner;
        this.operations = Collections.unmodifiableList(operations); // built for this model alone
        for (Operation op : this.operations) {
            operationsByResource.computeIfAbsent(op.resourceId(), r -> new ArrayList<>()).add(op);
        }
        operationsByResource.replaceAll((r, l) -> List.copyOf(l));
        for (Operation op : this.operations) {
            operationsByThread.computeIfAbsent(op.threadId(), r -> new ArrayList<>()).add(op);
        }
        operationsByThread.replaceAll((r, l) -> List.copyOf(l));
        operationsByResource.forEach((r, l) -> endsByResource.put(r, endIndex(l)));
        operationsByThread.forEach((t, l) -> endsByThread.put(t, endIndex(l)));
        this.taskRuns = List.copyOf(taskRuns);
        for (TaskRun run : this.taskRuns) {
            runsByTask.computeIfAbsent(run.taskId(), k -> new ArrayList<>()).add(run);
            runsByPool.computeIfAbsent(run.poolId(), k -> new ArrayList<>()).add(run);
            if (run.worker() != 0) {
                runsByWorker.computeIfAbsent(run.worker(), k -> new ArrayList<>()).add(run);
            }
        }
        runsByTask.replaceAll((k, l) -> List.copyOf(l));
        runsByPool.replaceAll((k, l) -> List.copyOf(l));
        runsByWorker.replaceAll((k, l) -> List.copyOf(l));
        pools.forEach(p -> {
            this.pools.put(p.id(), p);
            p.workers().forEach(w -> poolByWorker.putIfAbsent(w, p));
        });
    }

    /** What thread dumps saw each thread doing ({@code THREAD_SAMPLE}), in time order per thread; none in a trace. */
    public List<ThreadSample> samples() {
        return samples;
    }

    public TraceSummary summary() {
        return summary;
    }

    /** The trace's end, ns since start. */
    public long endTime() {
        return summary.endTime();
    }

    /** Every thread that has an event, in order of first appearance. */
    public Collection<ThreadInfo> threads() {
        return threads.values();
    }

    public Optional<ThreadInfo> thread(long id) {
        return Optional.ofNullable(threads.get(id));
    }

    /** The thread's name, or {@code thread #id} when the trace does not name it. */
    public String threadName(long id) {
        ThreadInfo t = threads.get(id);
        return t == null || t.name() == null ? "thread #" + id : t.name();
    }

    public Collection<Resource> resources() {
        return resources.values();
    }

    /** The resource with this id; one of unknown class when the trace does not define it. */
    public Resource resource(long id) {
        Resource r = resources.get(id);
        return r != null ? r : new Resource(id, "?", 0, 0, ResourceKind.OTHER);
    }

    // ---- thread states

    /** Every state interval of one thread, in time order (empty for an unknown thread). */
    public List<StateInterval> states(long threadId) {
        StateTable t = states.get(threadId);
        return t == null ? List.of() : t.between(Long.MIN_VALUE, Long.MAX_VALUE, interner);
    }

    /** The intervals of one thread that overlap [from, to). */
    public List<StateInterval> states(long threadId, long from, long to) {
        StateTable t = states.get(threadId);
        return t == null ? List.of() : t.between(from, to, interner);
    }

    /** What the thread was doing at {@code time}; empty before its first event. */
    public Optional<StateInterval> stateAt(long threadId, long time) {
        StateTable t = states.get(threadId);
        if (t == null) {
            return Optional.empty();
        }
        int i = t.indexAt(time);
        return i < 0 ? Optional.empty() : Optional.of(t.get(i, interner));
    }

    /** The thread's last state: what it was doing when the trace ended (TERMINATED if it had ended). */
    public Optional<StateInterval> stateAtEnd(long threadId) {
        StateTable t = states.get(threadId);
        return t == null || t.size() == 0 ? Optional.empty() : Optional.of(t.get(t.size() - 1, interner));
    }

    // ---- resources

    /** Who held the resource, in order of acquisition. */
    public List<Hold> holds(long resourceId) {
        List<Hold> result = new ArrayList<>();
        for (int row : holds.rowsOf(resourceIndex.get(resourceId))) {
            result.add(holds.hold(row, interner));
        }
        return result;
    }

    /** The holds of one resource going on at {@code time}, in order of acquisition. */
    public List<Hold> holdsAt(long resourceId, long time) {
        List<Hold> result = new ArrayList<>();
        for (int row : holds.rowsAt(resourceIndex.get(resourceId), time)) {
            result.add(holds.hold(row, interner));
        }
        return result;
    }

    /**
     * The hold of one resource, by another thread than {@code threadId}, released last within [from, to] (the
     * first acquired among those released at the same time): who released what a thread then got.
     */
    public Optional<Hold> lastReleaseWithin(long resourceId, long threadId, long from, long to) {
        int row = holds.lastEndedWithin(resourceIndex.get(resourceId), threadId, from, to);
        return row < 0 ? Optional.empty() : Optional.of(holds.hold(row, interner));
    }

    /** Every hold of any resource that overlaps [from, to). */
    public List<Hold> holds(long from, long to) {
        List<Hold> result = new ArrayList<>();
        for (int row = 0; row < holds.size(); row++) {
            if (holds.start(row) < to && (holds.end(row) > from || holds.open(row))) {
                result.add(holds.hold(row, interner));
            }
        }
        return result;
    }

    /** The holds going on at {@code time}. */
    public List<Hold> holdsAt(long time) {
        List<Hold> result = new ArrayList<>();
        for (int row = 0; row < holds.size(); row++) {
            if (holds.start(row) <= time && (time < holds.end(row) || holds.open(row))) {
                result.add(holds.hold(row, interner));
            }
        }
        return result;
    }

    /** The holds still going on when the trace ended. */
    public List<Hold> holdsAtEnd() {
        List<Hold> result = new ArrayList<>();
        for (int row = 0; row < holds.size(); row++) {
            if (holds.open(row)) {
                result.add(holds.hold(row, interner));
            }
        }
        return result;
    }

    /** The contended requests for the resource (those that had to wait), in order of request. */
    public List<LockWait> waits(long resourceId) {
        List<LockWait> result = new ArrayList<>();
        for (int row : waits.rowsOf(resourceIndex.get(resourceId))) {
            result.add(waits.lockWait(row, interner));
        }
        return result;
    }

    /** Every contended request, in the order they ended. */
    public List<LockWait> waits() {
        List<LockWait> result = new ArrayList<>();
        for (int row = 0; row < waits.size(); row++) {
            result.add(waits.lockWait(row, interner));
        }
        return result;
    }

    /** Number of holds recorded (outermost acquisitions), over all resources. */
    public int holdCount() {
        return holds.size();
    }

    /**
     * The holds of the resource that the agent counted instead of recording ({@code LEAF_HOLDS}), in time order:
     * acquisitions without intervals, so {@link #holds(long)} and {@link #holdsAt} do not have them.
     */
    public List<CountedHolds> countedHolds(long resourceId) {
        return counted.rowsOf(resourceIndex.get(resourceId), interner);
    }

    /**
     * The holds of the resource counted at times strictly between {@code from} and {@code to}, by any thread,
     * the {@link CountedHolds#reentrant() reentrant} ones left out: acquisitions of the resource.
     */
    public long countedHoldsBetween(long resourceId, long from, long to) {
        return counted.countBetween(resourceIndex.get(resourceId), from, to);
    }

    /** Number of holds counted instead of recorded, over all resources ({@code LEAF_HOLDS}). */
    public long countedHoldCount() {
        return counted.total();
    }

    // ---- order between threads

    public List<LockOrderEdge> lockOrderEdges() {
        return lockOrder;
    }

    public List<ThreadStart> threadStarts() {
        return starts;
    }

    public List<ThreadJoin> threadJoins() {
        return joins;
    }

    public List<Interrupt> interrupts() {
        return interrupts;
    }

    /** The last notify, notifyAll, signal or signalAll on a monitor or condition, if there was one. */
    public Optional<Signal> lastSignal(long resourceId) {
        return Optional.ofNullable(lastSignals.get(resourceId));
    }

    /** Every {@code tryLock} that failed (not interrupted ones), in time order. */
    public List<FailedTry> failedTries() {
        return failedTries;
    }

    /**
     * True when what thread {@code a} did at {@code timeA} happens-before what thread {@code b} did at
     * {@code timeB} through thread starts and joins alone (program order, {@code start()} before the started
     * thread's first action, a thread's last action before a {@code join()} of it returns). Locks are not taken
     * into account: this is the order that holds whatever the scheduling.
     *
     * <p>Cost: O(threads + starts + joins) per query.
     */
    public boolean happensBefore(long a, long timeA, long b, long timeB) {
        return happensBefore(a, timeA, b, timeB, true);
    }

    /**
     * As {@link #happensBefore(long, long, long, long)}, through thread starts alone (program order and
     * {@code start()}): tells an order that a {@code join()} made from one that starting a thread made.
     */
    public boolean happensBeforeByStart(long a, long timeA, long b, long timeB) {
        return happensBefore(a, timeA, b, timeB, false);
    }

    private boolean happensBefore(long a, long timeA, long b, long timeB, boolean throughJoins) {
        if (a == b) {
            return timeA <= timeB;
        }
        Map<Long, Long> reach = new HashMap<>(); // thread -> earliest time from which it is ordered after (a, timeA)
        reach.put(a, timeA);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ThreadStart s : starts) {
                Long r = reach.get(s.parent());
                if (r != null && s.time() >= r && improve(reach, s.child(), Long.MIN_VALUE)) {
                    changed = true;
                }
            }
            for (ThreadJoin j : throughJoins ? joins : List.<ThreadJoin>of()) {
                Long r = reach.get(j.joined());
                ThreadInfo joined = threads.get(j.joined());
                boolean endedAfterR = joined != null && joined.endTime() >= 0 && r != null
                        && (r == Long.MIN_VALUE || joined.endTime() >= r);
                if (endedAfterR && improve(reach, j.joiner(), j.time())) {
                    changed = true;
                }
            }
        }
        Long rb = reach.get(b);
        return rb != null && rb <= timeB;
    }

    private static boolean improve(Map<Long, Long> reach, long thread, long time) {
        Long old = reach.get(thread);
        if (old == null || time < old) {
            reach.put(thread, time);
            return true;
        }
        return false;
    }

    // ---- channels, synchronizers, futures, pools

    /**
     * Every operation on a channel, exchanger, latch, semaphore, barrier, future or pool, in order of start
     * (blocking or not, with its outcome; those still going on at the end are PENDING).
     */
    public List<Operation> operations() {
        return operations;
    }

    /** The operations on one resource (sends and receives of a queue, count-downs and awaits of a latch...). */
    public List<Operation> operations(long resourceId) {
        return operationsByResource.getOrDefault(resourceId, List.of());
    }

    /** The operations of one kind on one resource, in order of start. */
    public List<Operation> operations(long resourceId, OperationKind kind) {
        return operations(resourceId).stream().filter(o -> o.kind() == kind).toList();
    }

    /** The operations one thread performed, in order of start. */
    public List<Operation> operationsBy(long threadId) {
        return operationsByThread.getOrDefault(threadId, List.of());
    }

    /** Who completed the future and when ({@link OperationKind#COMPLETE} operations), in time order. */
    public List<Operation> completions(long futureId) {
        return operations(futureId, OperationKind.COMPLETE);
    }

    /**
     * Who woke a thread out of a channel, exchanger, latch, semaphore, barrier or future wait: for the wait going
     * on at {@code time} in {@code threadId} that ended normally (not timed out, interrupted, failed or still
     * pending), the latest operation of another thread on the same resource that can end such a wait (a send
     * for a receive, a receive for a send, a count-down for a latch await, a release for an acquire, an arrival
     * for a barrier, a completion for a future get) and that began before the wait ended and ended after it
     * began. Empty when there is no such wait or the trace does not show the waker.
     */
    public Optional<Operation> wokenBy(long threadId, long time) {
        StateInterval wait = stateAt(threadId, time).orElse(null);
        if (wait == null || !wait.reason().isSynchronizerWait() || wait.open() || wait.timedOut()
                || wait.interrupted() || wait.failed()) {
            return Optional.empty();
        }
        OperationKind waiting = switch (wait.reason()) {
            case CHANNEL_SEND -> OperationKind.SEND;
            case CHANNEL_RECEIVE -> OperationKind.RECEIVE;
            case EXCHANGE -> OperationKind.EXCHANGE;
            case LATCH_AWAIT -> OperationKind.LATCH_AWAIT;
            case SEMAPHORE_ACQUIRE -> OperationKind.ACQUIRE;
            case BARRIER_AWAIT -> OperationKind.BARRIER_AWAIT;
            case FUTURE_GET -> OperationKind.FUTURE_GET;
            default -> OperationKind.POOL_AWAIT;
        };
        return lastGoingOn(operations(wait.resource()), endsByResource.get(wait.resource()), wait.start(),
                wait.end(), op -> op.threadId() != threadId && op.kind().wakes(waiting)
                        && op.outcome() != Operation.Outcome.TIMED_OUT
                        && op.outcome() != Operation.Outcome.INTERRUPTED
                        && (op.outcome() != Operation.Outcome.FAILED || op.kind() == OperationKind.COMPLETE));
    }

    /**
     * The last operation of the thread, in order of start, that began by {@code time} and had not returned before
     * it and that {@code which} accepts: the call a wait at {@code time} is in.
     */
    public Optional<Operation> lastOperationAt(long threadId, long time, Predicate<Operation> which) {
        return lastGoingOn(operationsBy(threadId), endsByThread.get(threadId), time, time, which);
    }

    /**
     * The last of {@code ops} (in start order) with start &lt;= {@code to} and end &gt;= {@code from} that
     * {@code which} accepts: from the last one started by {@code to}, back over those that end late enough
     * ({@link MaxEndIndex}); a list not in start order is searched whole.
     */
    private static Optional<Operation> lastGoingOn(List<Operation> ops, MaxEndIndex ends, long from, long to,
                                                   Predicate<Operation> which) {
        if (ends == null) {
            for (int i = ops.size() - 1; i >= 0; i--) {
                Operation op = ops.get(i);
                if (op.start() <= to && op.end() >= from && which.test(op)) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }
        int lo = 0;
        int hi = ops.size() - 1;
        int last = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ops.get(mid).start() <= to) {
                last = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int i = ends.lastEndingAtOrAfter(0, last, from); i >= 0; i = ends.lastEndingAtOrAfter(0, i - 1, from)) {
            if (which.test(ops.get(i))) {
                return Optional.of(ops.get(i));
            }
        }
        return Optional.empty();
    }

    private static MaxEndIndex endIndex(List<Operation> ops) {
        long[] ends = new long[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            if (i > 0 && ops.get(i).start() < ops.get(i - 1).start()) {
                return null;
            }
            ends[i] = ops.get(i).end();
        }
        return new MaxEndIndex(ends);
    }

    /** Every task run (submission to a worker), in the order they began; tasks still queued at the end last. */
    public List<TaskRun> tasks() {
        return taskRuns;
    }

    /** The runs of one task object (usually one). */
    public List<TaskRun> taskRuns(long taskId) {
        return runsByTask.getOrDefault(taskId, List.of());
    }

    /** The tasks submitted to or run by one pool. */
    public List<TaskRun> tasksOf(long poolId) {
        return runsByPool.getOrDefault(poolId, List.of());
    }

    /** The tasks one thread ran as a pool worker, in order. */
    public List<TaskRun> tasksRunBy(long threadId) {
        return runsByWorker.getOrDefault(threadId, List.of());
    }

    /** Every pool the trace saw (created, submitted to, or with workers), in order of first appearance. */
    public Collection<Pool> pools() {
        return pools.values();
    }

    public Optional<Pool> pool(long poolId) {
        return Optional.ofNullable(pools.get(poolId));
    }

    /** The pool whose worker this thread is, if any. */
    public Optional<Pool> poolOf(long threadId) {
        return Optional.ofNullable(poolByWorker.get(threadId));
    }

    // ---- bulk access for viewers: no records made, so a trace of millions of events stays cheap to draw

    /** Receives one state interval: [start, end), what the thread was doing and why. */
    @FunctionalInterface
    public interface StateVisitor {
        void visit(long start, long end, ThreadState state, BlockReason reason);
    }

    /** Receives one hold: the thread and [start, end) ({@code end} is the trace's end for a hold still open). */
    @FunctionalInterface
    public interface HoldVisitor {
        void visit(long threadId, long start, long end);
    }

    /** The thread's state intervals in time order, as {@link #states(long)} gives them, without records. */
    public void forEachState(long threadId, StateVisitor visitor) {
        StateTable t = states.get(threadId);
        if (t != null) {
            t.forEach(visitor);
        }
    }

    /** Every hold of every resource, in no particular order, without records. */
    public void forEachHold(HoldVisitor visitor) {
        for (int row = 0; row < holds.size(); row++) {
            visitor.visit(holds.thread(row), holds.start(row), holds.open(row) ? summary.endTime() : holds.end(row));
        }
    }

    /** An estimate of the heap this model keeps, in bytes (its columns; records are made on demand). */
    public long retainedBytesEstimate() {
        long bytes = holds.retainedBytes() + waits.retainedBytes() + counted.retainedBytes();
        for (StateTable t : states.values()) {
            bytes += t.retainedBytes();
        }
        return bytes + threads.size() * 200L + resources.size() * 100L + lockOrder.size() * 200L
                + failedTries.size() * 64L + operations.size() * 120L + taskRuns.size() * 100L;
    }
}
