package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One thread's recorder: a single-producer ring of events that only its thread writes and only the writer thread
 * reads, so recording takes no lock. When the ring is full the event is counted as lost (never blocks), and a
 * {@code LOST_EVENTS} event with the count is recorded as soon as there is room again.
 *
 * <p>It also keeps what the thread holds (monitors and locks, with hold counts), so releases need no lookup of
 * the object, and small caches (object entries, stacks per call site) that keep the hot path free of locks.
 *
 * <p>Bootstrap code: no lambdas, no allocation on the hot path.
 */
public final class ThreadRecorder {
    private static final ThreadLocal<ThreadRecorder> CURRENT = new ThreadLocal<ThreadRecorder>();
    private static final VarHandle PUBLISHED;
    private static final VarHandle OBJECT_TIME;
    private static final VarHandle WAITERS;
    private static final int SLOTS = 5; // longs per event

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(ThreadRecorder.class, "published", long.class);
            OBJECT_TIME = MethodHandles.lookup().findVarHandle(ObjEntry.class, "lastTime", long.class);
            WAITERS = MethodHandles.lookup().findVarHandle(ObjEntry.class, "waiters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** False before the agent starts and after it stops: every hook returns at once. */
    static volatile boolean recording;

    final long threadId;
    private final WeakReference<Thread> thread;
    private final long[] ring;
    private final int capacity;
    private final int mask;
    private long head;
    private volatile long published;
    volatile long consumed;
    /** The writer's position when last read by this thread (never ahead of {@link #consumed}). */
    private long consumedSeen;
    private final int stackMode;
    private final boolean waitWhenFull;
    private long lost;
    /** Greater than 0 while inside a recorded operation or the recorder itself: nested events are not recorded. */
    int busy;
    private boolean begun;
    volatile boolean ended;
    private long lastTime;
    String uncaught;

    // ---- futures and executors (FutureHooks, ExecutorHooks)
    /** Call site of the program's complete/completeExceptionally/cancel in progress, for the completion advice. */
    int completionSite;
    /** Object id of the pool task this worker is running (TASK_BEGIN recorded, TASK_END not yet), else 0. */
    long runningTask;
    /** Inside a pool's execute or worker exit (busy): the pool may start a worker, and its THREAD_START counts. */
    boolean poolStartsThreads;

    // what this thread holds: objects (monitors or lock resources), their entries, hold counts
    private Object[] heldObj = new Object[8];
    private ObjEntry[] heldEntry = new ObjEntry[8];
    private int[] heldCount = new int[8];
    private int heldSize;

    // the monitor request awaiting its acquisition
    private Object pendingObj;
    private ObjEntry pendingEntry;
    private int pendingSite;
    private long pendingCoarse;

    // ---- leaf holds (see collapse below)
    private final boolean collapseLeaves;
    /** A lock taken without waiting whose LOCK_REQUEST/ACQUIRED are not written yet (written before any event). */
    private ObjEntry leafEntry;
    private int leafSite;
    private long leafTime;
    private long leafCoarse;
    /** Set by {@link #releaseTime}: another thread waited for the lock being released. */
    private boolean releaseSawWaiters;
    /**
     * Collapsed holds not written yet, one row per (lock, site), all in the clock tick {@link #runCoarse}: written
     * as LEAF_HOLDS events before the first event of a later tick (or when the table is full, or at the end).
     */
    private final ObjEntry[] runEntry = new ObjEntry[RUN_SLOTS];
    private final int[] runSite = new int[RUN_SLOTS];
    private final long[] runTime = new long[RUN_SLOTS];
    private final int[] runHolds = new int[RUN_SLOTS];
    private int runCount;
    private long runCoarse;
    private static final int RUN_SLOTS = 8;
    /**
     * Lock-order contexts (lock, site, the locks held around it) recorded in full since this thread last started
     * or joined a thread: an open-addressing set of non-zero hashes. Only a hold whose context is here collapses,
     * so every lock-order edge, with its gate locks, appears at least once in each such stretch of the thread.
     */
    private final long[] contexts = new long[CONTEXT_SLOTS];
    private int contextCount;
    private static final int CONTEXT_SLOTS = 512;
    private static final int MAX_RUN = 1 << 30;


    private final ObjEntry[] cache = new ObjEntry[64];
    private int[] stackSites = new int[32];
    private int[] stackIds = new int[32];
    private int stackCount;

    private ThreadRecorder(Thread t, int capacity) {
        this.threadId = t.getId();
        this.thread = new WeakReference<Thread>(t);
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.ring = new long[capacity * SLOTS];
        this.stackMode = Recorder.config().stackMode;
        this.waitWhenFull = Recorder.config().waitWhenFull;
        this.collapseLeaves = Recorder.config().collapseLeafHolds && stackMode != AgentConfig.STACKS_ALL;
        this.lastTime = Snapshot.floor(); // after the attach-time snapshot, if there is one
    }

    /**
     * Loads and initializes what the hooks use before any advice is woven, so no hook triggers class
     * initialization from inside the JDK code it instruments.
     */
    public static void prepare() {
        Resources.openedBy("agent start");
        Stacks.capture(1);
        Clock.coarse();
        Threads.isVirtual(Thread.currentThread());
    }

    /** The current thread's recorder, or null when not recording, inside a recorded operation, or an agent thread. */
    public static ThreadRecorder current() {
        if (!recording) {
            return null;
        }
        ThreadRecorder r = CURRENT.get();
        if (r == null) {
            r = create(false);
            if (r == null) {
                return null;
            }
        }
        return r.busy == 0 ? r : null;
    }

    /**
     * The recorder of a thread that is busy inside a thread pool's execute (or a worker's exit), where the pool
     * may start a worker thread: that start is the program's thread creation and is recorded (the analyser
     * groups a pool's threads by it). Null otherwise.
     */
    public static ThreadRecorder startingPoolWorker() {
        if (!recording) {
            return null;
        }
        ThreadRecorder r = CURRENT.get();
        return r != null && r.poolStartsThreads && !r.isAgentThread() ? r : null;
    }

    private static final int AGENT_BUSY = 1 << 20;

    /** Creates the current thread's recorder and records its THREAD_BEGIN. */
    static ThreadRecorder create(boolean startedDuringRecording) {
        Thread t = Thread.currentThread();
        boolean virtual = Threads.isVirtual(t);
        AgentConfig config = Recorder.config();
        ThreadRecorder r = new ThreadRecorder(t, virtual ? config.virtualBufferEvents : config.bufferEvents);
        try {
            CURRENT.set(r);
        } catch (UnsupportedOperationException e) {
            return null; // a virtual thread that may not have thread locals: not recorded
        }
        if (t instanceof AgentThread || Threads.isAttachListener(t)) {
            r.busy = AGENT_BUSY; // the agent's own threads (and the JVM's, that loads it) are never recorded
            return r;
        }
        Registry.add(r);
        r.begin(startedDuringRecording);
        return r;
    }

    /** Records THREAD_BEGIN unless already recorded. */
    void begin(boolean startedDuringRecording) {
        if (begun) {
            return;
        }
        begun = true;
        if (!startedDuringRecording && Snapshot.began(threadId)) {
            return; // the attach-time snapshot recorded this thread's THREAD_BEGIN
        }
        Thread t = Thread.currentThread();
        int flags = (t.isDaemon() ? EventFlags.DAEMON : 0) | (Threads.isVirtual(t) ? EventFlags.VIRTUAL : 0)
                | (startedDuringRecording ? 0 : EventFlags.PREEXISTING);
        busy++;
        try {
            int name = Tables.string(t.getName());
            put(EventKind.THREAD_BEGIN, Clock.precise(), flags, name, 0, 0, 0, 0);
        } finally {
            busy--;
        }
    }

    static ThreadRecorder existing() {
        return CURRENT.get();
    }

    /** Whether this is the recorder of one of the agent's own threads (never records). */
    boolean isAgentThread() {
        return busy >= AGENT_BUSY;
    }

    boolean isFinished() {
        if (published != consumed) {
            return false;
        }
        if (ended) {
            return true;
        }
        Thread t = thread.get();
        return t == null || (!t.isAlive() && t.getState() == Thread.State.TERMINATED);
    }

    // ---- the ring

    /**
     * Appends one event. {@code time} is made monotonic per thread here.
     */
    void put(EventKind kind, long time, int flags, int textId, long object, int site, int stack, long value) {
        if (leafEntry != null || (runCount != 0 && Clock.coarse() != runCoarse)) {
            flushLeaves(); // a held lock comes before what is recorded while holding it; counts once per tick
        }
        long h = head;
        // the writer's position is read only when the buffer looks full: one shared read less per event
        if (lost != 0 || h - consumedSeen >= capacity - 2) {
            putSlowly(kind, time, flags, textId, object, site, stack, value);
            return;
        }
        if (time < lastTime) {
            time = lastTime;
        }
        lastTime = time;
        int i = (int) (h & mask) * SLOTS;
        long[] r = ring;
        r[i] = time;
        r[i + 1] = ((long) kind.code() << 56) | ((long) (flags & 0xFFFFFF) << 32) | (textId & 0xFFFFFFFFL);
        r[i + 2] = object;
        r[i + 3] = ((long) site << 32) | (stack & 0xFFFFFFFFL);
        r[i + 4] = value;
        head = h + 1;
        PUBLISHED.setRelease(this, h + 1);
        if (((h + 1) & (capacity / 4 - 1)) == 0) {
            TraceFileSink.wake(); // a quarter of a buffer since the last wake-up: let the writer drain early
        }
    }

    /** {@link #put} when the buffer may be full or a LOST_EVENTS marker is owed: kept out of the hot path. */
    private void putSlowly(EventKind kind, long time, int flags, int textId, long object, int site, int stack,
                           long value) {
        long h = head;
        if (h - (consumedSeen = consumed) >= capacity - 2 && !(waitWhenFull && waitForRoom(h))) { // marker, event
            lost++;
            if (contextCount != 0) { // a context's full record may be what was lost: record contexts anew
                Arrays.fill(contexts, 0L);
                contextCount = 0;
            }
            return;
        }
        if (time < lastTime) {
            time = lastTime;
        }
        lastTime = time;
        if (lost != 0) {
            write(h++, EventKind.LOST_EVENTS.code(), time, 0, 0, 0, 0, 0, lost);
            Recorder.lostEvents(lost);
            lost = 0;
        }
        write(h, kind.code(), time, flags, textId, object, site, stack, value);
        head = h + 1;
        PUBLISHED.setRelease(this, h + 1);
        TraceFileSink.wake();
    }

    /** Events this thread could not record and has not reported in a LOST_EVENTS marker yet. */
    long unreportedLost() {
        return lost;
    }

    /**
     * The buffer is full: wakes the writer and yields the processor to it a bounded number of times (a few
     * hundred microseconds at most), so a burst is recorded rather than dropped, without ever blocking long.
     */
    private boolean waitForRoom(long h) {
        TraceFileSink.wake();
        for (int i = 0; i < MAX_YIELDS_WHEN_FULL; i++) {
            Thread.yield();
            if (h - (consumedSeen = consumed) < capacity - 2) {
                return true;
            }
        }
        return false;
    }

    private static final int MAX_YIELDS_WHEN_FULL = 64;

    private void write(long position, int kind, long time, int flags, int textId, long object, int site,
                       int stack, long value) {
        int i = (int) (position & mask) * SLOTS;
        long[] r = ring;
        r[i] = time;
        r[i + 1] = ((long) kind << 56) | ((long) (flags & 0xFFFFFF) << 32) | (textId & 0xFFFFFFFFL);
        r[i + 2] = object;
        r[i + 3] = ((long) site << 32) | (stack & 0xFFFFFFFFL);
        r[i + 4] = value;
    }

    long publishedAcquire() {
        return (long) PUBLISHED.getAcquire(this);
    }

    long[] ring() {
        return ring;
    }

    int mask() {
        return mask;
    }

    static int slots() {
        return SLOTS;
    }

    // ---- objects

    /** The entry of an object, through this thread's cache. */
    ObjEntry entry(Object o) {
        int h = System.identityHashCode(o);
        int slot = (h ^ (h >>> 7)) & 63;
        ObjEntry e = cache[slot];
        if (e != null && e.hash == h && e.get() == o) {
            return e;
        }
        return entrySlowly(o, h, slot);
    }

    private ObjEntry entrySlowly(Object o, int h, int slot) {
        busy++;
        try {
            ObjEntry e = Resources.entryFor(o, h);
            cache[slot] = e;
            return e;
        } finally {
            busy--;
        }
    }

    /**
     * Time for an event on an object: not before this thread's previous event, and after every earlier event on
     * the object (the caller holds its lock, so the entry's time is read and written in lock order).
     */
    private long objectTime(ObjEntry e, long t) {
        if (t < lastTime) {
            t = lastTime;
        }
        if (t <= e.lastTime) {
            t = e.lastTime + 1;
        }
        e.lastTime = t;
        return t;
    }

    private int findHeld(Object resourceKey) {
        for (int i = heldSize - 1; i >= 0; i--) {
            if (heldObj[i] == resourceKey) {
                return i;
            }
        }
        return -1;
    }

    /** Adds one hold of a resource; returns the new hold count. */
    private int hold(Object key, ObjEntry e) {
        int i = findHeld(key);
        if (i >= 0) {
            return ++heldCount[i];
        }
        if (heldSize == heldObj.length) {
            int n = heldSize * 2;
            heldObj = Arrays.copyOf(heldObj, n);
            heldEntry = Arrays.copyOf(heldEntry, n);
            heldCount = Arrays.copyOf(heldCount, n);
        }
        heldObj[heldSize] = key;
        heldEntry[heldSize] = e;
        heldCount[heldSize] = 1;
        heldSize++;
        return 1;
    }

    /** Removes one hold (or all, for a wait); returns the count before, or 0 if this thread had no record of it. */
    private int unhold(int i, boolean all) {
        int before = heldCount[i];
        if ((all || before == 1) && i == heldSize - 1) { // the usual case: the innermost hold ends
            heldSize = i;
            heldObj[i] = null;
            heldEntry[i] = null;
        } else if (all || before == 1) {
            heldSize--;
            System.arraycopy(heldObj, i + 1, heldObj, i, heldSize - i);
            System.arraycopy(heldEntry, i + 1, heldEntry, i, heldSize - i);
            System.arraycopy(heldCount, i + 1, heldCount, i, heldSize - i);
            heldObj[heldSize] = null;
            heldEntry[heldSize] = null;
        } else {
            heldCount[i] = before - 1;
        }
        return before;
    }

    boolean holds(Object key) {
        return findHeld(key) >= 0;
    }

    // ---- stacks

    /** The stack to record with a request at this site, per the configured stack mode. */
    int stackFor(int site) {
        int mode = stackMode;
        if (mode == AgentConfig.STACKS_NONE) {
            return 0;
        }
        if (mode == AgentConfig.STACKS_FIRST) {
            for (int i = 0; i < stackCount; i++) {
                if (stackSites[i] == site) {
                    return stackIds[i];
                }
            }
        }
        int id = captureStack();
        if (mode == AgentConfig.STACKS_FIRST && id != 0) {
            if (stackCount == stackSites.length) {
                stackSites = Arrays.copyOf(stackSites, stackCount * 2);
                stackIds = Arrays.copyOf(stackIds, stackCount * 2);
            }
            stackSites[stackCount] = site;
            stackIds[stackCount] = id;
            stackCount++;
        }
        return id;
    }

    /** Captures the current stack, without the agent's frames. */
    int captureStack() {
        if (Recorder.config().stackMode == AgentConfig.STACKS_NONE) {
            return 0;
        }
        busy++;
        try {
            return Stacks.capture(Recorder.config().stackDepth);
        } finally {
            busy--;
        }
    }

    // ---- leaf holds

    /**
     * A {@code lock()} that took the lock without waiting (its {@code tryLock()} succeeded). The first hold in
     * each lock-order context is written in full; a later one, if it is not reentrant, is kept back: its
     * LOCK_REQUEST and LOCK_ACQUIRED are written before the next event of this thread, or at its release if
     * another thread waited for it or it lasted into the next tick; otherwise the release only counts it
     * ({@link #lockReleased}).
     */
    void lockTaken(ObjEntry e, int site) {
        long coarse = Clock.coarse();
        long key = collapseLeaves ? context(e, site) : 0;
        int count = hold(e, e);
        long t = objectTime(e, coarse);
        if (count == 1 && leafEntry == null && key != 0 && knownContext(key)) {
            leafEntry = e;
            leafSite = site;
            leafTime = t;
            leafCoarse = coarse;
            return;
        }
        if (key != 0) {
            addContext(key);
        }
        put(EventKind.LOCK_REQUEST, t, 0, 0, e.id, site, stackFor(site), 0);
        put(EventKind.LOCK_ACQUIRED, t, 0, 0, e.id, site, 0, count);
    }

    /** Whether leaf holds may be collapsed for this thread (so a lock() should try tryLock() first). */
    boolean collapsesLeaves() {
        return collapseLeaves;
    }

    /** A thread about to wait for a lock that {@code tryLock()} did not get (+1), or done waiting (-1). */
    static void waiting(ObjEntry e, int delta) {
        WAITERS.getAndAdd(e, delta);
    }

    /** Writes what is kept back: the run of collapsed holds, then the lock held without its events written. */
    private void flushLeaves() {
        ObjEntry leaf = leafEntry;
        leafEntry = null;
        if (runCount != 0) {
            flushRuns();
        }
        if (leaf != null) {
            put(EventKind.LOCK_REQUEST, leafTime, 0, 0, leaf.id, leafSite, stackFor(leafSite), 0);
            put(EventKind.LOCK_ACQUIRED, leafTime, 0, 0, leaf.id, leafSite, 0, 1);
        }
    }

    /** Writes the counted holds as LEAF_HOLDS events, one per (lock, site), and empties the table. */
    private void flushRuns() {
        int n = runCount;
        runCount = 0; // first: put must not flush again
        for (int i = 0; i < n; i++) {
            ObjEntry e = runEntry[i];
            runEntry[i] = null;
            put(EventKind.LEAF_HOLDS, runTime[i], 0, 0, e.id, runSite[i], 0, runHolds[i]);
        }
    }

    /** Counts one collapsed hold in its (lock, site) row, writing the table first if it is of an older tick. */
    private void countLeaf(ObjEntry e, int site, long time, long coarse) {
        int n = runCount;
        if (n != 0 && coarse != runCoarse) {
            flushRuns();
            n = 0;
        }
        for (int i = 0; i < n; i++) {
            if (runEntry[i] == e && runSite[i] == site) {
                if (++runHolds[i] == MAX_RUN) {
                    flushRuns();
                }
                return;
            }
        }
        if (n == RUN_SLOTS) {
            flushRuns();
            n = 0;
        }
        runEntry[n] = e;
        runSite[n] = site;
        runTime[n] = time;
        runHolds[n] = 1;
        runCount = n + 1;
        runCoarse = coarse;
    }

    /**
     * Called by the writer thread when recording stops: the kept-back run and lock of a thread that may still be
     * running, read without synchronization (a hold counted at that very moment may be missed). Returns
     * {kind, time, object, site, value} rows; none when nothing is kept back.
     */
    long[][] leavesAtClose() {
        int n = Math.min(runCount, RUN_SLOTS);
        ObjEntry leaf = leafEntry;
        long[][] rows = new long[n + 2][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            ObjEntry e = runEntry[i];
            if (e != null && runHolds[i] > 0) {
                rows[k++] = new long[] {EventKind.LEAF_HOLDS.code(), runTime[i], e.id, runSite[i], runHolds[i]};
            }
        }
        if (leaf != null) {
            rows[k++] = new long[] {EventKind.LOCK_REQUEST.code(), leafTime, leaf.id, leafSite, 0};
            rows[k++] = new long[] {EventKind.LOCK_ACQUIRED.code(), leafTime, leaf.id, leafSite, 1};
        }
        Arrays.sort(rows, 0, k, new Comparator<long[]>() {
            @Override
            public int compare(long[] a, long[] b) {
                return Long.compare(a[1], b[1]);
            }
        });
        return Arrays.copyOf(rows, k);
    }

    /** The lock-order context of acquiring {@code e} at {@code site} now: a non-zero hash. */
    private long context(ObjEntry e, int site) {
        long k = e.id * 0x9E3779B97F4A7C15L + site;
        for (int i = 0; i < heldSize; i++) {
            k = (k ^ heldEntry[i].id) * 0xBF58476D1CE4E5B9L;
            k ^= k >>> 31;
        }
        k ^= k >>> 29;
        return k == 0 ? 1 : k;
    }

    private boolean knownContext(long key) {
        int i = (int) key & (CONTEXT_SLOTS - 1);
        for (;;) {
            long c = contexts[i];
            if (c == key) {
                return true;
            }
            if (c == 0) {
                return false;
            }
            i = (i + 1) & (CONTEXT_SLOTS - 1);
        }
    }

    private void addContext(long key) {
        if (contextCount >= CONTEXT_SLOTS * 3 / 4) {
            return; // full: new contexts are recorded in full every time
        }
        int i = (int) key & (CONTEXT_SLOTS - 1);
        for (;;) {
            long c = contexts[i];
            if (c == key) {
                return;
            }
            if (c == 0) {
                contexts[i] = key;
                contextCount++;
                return;
            }
            i = (i + 1) & (CONTEXT_SLOTS - 1);
        }
    }

    /** After this thread started or joined a thread: lock-order edges from now on are ordered differently. */
    private void forgetContexts() {
        if (contextCount != 0) {
            Arrays.fill(contexts, 0L);
            contextCount = 0;
        }
    }

    // ---- monitors

    void monitorRequest(Object o, int site) {
        ObjEntry e = entry(o);
        long now = Clock.coarse();
        put(EventKind.MONITOR_REQUEST, now, 0, 0, e.id, site, stackFor(site), 0);
        pendingObj = o;
        pendingEntry = e;
        pendingSite = site;
        pendingCoarse = now;
    }

    void monitorAcquired() {
        Object o = pendingObj;
        ObjEntry e = pendingEntry;
        if (o == null) {
            return;
        }
        pendingObj = null;
        pendingEntry = null;
        long t = Clock.coarse();
        if (t != pendingCoarse) {
            t = Clock.precise(); // the entry took a tick or more: it may have blocked, so time it exactly
        }
        int count = hold(o, e);
        put(EventKind.MONITOR_ACQUIRED, objectTime(e, t), 0, 0, e.id, pendingSite, 0, count);
    }

    /** A monitor entered by a synchronized method of a class loaded before recording began (no request seen). */
    void monitorEnteredWithoutRequest(Object o, int site) {
        ObjEntry e = entry(o);
        int count = hold(o, e);
        put(EventKind.MONITOR_ACQUIRED, objectTime(e, Clock.coarse()), 0, 0, e.id, site, 0, count);
    }

    void monitorRelease(Object o, int site) {
        int i = findHeld(o);
        ObjEntry e = i >= 0 ? heldEntry[i] : entry(o);
        int before = i >= 0 ? unhold(i, false) : 1;
        put(EventKind.MONITOR_RELEASE, objectTime(e, Clock.coarse()), 0, 0, e.id, site, 0, before);
    }

    void innermostMonitorRelease(int site) {
        for (int i = heldSize - 1; i >= 0; i--) {
            if (!(heldObj[i] instanceof ObjEntry)) { // locks are held under their entry, monitors as themselves
                ObjEntry e = heldEntry[i];
                int before = unhold(i, false);
                put(EventKind.MONITOR_RELEASE, objectTime(e, Clock.coarse()), 0, 0, e.id, site, 0, before);
                return;
            }
        }
    }

    /** WAIT_BEGIN; returns the hold count released (restored by {@link #waitEnd}). */
    int waitBegin(Object o, long timeoutNanos, int site) {
        int i = findHeld(o);
        ObjEntry e = i >= 0 ? heldEntry[i] : entry(o);
        int count = i >= 0 ? unhold(i, true) : 1;
        int flags = timeoutNanos > 0 ? EventFlags.TIMED : 0;
        put(EventKind.WAIT_BEGIN, objectTime(e, Clock.precise()), flags, 0, e.id, site, captureStack(),
                timeoutNanos);
        return count;
    }

    void waitEnd(Object o, int count, int site, int flags) {
        ObjEntry e = entry(o);
        for (int c = 0; c < count; c++) {
            hold(o, e);
        }
        put(EventKind.WAIT_END, objectTime(e, Clock.precise()), flags, 0, e.id, site, 0, count);
    }

    void notify(Object o, int site, boolean all) {
        ObjEntry e = entry(o);
        put(all ? EventKind.NOTIFY_ALL : EventKind.NOTIFY, objectTime(e, Clock.coarse()), 0, 0, e.id, site, 0, 0);
    }

    // ---- java.util.concurrent locks: the caller passes the resource entry (see Resources)

    void lockRequest(ObjEntry e, int site, int flags, long timeoutNanos) {
        pendingCoarse = Clock.coarse();
        put(EventKind.LOCK_REQUEST, pendingCoarse, flags, 0, e.id, site, stackFor(site), timeoutNanos);
    }

    void lockAcquired(ObjEntry e, int site, int flags, boolean requested) {
        long t = Clock.coarse();
        if (requested && t != pendingCoarse) {
            t = Clock.precise();
        }
        int count = hold(e, e); // locks are held under their resource entry
        put(EventKind.LOCK_ACQUIRED, objectTime(e, t), flags, 0, e.id, site,
                requested ? 0 : stackFor(site), count);
    }

    void lockTryFailed(ObjEntry e, int site, int flags) {
        put(EventKind.LOCK_TRY_FAILED, Clock.precise(), flags, 0, e.id, site, 0, 0);
    }

    /** Records a release if this thread holds the resource (or may, from before recording); false if it surely does not. */
    void lockRelease(ObjEntry e, int site, int flags) {
        int before = unholdLock(e);
        put(EventKind.LOCK_RELEASE, objectTime(e, Clock.coarse()), flags, 0, e.id, site, 0, before);
    }

    /** Removes one hold of a lock; returns the hold count before (1 when held from before recording). */
    int unholdLock(Object key) {
        int i = findHeld(key);
        return i >= 0 ? unhold(i, false) : 1;
    }

    /** The time of a release, taken while the lock is still held (see {@link #objectTime}). */
    long releaseTime(ObjEntry e) {
        releaseSawWaiters = leafEntry == e && e.waiters != 0;
        return objectTime(e, Clock.coarse());
    }

    /** Records a release timed by {@link #releaseTime}, after the unlock: less work inside the critical section. */
    void lockReleased(ObjEntry e, int site, int flags, long time, int holdsBefore) {
        if (leafEntry == e && holdsBefore == 1 && !releaseSawWaiters && Clock.coarse() == leafCoarse) {
            leafEntry = null; // nothing recorded since it was taken (that would have written it): a leaf hold
            countLeaf(e, leafSite, leafTime, leafCoarse);
            return;
        }
        put(EventKind.LOCK_RELEASE, time, flags, 0, e.id, site, 0, holdsBefore); // writes a kept-back hold first
    }

    /** Condition await: the lock (key) is released entirely; returns its hold count for {@link #awaitEnd}. */
    int awaitBegin(ObjEntry condition, Object lockKey, int site, int flags, long timeoutNanos) {
        int i = lockKey == null ? -1 : findHeld(lockKey);
        int count = i >= 0 ? unhold(i, true) : 1;
        put(EventKind.CONDITION_AWAIT_BEGIN, objectTime(condition, Clock.precise()), flags, 0, condition.id, site,
                captureStack(), timeoutNanos);
        return count;
    }

    void awaitEnd(ObjEntry condition, Object lockKey, ObjEntry lockEntry, int count, int site, int flags) {
        if (lockKey != null && lockEntry != null) {
            for (int c = 0; c < count; c++) {
                hold(lockKey, lockEntry);
            }
        }
        put(EventKind.CONDITION_AWAIT_END, objectTime(condition, Clock.precise()), flags, 0, condition.id, site,
                0, 0);
    }

    void signal(ObjEntry condition, int site, boolean all) {
        put(all ? EventKind.CONDITION_SIGNAL_ALL : EventKind.CONDITION_SIGNAL,
                objectTime(condition, Clock.coarse()), 0, 0, condition.id, site, 0, 0);
    }

    // ---- channels and synchronizers (see SyncEvents): no lock of the program orders their events

    /**
     * Time for an event on a queue, latch, semaphore, barrier or exchanger: not before this thread's previous
     * event, and atomically after every event recorded earlier on the object by any thread. So an event recorded
     * after another in happens-before order (a take that returned after the put began) gets a later time.
     */
    private long sharedObjectTime(ObjEntry e, long t) {
        if (t < lastTime) {
            t = lastTime;
        }
        for (;;) {
            long last = (long) OBJECT_TIME.getVolatile(e);
            long mine = t > last ? t : last + 1;
            if (OBJECT_TIME.compareAndSet(e, last, mine)) {
                return mine;
            }
        }
    }

    /** Reserves a time for an event to be recorded once the operation has returned (its result is the value). */
    long reserveTime(ObjEntry e) {
        return sharedObjectTime(e, Clock.coarse());
    }

    /** Records an event at a time taken by {@link #reserveTime} (nothing else was recorded by this thread since). */
    void syncEventAt(EventKind kind, ObjEntry e, long reserved, int flags, int textId, int site, long value) {
        put(kind, reserved, flags, textId, e.id, site, 0, value);
    }

    /** Records an event on a channel or synchronizer at {@code time} (made later than the object's last event). */
    void syncEvent(EventKind kind, ObjEntry e, long time, int flags, int textId, int site, int stack, long value) {
        put(kind, sharedObjectTime(e, time), flags, textId, e.id, site, stack, value);
    }

    // ---- threads

    void event(EventKind kind, long time, int flags, int textId, long object, int site, int stack, long value) {
        if (kind == EventKind.THREAD_START || kind == EventKind.JOIN_END) {
            forgetContexts();
        }
        put(kind, time, flags, textId, object, site, stack, value);
    }

    /**
     * Called by the writer thread: records THREAD_END for a thread that is dead without having recorded it
     * (threads that end during JVM shutdown, or whose exit was not seen). Safe because no producer is left.
     */
    void endIfDead() {
        if (ended || isAgentThread()) {
            return;
        }
        Thread t = thread.get();
        if (t == null || t.getState() == Thread.State.TERMINATED) {
            if (ended) {
                return; // it recorded its own end between the first check and its termination
            }
            flushLeaves(); // the thread is gone: its counted holds are complete
            put(EventKind.THREAD_END, Clock.precise(), 0, 0, 0, 0, 0, 0);
            ended = true;
        }
    }

    void end() {
        busy++;
        try {
            int text = Tables.string(uncaught);
            flushLeaves();
            put(EventKind.THREAD_END, Clock.precise(), 0, text, 0, 0, 0, 0);
        } finally {
            busy--;
        }
        ended = true;
        TraceFileSink.wake();
    }
}
