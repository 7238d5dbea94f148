package dev.tangle.model;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.ObjectInfo;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceHeader;
import dev.tangle.trace.TraceReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a trace into a {@link TraceModel}. The reader gives each thread's events in time order but threads in
 * chunks; the builder keeps the events as compact per-thread rows, merges them by time (the agent makes every
 * object's events strictly increasing in time, so the merge gives every lock its true order) and replays them
 * once.
 *
 * <p>Cost: O(n log t) for n events of t threads; memory while building about 40 bytes per event, afterwards only
 * the model's intervals.
 */
public final class ModelBuilder {
    private static final EventKind[] KINDS = EventKind.values();
    private static final Thread.State[] SAMPLE_STATES = Thread.State.values();

    private final Interner interner = new Interner();
    private final LongIntMap threadIndex = new LongIntMap();
    private final List<EventRows> columns = new ArrayList<>(); // by thread index
    private final LongIntMap resourceIndex = new LongIntMap();
    private final List<ObjectInfo> objectInfos = new ArrayList<>();
    private final List<ResourceKind> kinds = new ArrayList<>();
    private final Columns.Longs resourceIds = new Columns.Longs(64);
    private final Map<String, Integer> textIds = new HashMap<>();
    private final List<String> texts = new ArrayList<>(List.of(""));
    private String lastText; // the reader hands out one String per string id: identity is enough
    private int lastTextId;
    private long events;
    /** Events of kinds that act on an object or thread but named none (id 0): no writer writes them. */
    private long withoutObject;

    private ModelBuilder() {
    }

    private int textId(String text) {
        if (text == null) {
            return 0;
        }
        if (text == lastText) {
            return lastTextId;
        }
        Integer id = textIds.get(text);
        if (id == null) {
            id = texts.size();
            texts.add(text);
            textIds.put(text, id);
        }
        lastText = text;
        lastTextId = id;
        return id;
    }

    /** Reads the whole trace file into a model. */
    public static TraceModel build(Path trace) throws IOException {
        try (TraceReader reader = TraceReader.open(trace)) {
            return build(reader, trace.toString());
        }
    }

    /**
     * Reads the first {@code length} bytes of a trace file into a model: the trace as far as its writer had
     * written whole chunks when {@code length} was taken (a live stream, or a recording still going on).
     */
    public static TraceModel buildPrefix(Path trace, long length) throws IOException {
        try (TraceReader reader = TraceReader.of(new PrefixInputStream(java.nio.file.Files.newInputStream(trace),
                length), trace.toString())) {
            return build(reader, trace.toString());
        }
    }

    /** Reads what is left of {@code reader} into a model; {@code source} names it in the summary. */
    public static TraceModel build(TraceReader reader, String source) throws IOException {
        ModelBuilder builder = new ModelBuilder();
        long lastTime = 0;
        for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
            builder.add(e);
            lastTime = Math.max(lastTime, e.time());
        }
        long end = Math.max(reader.endTime(), lastTime);
        TraceHeader h = reader.header();
        Replay replay = builder.new Replay(end);
        replay.run();
        List<String> warnings = new ArrayList<>(reader.warnings());
        if (builder.withoutObject > 0) {
            warnings.add(source + ": ignored " + builder.withoutObject + " events that named no object (id 0)");
        }
        TraceSummary summary = new TraceSummary(source, h.command(), h.jvmVendor() + " " + h.jvmVersion(),
                h.startEpochMillis(), builder.events, replay.threadInfos.size(), builder.objectInfos.size(), end,
                reader.isComplete(), reader.lostEvents(), warnings);
        return replay.model(summary);
    }

    /**
     * Builds a model from events that an importer made from other evidence (a thread dump, a JFR recording),
     * in the trace's vocabulary: each thread's events in time order, threads in any order.
     *
     * @param format     what the input was, for reports ("thread dump", "JFR recording")
     * @param blindSpots what that kind of input cannot show
     */
    public static TraceModel build(TraceHeader header, Iterable<TraceEvent> events, long endTime, String source,
                                   String format, List<String> warnings, List<String> blindSpots) {
        ModelBuilder builder = new ModelBuilder();
        long end = endTime;
        for (TraceEvent e : events) {
            builder.add(e);
            end = Math.max(end, e.time());
        }
        Replay replay = builder.new Replay(end);
        replay.run();
        TraceSummary summary = new TraceSummary(source, header.command(), header.jvmVendor() + " "
                + header.jvmVersion(), header.startEpochMillis(), builder.events, replay.threadInfos.size(),
                builder.objectInfos.size(), end, true, 0, warnings, format, blindSpots);
        return replay.model(summary);
    }

    // ---- reading

    private void add(TraceEvent e) {
        events++;
        if (e.objectId() == 0 && needsObject(e.kind())) {
            withoutObject++; // the replay keys locks, queues and threads by id, and 0 is none
            return;
        }
        int t = threadIndex.get(e.threadId());
        if (t < 0) {
            t = columns.size();
            columns.add(new EventRows(e.threadId()));
            threadIndex.put(e.threadId(), t);
        }
        columns.get(t).add(e.time(), e.objectId(), e.value(), e.kind().ordinal() | (e.flags() & 0xFFFF) << 8,
                interner.frameId(e.site()), interner.stackId(e.stack()), textId(e.text()));
        if (e.objectId() != 0 && !e.kind().objectIsThread()) {
            noteResource(e);
        }
    }

    /** Kinds whose object (or other thread) is what they act on; the others may name none. */
    private static boolean needsObject(EventKind kind) {
        return switch (kind) {
            case THREAD_BEGIN, THREAD_END, PARK_BEGIN, PARK_END, SLEEP_BEGIN, SLEEP_END, LOST_EVENTS, THREAD_STATE,
                 TEST_BEGIN, TEST_END, THREAD_SAMPLE -> false;
            default -> true;
        };
    }

    private void noteResource(TraceEvent e) {
        int r = resourceIndex.get(e.objectId());
        if (r < 0) {
            r = objectInfos.size();
            resourceIndex.put(e.objectId(), r);
            objectInfos.add(e.object());
            resourceIds.add(e.objectId());
            kinds.add(null);
        } else if (objectInfos.get(r) == null && e.object() != null) {
            objectInfos.set(r, e.object());
        }
        ResourceKind seen = switch (e.kind()) {
            case MONITOR_REQUEST, MONITOR_ACQUIRED, MONITOR_RELEASE, WAIT_BEGIN, WAIT_END, NOTIFY, NOTIFY_ALL ->
                    ResourceKind.MONITOR;
            case LOCK_REQUEST, LOCK_ACQUIRED, LOCK_TRY_FAILED, LOCK_RELEASE ->
                    e.has(EventFlags.READ) || e.has(EventFlags.WRITE) ? ResourceKind.READ_WRITE_LOCK
                            : ResourceKind.LOCK;
            case CONDITION_AWAIT_BEGIN, CONDITION_AWAIT_END, CONDITION_SIGNAL, CONDITION_SIGNAL_ALL ->
                    ResourceKind.CONDITION;
            case PARK_BEGIN, PARK_END -> ResourceKind.PARK_BLOCKER;
            case CHANNEL_SEND_BEGIN, CHANNEL_SEND_END, CHANNEL_RECV_BEGIN, CHANNEL_RECV_END -> ResourceKind.QUEUE;
            case EXCHANGE_BEGIN, EXCHANGE_END -> ResourceKind.EXCHANGER;
            case LATCH_COUNT_DOWN, LATCH_AWAIT_BEGIN, LATCH_AWAIT_END -> ResourceKind.LATCH;
            case SEMAPHORE_ACQUIRE_BEGIN, SEMAPHORE_ACQUIRE_END, SEMAPHORE_RELEASE -> ResourceKind.SEMAPHORE;
            case BARRIER_AWAIT_BEGIN, BARRIER_AWAIT_END, PHASER_ARRIVE, PHASER_REGISTER -> ResourceKind.BARRIER;
            case FUTURE_GET_BEGIN, FUTURE_GET_END, FUTURE_COMPLETE -> ResourceKind.FUTURE;
            case POOL_CREATE, WORKER_IDLE_BEGIN, WORKER_IDLE_END, POOL_SHUTDOWN, POOL_AWAIT_BEGIN, POOL_AWAIT_END ->
                    ResourceKind.POOL;
            case TASK_SUBMIT, TASK_BEGIN, TASK_END -> ResourceKind.TASK;
            case CLASS_INIT_BEGIN, CLASS_INIT_END, CLASS_INIT_WAIT -> ResourceKind.CLASS_INIT;
            default -> ResourceKind.OTHER;
        };
        ResourceKind old = kinds.get(r);
        // what the object is used as wins over how the JDK parks on it; a FutureTask is a task and a future
        if (old == null || old == ResourceKind.OTHER || (old == ResourceKind.PARK_BLOCKER && seen != ResourceKind.OTHER)
                || (old == ResourceKind.LOCK && seen == ResourceKind.READ_WRITE_LOCK)
                || (old == ResourceKind.TASK && seen == ResourceKind.FUTURE)) {
            kinds.set(r, seen);
        }
    }

    // ---- replay

    /** A thread's hold of one resource in one mode, while replaying. */
    private static final class HoldState {
        final long resource;
        final long thread;
        final LockMode mode;
        int count;
        long start;
        int site;
        int stack;
        boolean tried;

        HoldState(long resource, long thread, LockMode mode, long start, int site, int stack, boolean tried) {
            this.resource = resource;
            this.thread = thread;
            this.mode = mode;
            this.start = start;
            this.site = site;
            this.stack = stack;
            this.tried = tried;
        }
    }

    /** Per resource while replaying: its holders, and who got it last (to tell a contended request). */
    private static final class ResourceState {
        final List<HoldState> holders = new ArrayList<>(2);
        long lastAcquireTime = Long.MIN_VALUE;
        long lastAcquirer;
    }

    /**
     * Something a thread is inside of while replaying, innermost last: a channel, synchronizer, future or pool
     * wait (an operation, with its state), a task it runs (RUNNING), or waiting idle in a pool. When an inner
     * wait ends, the thread is back in the enclosing frame's state.
     */
    private static final class WaitFrame {
        final OperationKind op; // null for a task or idle frame
        final ThreadState state;
        final BlockReason reason;
        final long resource;
        final long start;
        final int flags;
        final long value;
        final int text;
        final int site;
        final int stack;
        final long timeout;
        boolean interval;

        WaitFrame(OperationKind op, ThreadState state, BlockReason reason, long resource, long start, int flags,
              long value, int text, int site, int stack, long timeout) {
            this.op = op;
            this.state = state;
            this.reason = reason;
            this.resource = resource;
            this.start = start;
            this.flags = flags;
            this.value = value;
            this.text = text;
            this.site = site;
            this.stack = stack;
            this.timeout = timeout;
        }
    }

    /** A task submission and its run, while replaying. */
    private static final class TaskAcc {
        final long task;
        long pool;
        final long submitter;
        final long submitTime;
        final int site;
        final int stack;
        long worker;
        long begin = -1;
        long end = -1;
        boolean failed;

        TaskAcc(long task, long pool, long submitter, long submitTime, int site, int stack) {
            this.task = task;
            this.pool = pool;
            this.submitter = submitter;
            this.submitTime = submitTime;
            this.site = site;
            this.stack = stack;
        }
    }

    /** A pool while replaying. */
    private static final class PoolAcc {
        final long id;
        String className;
        long creator;
        long createTime = -1;
        long core = -1;
        int site;
        int stack;
        final List<Long> workers = new ArrayList<>(4);
        long shutdownTime = -1;
        long shutdownThread;
        String shutdownHow;
        int submitted;

        PoolAcc(long id) {
            this.id = id;
        }

        void worker(long thread) {
            if (!workers.contains(thread)) {
                workers.add(thread);
            }
        }
    }

    /** Per thread while replaying. */
    private static final class ThreadCursor {
        final long id;
        String name;
        boolean daemon;
        boolean virtual;
        boolean preexisting;
        boolean snapshot;
        /** The last wait or await began as a SNAPSHOT: its monitor or lock was never seen acquired. */
        boolean snapshotWait;
        final List<WaitFrame> frames = new ArrayList<>(2);
        final List<TaskAcc> tasks = new ArrayList<>(1);
        long parent;
        long startTime = -1;
        long beginTime = -1;
        long endTime = -1;
        String uncaught;
        int startSite;
        int startStack;
        long lost;
        final StateTable states;
        final List<HoldState> holds = new ArrayList<>(4);
        // the outstanding request
        long reqResource;
        LockMode reqMode;
        long reqTime;
        int reqSite;
        int reqStack;
        boolean reqTimed;
        boolean reqReentrant;
        boolean reqContended;
        // what wait/await released, to give back at its end
        List<HoldState> released = List.of();
        // the stall watcher's observation that stands (WATCHED events): what it added, to take back at the
        // thread's next event of its own
        boolean observing;
        final List<HoldState> observedHolds = new ArrayList<>(0);
        boolean observedRequest;
        boolean observedWait;
        // while a new observation (at batchTime) replaces the previous one: what the previous one added and the
        // new one has not confirmed yet (confirmed holds and waits keep their start)
        boolean replacing;
        long batchTime;
        List<HoldState> staleHolds = List.of();
        long staleRequest;
        boolean staleWait;

        ThreadCursor(long id) {
            this.id = id;
            this.states = new StateTable(id);
        }

        HoldState hold(long resource, LockMode mode) {
            for (HoldState h : holds) {
                if (h.resource == resource && h.mode == mode) {
                    return h;
                }
            }
            return null;
        }

        /** Waiting idle in a pool: the pool's own waiting for work (its queue, its parks) is not shown. */
        boolean idle() {
            for (int i = frames.size() - 1; i >= 0; i--) {
                if (frames.get(i).state == ThreadState.IDLE) {
                    return true;
                }
            }
            return false;
        }

        boolean holdsAny(long resource) {
            for (HoldState h : holds) {
                if (h.resource == resource) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The merged replay of every thread's columns. */
    private final class Replay {
        private final long end;
        private final Map<Long, ThreadCursor> cursors = new LinkedHashMap<>();
        /** By dense resource index (every resource was indexed while reading). */
        private ResourceState[] resourceStates = new ResourceState[16];
        private final HoldTable holdTable = new HoldTable(false);
        private final HoldTable waitTable = new HoldTable(true);
        private final CountedHoldTable countedTable = new CountedHoldTable();
        private final Map<EdgeKey, EdgeAcc> edges = new LinkedHashMap<>();
        private final List<TraceModel.ThreadStart> starts = new ArrayList<>();
        private final List<TraceModel.ThreadJoin> joins = new ArrayList<>();
        private final List<Interrupt> interrupts = new ArrayList<>();
        /** Failed tries: {time, thread, resource, timed, site, stack}; few in correct programs. */
        private final List<long[]> tries = new ArrayList<>();
        /** The last notify or signal per monitor or condition: {time, thread, kind, site, stack}. */
        private final Map<Long, long[]> lastSignals = new HashMap<>();
        private final Map<Long, ThreadInfo> threadInfos = new LinkedHashMap<>();
        private final List<Operation> operations = new ArrayList<>();
        /** Submissions not yet begun, per task object, oldest first. */
        private final Map<Long, java.util.ArrayDeque<TaskAcc>> queuedTasks = new LinkedHashMap<>();
        private final List<TaskAcc> taskRuns = new ArrayList<>();
        private final Map<Long, PoolAcc> pools = new LinkedHashMap<>();
        private final List<ThreadSample> samples = new ArrayList<>();

        Replay(long end) {
            this.end = end;
        }

        void run() {
            // k-way merge over threads by the time of their next event (ties: the thread seen first)
            int n = columns.size();
            ThreadMerge merge = new ThreadMerge(n);
            for (int t = 0; t < n; t++) {
                if (columns.get(t).size > 0) {
                    merge.add(t, columns.get(t).time(0));
                }
            }
            ThreadCursor[] threadCursors = new ThreadCursor[n];
            while (!merge.isEmpty()) {
                int t = merge.top();
                EventRows c = columns.get(t);
                ThreadCursor cursor = threadCursors[t];
                if (cursor == null) {
                    cursor = cursor(c.threadId);
                    threadCursors[t] = cursor;
                }
                long limit = merge.nextTimeOfOthers();
                // replay this thread's events while none of another thread comes first
                do {
                    apply(cursor, c, c.next++);
                } while (c.next < c.size && c.time(c.next) <= limit);
                if (c.next >= c.size) {
                    merge.removeTop();
                    columns.set(t, null); // replayed: its memory can go
                } else {
                    merge.replaceTop(c.time(c.next));
                }
            }
            columns.clear();
            for (ThreadCursor cursor : cursors.values()) {
                finishThread(cursor);
            }
        }

        private ThreadCursor cursor(long id) {
            ThreadCursor c = cursors.get(id);
            if (c == null) {
                c = new ThreadCursor(id);
                cursors.put(id, c);
            }
            return c;
        }

        private ResourceState resourceState(long id) {
            int r = resourceIndex.get(id);
            if (r < 0) {
                // an object only thread kinds named: index it now
                r = objectInfos.size();
                resourceIndex.put(id, r);
                objectInfos.add(null);
                resourceIds.add(id);
                kinds.add(null);
            }
            if (r >= resourceStates.length) {
                resourceStates = java.util.Arrays.copyOf(resourceStates, Math.max(r + 1, resourceStates.length * 2));
            }
            ResourceState rs = resourceStates[r];
            if (rs == null) {
                rs = new ResourceState();
                resourceStates[r] = rs;
            }
            return rs;
        }

        private void apply(ThreadCursor t, EventRows c, int i) {
            long time = c.time(i);
            int kindAndFlags = c.kindAndFlags(i);
            EventKind kind = KINDS[kindAndFlags & 0xFF];
            long obj = c.object(i);
            int site = c.site(i);
            int stack = c.stack(i);
            int flags = kindAndFlags >>> 8;
            long value = c.value(i);
            int textId = c.text(i);
            String text = textId == 0 ? null : texts.get(textId);
            boolean timed = (flags & EventFlags.TIMED) != 0;
            boolean watched = (flags & EventFlags.WATCHED) != 0;
            if (t.replacing && (!watched || kind == EventKind.THREAD_STATE || time != t.batchTime)) {
                finishReplacing(t);
            }
            if (watched) {
                observed(t, kind, obj, time, flags, value, site, stack);
                return;
            }
            if (t.observing) {
                endObservation(t, time, kind, obj);
            }
            switch (kind) {
                case THREAD_BEGIN -> {
                    t.beginTime = time;
                    if (text != null) {
                        t.name = text;
                    }
                    t.daemon |= (flags & EventFlags.DAEMON) != 0;
                    t.virtual |= (flags & EventFlags.VIRTUAL) != 0;
                    t.preexisting |= (flags & EventFlags.PREEXISTING) != 0;
                    t.snapshot |= (flags & EventFlags.SNAPSHOT) != 0;
                    t.states.add(time, ThreadState.RUNNING, BlockReason.NONE, 0, null, false, 0, 0);
                }
                case THREAD_START -> {
                    ThreadCursor child = cursor(obj);
                    child.parent = t.id;
                    child.startTime = time;
                    child.startSite = site;
                    child.startStack = stack;
                    child.daemon |= (flags & EventFlags.DAEMON) != 0;
                    child.virtual |= (flags & EventFlags.VIRTUAL) != 0;
                    if (text != null && child.name == null) {
                        child.name = text;
                    }
                    starts.add(new TraceModel.ThreadStart(time, t.id, obj));
                }
                case THREAD_RENAME -> {
                    if (text != null) {
                        cursor(obj).name = text;
                    }
                }
                case THREAD_END -> {
                    t.endTime = time;
                    if (text != null) {
                        t.uncaught = text;
                    }
                    // a monitor cannot outlive its thread; a Lock can (it then stays locked forever)
                    for (HoldState h : new ArrayList<>(t.holds)) {
                        if (kindOf(h.resource) == ResourceKind.MONITOR) {
                            closeHold(t, h, time);
                        }
                    }
                    t.reqResource = 0;
                    endFrames(t, time);
                    t.states.add(time, ThreadState.TERMINATED, BlockReason.NONE, 0, null, false, 0, 0);
                }
                case MONITOR_REQUEST, LOCK_REQUEST -> {
                    request(t, obj, LockMode.ofFlags(flags), time, site, stack,
                            kind == EventKind.LOCK_REQUEST && timed);
                    // blocked when the agent attached: its holder's snapshot hold may be replayed after it
                    t.reqContended |= (flags & EventFlags.SNAPSHOT) != 0;
                }
                case MONITOR_ACQUIRED, LOCK_ACQUIRED -> acquired(t, obj, LockMode.ofFlags(flags), time, site, stack,
                        (flags & EventFlags.TRY) != 0, value, (flags & EventFlags.SNAPSHOT) != 0);
                case LOCK_TRY_FAILED -> {
                    if ((flags & EventFlags.INTERRUPTED) == 0) {
                        boolean pending = t.reqResource == obj;
                        tries.add(new long[] {time, t.id, obj, pending && t.reqTimed ? 1 : 0,
                            pending && t.reqSite != 0 ? t.reqSite : site, pending && t.reqStack != 0 ? t.reqStack
                                    : stack});
                    }
                    if (t.reqResource == obj) {
                        LockWait.Outcome outcome = (flags & EventFlags.INTERRUPTED) != 0
                                ? LockWait.Outcome.INTERRUPTED
                                : (flags & EventFlags.TIMED_OUT) != 0 ? LockWait.Outcome.TIMED_OUT
                                : LockWait.Outcome.FAILED;
                        endRequest(t, time, outcome);
                    }
                }
                case MONITOR_RELEASE, LOCK_RELEASE -> {
                    LockMode mode = LockMode.ofFlags(flags);
                    HoldState h = t.hold(obj, mode);
                    if (h == null && kind == EventKind.LOCK_RELEASE) {
                        h = anyHold(t, obj); // a release that does not say its mode
                    }
                    if (h != null && --h.count <= 0) {
                        closeHold(t, h, time);
                    }
                }
                case WAIT_BEGIN -> {
                    t.released = releaseAll(t, obj, time);
                    t.snapshotWait = (flags & EventFlags.SNAPSHOT) != 0;
                    setState(t, time, timed ? ThreadState.TIMED_WAITING : ThreadState.WAITING,
                            BlockReason.MONITOR_WAIT, obj, null, timed, site, stack, timed ? value : 0);
                }
                case WAIT_END, CONDITION_AWAIT_END -> {
                    markEnded(t, (flags & EventFlags.INTERRUPTED) != 0, (flags & EventFlags.TIMED_OUT) != 0, false);
                    resume(t, time);
                    if (t.snapshotWait && t.released.isEmpty()) {
                        // a wait in progress at attach: the monitor (or lock) is held from now on
                        long held = kind == EventKind.WAIT_END ? obj : ownerOf(obj);
                        if (held != 0 && !t.holdsAny(held)) {
                            acquired(t, held, LockMode.EXCLUSIVE, time, site, 0, false, Math.max(1, value), true);
                        }
                    }
                    t.snapshotWait = false;
                    reacquire(t, time, kind == EventKind.WAIT_END ? (int) value : 0);
                }
                case CONDITION_AWAIT_BEGIN -> {
                    long lock = ownerOf(obj);
                    t.released = lock == 0 ? List.of() : releaseAll(t, lock, time);
                    t.snapshotWait = (flags & EventFlags.SNAPSHOT) != 0;
                    setState(t, time, timed ? ThreadState.TIMED_WAITING : ThreadState.WAITING,
                            BlockReason.CONDITION_AWAIT, obj, null, timed, site, stack, timed ? value : 0);
                }
                case PARK_BEGIN -> setState(t, time, timed ? ThreadState.TIMED_WAITING : ThreadState.WAITING,
                        BlockReason.PARK, obj, null, timed, site, stack, timed ? value : 0);
                case JOIN_BEGIN -> setState(t, time, timed ? ThreadState.TIMED_WAITING : ThreadState.WAITING,
                        BlockReason.JOIN, obj, null, timed, site, stack, timed ? value : 0);
                case SLEEP_BEGIN -> setState(t, time, ThreadState.SLEEPING, BlockReason.SLEEP, 0, null, true,
                        site, stack, value);
                case PARK_END, SLEEP_END -> {
                    markEnded(t, (flags & EventFlags.INTERRUPTED) != 0, false, false);
                    resume(t, time);
                }
                case JOIN_END -> {
                    markEnded(t, (flags & EventFlags.INTERRUPTED) != 0, (flags & EventFlags.TIMED_OUT) != 0,
                            false);
                    resume(t, time);
                    if ((flags & (EventFlags.INTERRUPTED | EventFlags.TIMED_OUT | EventFlags.FAILED)) == 0) {
                        joins.add(new TraceModel.ThreadJoin(time, t.id, obj));
                    }
                }
                case INTERRUPT -> interrupts.add(new Interrupt(time, t.id, obj));
                case NOTIFY, NOTIFY_ALL, CONDITION_SIGNAL, CONDITION_SIGNAL_ALL ->
                        lastSignals.put(obj, new long[] {time, t.id, kind.ordinal(), site, stack});
                case LOST_EVENTS -> t.lost += Math.max(1, value);
                // counted, not held: no interval, no state, no lock order (the agent recorded each such context
                // in full once), and no effect on who holds the resource now
                case LEAF_HOLDS -> {
                    if (value > 0) {
                        countedTable.add(obj, t.id, time, value, site, t.holdsAny(obj));
                    }
                }
                case THREAD_SAMPLE -> samples.add(new ThreadSample(t.id, time, value < 0 || value >= SAMPLE_STATES.length
                        ? null : SAMPLE_STATES[(int) value], interner.frame(site), interner.stack(stack)));
                case CHANNEL_SEND_BEGIN -> beginOp(t, OperationKind.SEND, BlockReason.CHANNEL_SEND, obj, time, flags,
                        value, textId, site, stack);
                case CHANNEL_RECV_BEGIN -> beginOp(t, OperationKind.RECEIVE, BlockReason.CHANNEL_RECEIVE, obj, time,
                        flags, value, textId, site, stack);
                case EXCHANGE_BEGIN -> beginOp(t, OperationKind.EXCHANGE, BlockReason.EXCHANGE, obj, time, flags,
                        value, textId, site, stack);
                case LATCH_AWAIT_BEGIN -> beginOp(t, OperationKind.LATCH_AWAIT, BlockReason.LATCH_AWAIT, obj, time,
                        flags, value, textId, site, stack);
                case SEMAPHORE_ACQUIRE_BEGIN -> beginOp(t, OperationKind.ACQUIRE, BlockReason.SEMAPHORE_ACQUIRE, obj,
                        time, flags, value, textId, site, stack);
                case BARRIER_AWAIT_BEGIN -> beginOp(t, OperationKind.BARRIER_AWAIT, BlockReason.BARRIER_AWAIT, obj,
                        time, flags, value, textId, site, stack);
                case FUTURE_GET_BEGIN -> beginOp(t, OperationKind.FUTURE_GET, BlockReason.FUTURE_GET, obj, time,
                        flags, value, textId, site, stack);
                case POOL_AWAIT_BEGIN -> beginOp(t, OperationKind.POOL_AWAIT, BlockReason.POOL_AWAIT_TERMINATION,
                        obj, time, flags, value, textId, site, stack);
                case CHANNEL_SEND_END -> endOp(t, OperationKind.SEND, obj, time, flags, value, textId, site, stack);
                case CHANNEL_RECV_END -> endOp(t, OperationKind.RECEIVE, obj, time, flags, value, textId, site,
                        stack);
                case EXCHANGE_END -> endOp(t, OperationKind.EXCHANGE, obj, time, flags, value, textId, site, stack);
                case LATCH_AWAIT_END -> endOp(t, OperationKind.LATCH_AWAIT, obj, time, flags, value, textId, site,
                        stack);
                case SEMAPHORE_ACQUIRE_END -> endOp(t, OperationKind.ACQUIRE, obj, time, flags, value, textId, site,
                        stack);
                case BARRIER_AWAIT_END -> endOp(t, OperationKind.BARRIER_AWAIT, obj, time, flags, value, textId, site,
                        stack);
                case FUTURE_GET_END -> endOp(t, OperationKind.FUTURE_GET, obj, time, flags, value, textId, site,
                        stack);
                case POOL_AWAIT_END -> endOp(t, OperationKind.POOL_AWAIT, obj, time, flags, value, textId, site,
                        stack);
                case LATCH_COUNT_DOWN -> instantOp(t, OperationKind.COUNT_DOWN, obj, time, flags, value, text, site,
                        stack);
                case SEMAPHORE_RELEASE -> instantOp(t, OperationKind.RELEASE, obj, time, flags, value, text, site,
                        stack);
                case PHASER_ARRIVE -> instantOp(t, OperationKind.ARRIVE, obj, time, flags, value, text, site, stack);
                case PHASER_REGISTER -> instantOp(t, OperationKind.REGISTER, obj, time, flags, value, text, site,
                        stack);
                case FUTURE_COMPLETE -> instantOp(t, OperationKind.COMPLETE, obj, time, flags, value, text, site,
                        stack);
                case POOL_CREATE -> {
                    PoolAcc p = pool(obj);
                    p.creator = t.id;
                    p.createTime = time;
                    p.core = value;
                    p.className = text;
                    p.site = site;
                    p.stack = stack;
                }
                case POOL_SHUTDOWN -> {
                    PoolAcc p = pool(obj);
                    if (p.shutdownTime < 0) {
                        p.shutdownTime = time;
                        p.shutdownThread = t.id;
                        p.shutdownHow = text;
                    }
                }
                case TASK_SUBMIT -> {
                    queuedTasks.computeIfAbsent(obj, k -> new java.util.ArrayDeque<>())
                            .add(new TaskAcc(obj, value, t.id, time, site, stack));
                    if (value != 0) {
                        pool(value).submitted++;
                    }
                }
                case TASK_BEGIN -> taskBegin(t, obj, value, time);
                case TASK_END -> taskEnd(t, obj, time, (flags & EventFlags.FAILED) != 0);
                case WORKER_IDLE_BEGIN -> {
                    pool(obj).worker(t.id);
                    t.frames.add(new WaitFrame(null, ThreadState.IDLE, BlockReason.WORKER_IDLE, obj, time, flags, 0, 0,
                            site, stack, 0));
                    t.states.add(time, ThreadState.IDLE, BlockReason.WORKER_IDLE, obj, null, false, site, stack);
                }
                case WORKER_IDLE_END -> {
                    for (int f = t.frames.size() - 1; f >= 0; f--) {
                        if (t.frames.get(f).state == ThreadState.IDLE) {
                            popTo(t, f);
                            resume(t, time);
                            break;
                        }
                    }
                }
                case CLASS_INIT_BEGIN -> acquired(t, obj, LockMode.EXCLUSIVE, time, site, stack, true, 1, false);
                case CLASS_INIT_END -> {
                    HoldState h = t.hold(obj, LockMode.EXCLUSIVE);
                    if (h != null && --h.count <= 0) {
                        closeHold(t, h, time);
                    }
                }
                default -> {
                    // UNPARK: no state change
                }
            }
        }

        // ---- the stall watcher's observations (WATCHED events)

        /**
         * One event of an observation by the agent's stall watcher: what the JVM said the thread held and waited
         * for. It adds only what the thread's own events do not say: a hold of something the thread is not known
         * to hold, a wait when the thread is not known to wait. A request the thread's own events made already
         * takes the observation's stack (the JVM's, where the thread really is). Everything added stands until
         * the thread's next event of its own or its next observation ({@link #endObservation}).
         */
        private void observed(ThreadCursor t, EventKind kind, long obj, long time, int flags, long value, int site,
                              int stack) {
            boolean timed = (flags & EventFlags.TIMED) != 0;
            switch (kind) {
                case THREAD_STATE -> {
                    if (t.observing) { // what the new observation confirms keeps its start (finishReplacing)
                        t.staleHolds = new ArrayList<>(t.observedHolds);
                        t.observedHolds.clear();
                        t.staleRequest = t.observedRequest ? t.reqResource : 0;
                        t.observedRequest = false;
                        t.staleWait = t.observedWait;
                        t.observedWait = false;
                        t.replacing = true;
                        t.batchTime = time;
                    }
                    t.observing = t.endTime < 0;
                }
                case MONITOR_ACQUIRED, LOCK_ACQUIRED, CLASS_INIT_BEGIN -> {
                    if (!t.observing) {
                        return;
                    }
                    LockMode mode = kind == EventKind.LOCK_ACQUIRED ? LockMode.ofFlags(flags) : LockMode.EXCLUSIVE;
                    for (HoldState stale : t.staleHolds) {
                        if (stale.resource == obj && stale.mode == mode) { // seen again: the same hold
                            t.staleHolds.remove(stale);
                            t.observedHolds.add(stale);
                            return;
                        }
                    }
                    if (t.holdsAny(obj)) {
                        return; // known from the thread's own events: not a second hold
                    }
                    HoldState h = new HoldState(obj, t.id, mode, time, site, stack, false);
                    h.count = (int) Math.max(1, value);
                    t.holds.add(h);
                    resourceState(obj).holders.add(h);
                    t.observedHolds.add(h);
                }
                case MONITOR_REQUEST, LOCK_REQUEST -> {
                    if (!t.observing) {
                        return;
                    }
                    if (t.staleRequest != 0 && t.staleRequest != obj && t.reqResource == t.staleRequest) {
                        endRequest(t, time, LockWait.Outcome.ACQUIRED); // it waits for something else now
                        t.staleRequest = 0;
                    }
                    if (t.reqResource != 0) {
                        if (t.reqResource == obj && t.staleRequest == obj) { // seen again: the same wait
                            t.staleRequest = 0;
                            t.observedRequest = true;
                        }
                        if (t.reqResource == obj && stack != 0) {
                            t.reqStack = stack; // the same wait: where the JVM says it waits
                        }
                        return;
                    }
                    if (!knownRunning(t)) {
                        return; // its own events say it waits already
                    }
                    t.reqResource = obj;
                    t.reqMode = LockMode.ofFlags(flags);
                    t.reqTime = time;
                    t.reqSite = site;
                    t.reqStack = stack;
                    t.reqTimed = kind == EventKind.LOCK_REQUEST && timed;
                    t.reqReentrant = false; // the JVM says it is blocked
                    t.reqContended = true;
                    t.observedRequest = true;
                }
                case WAIT_BEGIN, CONDITION_AWAIT_BEGIN, SLEEP_BEGIN, CLASS_INIT_WAIT -> {
                    if (!t.observing) {
                        return;
                    }
                    if (t.staleWait) {
                        t.staleWait = false;
                        if (t.states.lastResource() == (kind == EventKind.SLEEP_BEGIN ? 0 : obj)
                                && t.states.lastReason() == reasonOf(kind)) {
                            t.observedWait = true; // seen again: the same wait
                            return;
                        }
                        resume(t, time);
                    }
                    if (t.reqResource != 0 || !knownRunning(t)) {
                        return;
                    }
                    ThreadState state = kind == EventKind.SLEEP_BEGIN ? ThreadState.SLEEPING
                            : kind == EventKind.CLASS_INIT_WAIT ? ThreadState.BLOCKED
                            : timed ? ThreadState.TIMED_WAITING : ThreadState.WAITING;
                    BlockReason reason = reasonOf(kind);
                    setState(t, time, state, reason, kind == EventKind.SLEEP_BEGIN ? 0 : obj,
                            kind == EventKind.CLASS_INIT_WAIT ? LockMode.EXCLUSIVE : null,
                            timed || kind == EventKind.SLEEP_BEGIN, site, stack, 0);
                    t.observedWait = true;
                }
                default -> {
                    // nothing else comes from the watcher
                }
            }
        }

        private static BlockReason reasonOf(EventKind observedWait) {
            return switch (observedWait) {
                case WAIT_BEGIN -> BlockReason.MONITOR_WAIT;
                case CONDITION_AWAIT_BEGIN -> BlockReason.CONDITION_AWAIT;
                case SLEEP_BEGIN -> BlockReason.SLEEP;
                default -> BlockReason.CLASS_INIT;
            };
        }

        /** The new observation is complete: what the previous one added and this one did not confirm ends. */
        private void finishReplacing(ThreadCursor t) {
            t.replacing = false;
            long time = t.batchTime;
            for (HoldState h : t.staleHolds) {
                if (t.holds.contains(h)) {
                    closeHold(t, h, time);
                }
            }
            t.staleHolds = List.of();
            if (t.staleRequest != 0 && t.reqResource == t.staleRequest) {
                endRequest(t, time, LockWait.Outcome.ACQUIRED);
            }
            t.staleRequest = 0;
            if (t.staleWait) {
                t.staleWait = false;
                resume(t, time);
            }
        }

        /** Running as far as the thread's own events tell: no request, wait, operation or idling open. */
        private boolean knownRunning(ThreadCursor t) {
            return t.reqResource == 0 && t.frames.isEmpty() && t.released.isEmpty()
                    && (t.states.lastState() == null || t.states.lastState() == ThreadState.RUNNING);
        }

        /**
         * The observation no longer stands: the thread recorded an event of its own ({@code kind} on {@code obj})
         * or was observed again. Holds and waits that only the observation gave end now; an observed request
         * ends as granted, unless the event is its acquisition, which ends it itself.
         */
        private void endObservation(ThreadCursor t, long time, EventKind kind, long obj) {
            t.observing = false;
            for (HoldState h : t.observedHolds) {
                if (t.holds.contains(h)) {
                    closeHold(t, h, time);
                }
            }
            t.observedHolds.clear();
            if (t.observedRequest) {
                t.observedRequest = false;
                boolean acquisition = (kind == EventKind.MONITOR_ACQUIRED || kind == EventKind.LOCK_ACQUIRED)
                        && obj == t.reqResource;
                if (t.reqResource != 0 && !acquisition) {
                    endRequest(t, time, LockWait.Outcome.ACQUIRED);
                }
            }
            if (t.observedWait) {
                t.observedWait = false;
                resume(t, time);
            }
        }

        // ---- states, respecting what the thread is inside of

        /** A wait begins, unless the thread is idle in its pool (then the pool's own waiting is not shown). */
        private void setState(ThreadCursor t, long time, ThreadState state, BlockReason reason, long res,
                              LockMode mode, boolean timed, int site, int stack, long timeout) {
            if (!t.idle()) {
                t.states.add(time, state, reason, res, mode, timed, site, stack, timeout);
            }
        }

        private void markEnded(ThreadCursor t, boolean interrupted, boolean timedOut, boolean failed) {
            if (!t.idle()) {
                t.states.markLastEnded(interrupted, timedOut, failed);
            }
        }

        /** A wait ended: the thread is back in its enclosing frame's state (running when there is none). */
        private void resume(ThreadCursor t, long time) {
            if (t.frames.isEmpty()) {
                t.states.add(time, ThreadState.RUNNING, BlockReason.NONE, 0, null, false, 0, 0);
                return;
            }
            WaitFrame f = t.frames.get(t.frames.size() - 1);
            if (f.state == ThreadState.IDLE && t.states.lastState() == ThreadState.IDLE) {
                return;
            }
            if (f.state == ThreadState.RUNNING || !f.interval) {
                t.states.add(time, ThreadState.RUNNING, BlockReason.NONE, 0, null, false, 0, 0);
            } else {
                t.states.add(time, f.state, f.reason, f.resource, null, (f.flags & EventFlags.TIMED) != 0, f.site,
                        f.stack, f.timeout);
            }
        }

        private void popTo(ThreadCursor t, int index) {
            while (t.frames.size() > index) {
                t.frames.remove(t.frames.size() - 1);
            }
        }

        // ---- channels, synchronizers, futures, pools

        private void beginOp(ThreadCursor t, OperationKind op, BlockReason reason, long res, long time, int flags,
                             long value, int text, int site, int stack) {
            boolean timed = (flags & EventFlags.TIMED) != 0;
            // a semaphore's value is its permits; every other wait's value is its timeout
            long timeout = timed && op != OperationKind.ACQUIRE ? value : 0;
            ThreadState state = timed ? ThreadState.TIMED_WAITING : ThreadState.WAITING;
            WaitFrame f = new WaitFrame(op, state, reason, res, time, flags, value, text, site, stack, timeout);
            // calls that never block (offer(), poll(), tryAcquire(), a send to an unbounded queue) leave no wait
            // interval: a trace that ends (or is detached) during one must not show the thread waiting
            f.interval = ((flags & EventFlags.TRY) == 0 || timed) && !(op == OperationKind.SEND && sendNeverBlocks(res,
                    text));
            if (f.interval) {
                setState(t, time, state, reason, res, null, timed, site, stack, timeout);
            }
            t.frames.add(f);
        }

        private void endOp(ThreadCursor t, OperationKind op, long res, long time, int flags, long value, int text,
                           int site, int stack) {
            int index = -1;
            for (int i = t.frames.size() - 1; i >= 0 && index < 0; i--) {
                WaitFrame f = t.frames.get(i);
                if (f.op == op && f.resource == res) {
                    index = i;
                }
            }
            Operation.Outcome outcome = outcome(flags);
            if (index < 0) {
                // an end without its begin (it began before recording, or was lost): the end alone
                operations.add(new Operation(op, res, t.id, time, time, outcome, value, text(text), false,
                        (flags & EventFlags.TRY) != 0, interner.frame(site), interner.stack(stack)));
                return;
            }
            WaitFrame f = t.frames.get(index);
            popTo(t, index);
            operations.add(new Operation(op, res, t.id, f.start, time, outcome, value != 0 ? value : f.value,
                    text(text != 0 ? text : f.text), (f.flags & EventFlags.TIMED) != 0,
                    (f.flags & EventFlags.TRY) != 0, interner.frame(f.site), interner.stack(f.stack)));
            if (f.interval) {
                if (t.states.lastReason() == f.reason) {
                    markEnded(t, outcome == Operation.Outcome.INTERRUPTED, outcome == Operation.Outcome.TIMED_OUT,
                            outcome == Operation.Outcome.FAILED);
                }
                resume(t, time);
            }
        }

        private void instantOp(ThreadCursor t, OperationKind op, long res, long time, int flags, long value,
                               String text, int site, int stack) {
            operations.add(new Operation(op, res, t.id, time, time, outcome(flags), value, text, false,
                    (flags & EventFlags.TRY) != 0, interner.frame(site), interner.stack(stack)));
        }

        private Operation.Outcome outcome(int flags) {
            if ((flags & EventFlags.INTERRUPTED) != 0) {
                return Operation.Outcome.INTERRUPTED;
            }
            if ((flags & EventFlags.TIMED_OUT) != 0) {
                return Operation.Outcome.TIMED_OUT;
            }
            return (flags & EventFlags.FAILED) != 0 ? Operation.Outcome.FAILED : Operation.Outcome.COMPLETED;
        }

        private String text(int id) {
            return id == 0 ? null : texts.get(id);
        }

        private PoolAcc pool(long id) {
            return pools.computeIfAbsent(id, PoolAcc::new);
        }

        private void taskBegin(ThreadCursor t, long task, long poolId, long time) {
            java.util.ArrayDeque<TaskAcc> queued = queuedTasks.get(task);
            TaskAcc run = queued == null ? null : queued.poll();
            if (queued != null && queued.isEmpty()) {
                queuedTasks.remove(task);
            }
            if (run == null) {
                run = new TaskAcc(task, poolId, 0, -1, 0, 0); // submitted before recording, or not recorded
            }
            if (run.pool == 0) {
                run.pool = poolId;
            }
            run.worker = t.id;
            run.begin = time;
            taskRuns.add(run);
            if (run.pool != 0) {
                pool(run.pool).worker(t.id);
            }
            while (t.idle()) { // the worker got its task: no longer idle
                t.frames.remove(t.frames.size() - 1);
            }
            t.tasks.add(run);
            t.frames.add(new WaitFrame(null, ThreadState.RUNNING, BlockReason.NONE, task, time, 0, 0, 0, 0, 0, 0));
            t.states.add(time, ThreadState.RUNNING, BlockReason.NONE, 0, null, false, 0, 0);
        }

        private void taskEnd(ThreadCursor t, long task, long time, boolean failed) {
            for (int i = t.tasks.size() - 1; i >= 0; i--) {
                TaskAcc run = t.tasks.get(i);
                if (run.task == task) {
                    run.end = time;
                    run.failed = failed;
                    t.tasks.remove(i);
                    break;
                }
            }
            for (int f = t.frames.size() - 1; f >= 0; f--) {
                WaitFrame frame = t.frames.get(f);
                if (frame.op == null && frame.state == ThreadState.RUNNING && frame.resource == task) {
                    popTo(t, f);
                    resume(t, time);
                    return;
                }
            }
        }

        /** The thread ended: whatever it was inside of ended with it (operations still open stay pending). */
        private void endFrames(ThreadCursor t, long time) {
            pendingOps(t, time);
            t.frames.clear();
            t.tasks.clear();
        }

        private void pendingOps(ThreadCursor t, long time) {
            for (WaitFrame f : t.frames) {
                if (f.op != null) {
                    operations.add(new Operation(f.op, f.resource, t.id, f.start, time, Operation.Outcome.PENDING,
                            f.value, text(f.text), (f.flags & EventFlags.TIMED) != 0,
                            (f.flags & EventFlags.TRY) != 0, interner.frame(f.site), interner.stack(f.stack)));
                }
            }
        }

        private ResourceKind kindOf(long resource) {
            int r = resourceIndex.get(resource);
            return r < 0 || kinds.get(r) == null ? ResourceKind.OTHER : kinds.get(r);
        }

        /**
         * Whether a send to this queue cannot block: the queue is unbounded (capacity Integer.MAX_VALUE: a default
         * LinkedBlockingQueue, PriorityBlockingQueue, DelayQueue, LinkedTransferQueue), except for the transfer
         * calls, which wait for a receiver whatever the capacity.
         */
        private boolean sendNeverBlocks(long queue, int text) {
            int r = resourceIndex.get(queue);
            ObjectInfo info = r < 0 ? null : objectInfos.get(r);
            if (info == null || info.capacity() != Integer.MAX_VALUE) {
                return false;
            }
            String method = text(text);
            return method == null || !method.startsWith("transfer") && !method.startsWith("tryTransfer");
        }

        private long ownerOf(long condition) {
            int r = resourceIndex.get(condition);
            ObjectInfo info = r < 0 ? null : objectInfos.get(r);
            return info == null ? 0 : info.ownerId();
        }

        private HoldState anyHold(ThreadCursor t, long resource) {
            for (HoldState h : t.holds) {
                if (h.resource == resource) {
                    return h;
                }
            }
            return null;
        }

        private void request(ThreadCursor t, long res, LockMode mode, long time, int site, int stack,
                             boolean timed) {
            t.reqResource = res;
            t.reqMode = mode;
            t.reqTime = time;
            t.reqSite = site;
            t.reqStack = stack;
            t.reqTimed = timed;
            // reentrant unless asking to write while holding only the read lock (which never succeeds)
            t.reqReentrant = t.holdsAny(res) && !(mode == LockMode.WRITE && t.hold(res, LockMode.READ) != null
                    && t.hold(res, LockMode.WRITE) == null);
            t.reqContended = heldByOther(t, res, mode);
            if (!timed && !t.reqReentrant) {
                addLockOrderEdges(t, res, mode, time, site, stack);
            }
        }

        private void acquired(ThreadCursor t, long res, LockMode mode, long time, int site, int stack,
                              boolean tried, long value, boolean snapshot) {
            boolean requested = t.reqResource == res;
            boolean reentrant = t.holdsAny(res);
            if (requested) {
                tried |= t.reqTimed;
                endRequest(t, time, LockWait.Outcome.ACQUIRED);
                // the hold's site is the request's (the same statement), with its stack
                site = t.reqSite != 0 ? t.reqSite : site;
                stack = t.reqStack != 0 ? t.reqStack : stack;
            } else if (!tried && !reentrant && !snapshot) {
                // (the holds of a snapshot came in an order the thread dump does not tell: no lock order)
                addLockOrderEdges(t, res, mode, time, site, stack);
            }
            HoldState h = t.hold(res, mode);
            ResourceState rs = resourceState(res);
            if (h == null) {
                h = new HoldState(res, t.id, mode, time, site, stack, tried);
                t.holds.add(h);
                rs.holders.add(h);
            }
            h.count = snapshot && value > 0 ? (int) value : h.count + 1; // a snapshot tells the whole count
            rs.lastAcquireTime = time;
            rs.lastAcquirer = t.id;
        }

        /** The outstanding request ends: if another thread held the resource meanwhile, it was a real wait. */
        private void endRequest(ThreadCursor t, long time, LockWait.Outcome outcome) {
            long res = t.reqResource;
            t.reqResource = 0;
            if (t.reqReentrant || !contended(t, res)) {
                return;
            }
            waitTable.addWait(res, t.id, t.reqMode, t.reqTime, time, outcome, t.reqTimed, t.reqSite,
                    t.reqStack);
            blockedFrom(t, res, t.reqTime);
            markEnded(t, outcome == LockWait.Outcome.INTERRUPTED, outcome == LockWait.Outcome.TIMED_OUT, false);
            resume(t, time);
        }

        private void blockedFrom(ThreadCursor t, long res, long from) {
            BlockReason reason = kindOf(res) == ResourceKind.MONITOR ? BlockReason.MONITOR_ENTER
                    : BlockReason.LOCK;
            if (t.states.lastStart() <= from) {
                setState(t, from, ThreadState.BLOCKED, reason, res, t.reqMode, t.reqTimed, t.reqSite, t.reqStack,
                        0);
            }
        }

        /** Another thread held it in a conflicting mode when asked, or got it since the request. */
        private boolean contended(ThreadCursor t, long res) {
            if (t.reqContended) {
                return true;
            }
            ResourceState rs = resourceState(res);
            return rs.lastAcquireTime > t.reqTime && rs.lastAcquirer != t.id;
        }

        private boolean heldByOther(ThreadCursor t, long res, LockMode mode) {
            for (HoldState h : resourceState(res).holders) {
                if (h.thread != t.id && h.mode.conflicts(mode)) {
                    return true;
                }
            }
            return false;
        }

        private void closeHold(ThreadCursor t, HoldState h, long time) {
            t.holds.remove(h);
            resourceState(h.resource).holders.remove(h);
            holdTable.addHold(h.resource, h.thread, h.mode, h.start, time, false, h.tried, h.site, h.stack);
        }

        private List<HoldState> releaseAll(ThreadCursor t, long res, long time) {
            List<HoldState> released = new ArrayList<>(1);
            for (HoldState h : new ArrayList<>(t.holds)) {
                if (h.resource == res) {
                    closeHold(t, h, time);
                    released.add(h);
                }
            }
            return released;
        }

        private void reacquire(ThreadCursor t, long time, int count) {
            for (HoldState old : t.released) {
                HoldState h = new HoldState(old.resource, t.id, old.mode, time, old.site, old.stack, old.tried);
                h.count = count > 0 ? count : old.count;
                t.holds.add(h);
                resourceState(h.resource).holders.add(h);
            }
            t.released = List.of();
        }

        private void addLockOrderEdges(ThreadCursor t, long to, LockMode toMode, long time, int site,
                                       int stack) {
            if (t.holds.isEmpty()) {
                return;
            }
            for (int i = 0; i < t.holds.size(); i++) {
                HoldState from = t.holds.get(i);
                if (from.resource == to) {
                    continue;
                }
                // gate locks: those taken before `from` (a lock taken between `from` and `to` guards nothing)
                List<Long> gates = new ArrayList<>();
                for (int j = 0; j < i; j++) {
                    HoldState other = t.holds.get(j);
                    if (other.resource != from.resource && other.resource != to
                            && !gates.contains(other.resource)) {
                        gates.add(other.resource);
                    }
                }
                gates.sort(null);
                EdgeKey key = new EdgeKey(from.resource, to, t.id, from.mode, toMode, List.copyOf(gates));
                EdgeAcc acc = edges.get(key);
                if (acc == null) {
                    acc = new EdgeAcc(from.site, from.stack, site, stack, from.start);
                    edges.put(key, acc);
                }
                acc.lastToTime = time;
                acc.firstFromTime = Math.min(acc.firstFromTime, from.start);
                acc.count++;
            }
        }

        private void finishThread(ThreadCursor t) {
            if (t.replacing) {
                finishReplacing(t);
            }
            if (t.reqResource != 0 && !t.reqReentrant) {
                // still asking when the trace ended: blocked, and a wait that never ended
                waitTable.addWait(t.reqResource, t.id, t.reqMode, t.reqTime, end, LockWait.Outcome.PENDING,
                        t.reqTimed, t.reqSite, t.reqStack);
                blockedFrom(t, t.reqResource, t.reqTime);
            }
            for (HoldState h : t.holds) {
                holdTable.addHold(h.resource, h.thread, h.mode, h.start, end, true, h.tried, h.site, h.stack);
            }
            for (HoldState h : t.released) { // in wait/await at the end: the hold was closed already
                h.count = 0;
            }
            if (t.endTime < 0) {
                pendingOps(t, end);
            }
            t.states.finish(t.endTime >= 0 ? t.endTime : end, t.endTime < 0);
            threadInfos.put(t.id, new ThreadInfo(t.id, t.name == null ? "thread #" + t.id : t.name, t.daemon,
                    t.virtual, t.preexisting, t.parent, t.startTime, t.beginTime, t.endTime, t.uncaught,
                    interner.frame(t.startSite), interner.stack(t.startStack), t.lost, t.snapshot));
        }

        TraceModel model(TraceSummary summary) {
            Map<Long, Resource> resources = new LinkedHashMap<>();
            for (int r = 0; r < objectInfos.size(); r++) {
                ObjectInfo o = objectInfos.get(r);
                ResourceKind k = kinds.get(r) == null ? ResourceKind.OTHER : kinds.get(r);
                long id = resourceIds.a[r];
                resources.put(id, o == null ? new Resource(id, "?", 0, 0, k)
                        : new Resource(o.id(), o.className(), o.identityHash(), o.ownerId(), k, o.capacity()));
            }
            holdTable.finish(resourceIndex, objectInfos.size());
            waitTable.finish(resourceIndex, objectInfos.size());
            countedTable.finish(resourceIndex, objectInfos.size());
            List<LockOrderEdge> lockOrder = new ArrayList<>(edges.size());
            edges.forEach((k, a) -> lockOrder.add(new LockOrderEdge(k.from, k.to, k.thread, k.fromMode, k.toMode,
                    k.gates, interner.frame(a.fromSite), interner.stack(a.fromStack), interner.frame(a.toSite),
                    interner.stack(a.toStack), a.firstFromTime, a.lastToTime, a.count)));
            Map<Long, StateTable> tables = new HashMap<>();
            cursors.values().forEach(c -> tables.put(c.id, c.states));
            List<FailedTry> failedTries = new ArrayList<>(tries.size());
            for (long[] f : tries) {
                failedTries.add(new FailedTry(f[0], f[1], f[2], f[3] != 0, interner.frame((int) f[4]),
                        interner.stack((int) f[5])));
            }
            Map<Long, Signal> signals = new HashMap<>();
            lastSignals.forEach((res, f) -> signals.put(res, new Signal(f[0], f[1], res, KINDS[(int) f[2]],
                    interner.frame((int) f[3]), interner.stack((int) f[4]))));
            // runs in the order they began, then the tasks still queued at the end in the order submitted
            List<TaskRun> runs = new ArrayList<>(taskRuns.size());
            for (TaskAcc a : taskRuns) {
                runs.add(taskRun(a));
            }
            List<TaskAcc> queued = new ArrayList<>();
            queuedTasks.values().forEach(queued::addAll);
            queued.sort((x, y) -> Long.compare(x.submitTime, y.submitTime));
            queued.forEach(a -> runs.add(taskRun(a)));
            List<Pool> poolList = new ArrayList<>(pools.size());
            for (PoolAcc p : pools.values()) {
                Resource r = resources.get(p.id);
                String cls = r != null && !"?".equals(r.className()) ? r.className()
                        : p.className != null ? p.className : "?";
                poolList.add(new Pool(p.id, cls, p.creator, p.createTime, p.core, r == null ? -1 : r.capacity(),
                        interner.frame(p.site), interner.stack(p.stack), p.workers, p.shutdownTime,
                        p.shutdownThread, p.shutdownHow, p.submitted));
            }
            operations.sort(java.util.Comparator.comparingLong(Operation::start)); // stable: ties keep their order
            interner.finish();
            return new TraceModel(summary, threadInfos, resources, resourceIndex, tables, holdTable, waitTable,
                    countedTable, lockOrder, starts, joins, interrupts, failedTries, signals, interner, operations,
                    runs, poolList, samples);
        }

        private TaskRun taskRun(TaskAcc a) {
            return new TaskRun(a.task, a.pool, a.submitter, a.submitTime, interner.frame(a.site),
                    interner.stack(a.stack), a.worker, a.begin, a.end, a.failed);
        }

    }

    private record EdgeKey(long from, long to, long thread, LockMode fromMode, LockMode toMode, List<Long> gates) {
    }

    private static final class EdgeAcc {
        final int fromSite;
        final int fromStack;
        final int toSite;
        final int toStack;
        long firstFromTime;
        long lastToTime;
        long count;

        EdgeAcc(int fromSite, int fromStack, int toSite, int toStack, long firstFromTime) {
            this.fromSite = fromSite;
            this.fromStack = fromStack;
            this.toSite = toSite;
            this.toStack = toStack;
            this.firstFromTime = firstFromTime;
        }
    }
}
