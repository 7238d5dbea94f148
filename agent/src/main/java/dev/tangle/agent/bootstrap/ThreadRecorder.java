package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import jdk.internal.vm.annotation.DontInline;

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

    // what this thread holds: the entries of monitors and of lock resources (never the program's objects), hold
    // counts. A hold refers to its entry by its slot in the pins, so that taking one stores no reference.
    /** Each hold's slot in {@link #pins}, or -1 when its entry is in {@link #heldSpilled}. */
    private int[] heldPin = new int[8];
    /** The entry of a hold whose pin went to another entry while it was held (rare); stale otherwise. */
    private ObjEntry[] heldSpilled = new ObjEntry[8];
    /** Whether each hold is a monitor's (else a lock's: an object can be both, held under the same entry). */
    private boolean[] heldMonitor = new boolean[8];
    private int[] heldCount = new int[8];
    /** Where each hold began (its first acquisition's site): the context of a nested request (see stackFor). */
    private int[] heldSite = new int[8];
    private int heldSize;

    /**
     * The entries of this thread's recent holds and monitor requests, each in the slot its id selects (a newer
     * entry with the same slot takes it, after {@link #spill}). A thread that takes the same few locks over and
     * over stores no reference at all: under G1, a reference stored into an old object (as this recorder soon
     * is) costs a memory fence, more than the rest of a counted hold.
     */
    private final ObjEntry[] pins = new ObjEntry[PINS];
    private static final int PINS = 32;

    // the monitor request awaiting its acquisition (its entry is pinned)
    private int pendingPin;
    private int pendingSite;
    private long pendingCoarse;
    /** How the pending monitor request is recorded: one of the PENDING_* values. */
    private int pendingMode = PENDING_NONE;
    /** The lock-order context of the pending request (0 when none was computed). */
    private long pendingKey;
    /** The request was written (MONITOR_REQUEST before the monitorenter). */
    private static final int PENDING_WRITTEN = 0;
    /**
     * Not written yet: a request in a lock-order context this thread already recorded. Written after the
     * acquisition if a clock tick passed meanwhile (it may have waited), else kept back with the hold. A thread
     * that stays blocked is seen by the stall watcher, and its request is written when the recording ends.
     */
    private static final int PENDING_DEFERRED = 1;
    /** A reentry of a kept-back hold: it cannot wait, and is written only if the hold is. */
    private static final int PENDING_REENTRY = 2;
    /** No monitor request awaits its acquisition. */
    private static final int PENDING_NONE = 3;

    // ---- leaf holds (see collapse below)
    private final boolean collapseLeaves;
    /** Monitor requests in known contexts are deferred (leaf holds collapsed, stall watcher on, platform thread). */
    private final boolean deferMonitors;
    /**
     * Holds taken without waiting whose request and acquisition are not written yet, outermost first. All are
     * written, in order, before any other event of this thread (a held lock comes before what is recorded while
     * holding it); the innermost, released within its clock tick with no waiter, is only counted. A reentry of a
     * kept-back hold only raises its hold count ({@code heldCount}), and is written with it. Each is the index of
     * its hold in the held arrays (stable while it is kept back), which have its entry and site.
     */
    private final int[] keptHeld = new int[KEPT_SLOTS];
    /**
     * For a kept-back lock hold, the pin of the entry of the Lock object itself (the hold is of its AQS
     * resource) and that entry's id, so that its {@code unlock()} is recognized without a lookup; -1 for a
     * monitor (its hold's entry is the monitor's). If the pin went to another entry meanwhile, the id tells.
     */
    private final int[] keptKeyPin = new int[KEPT_SLOTS];
    private final long[] keptKeyId = new long[KEPT_SLOTS];
    private final long[] keptTime = new long[KEPT_SLOTS];
    private final long[] keptCoarse = new long[KEPT_SLOTS];
    /** 0 for a lock; for a monitor, MONITOR_KEPT plus the flags of its acquisition (NO_REQUEST). */
    private final int[] keptMonitor = new int[KEPT_SLOTS];
    private int keptCount;
    private static final int KEPT_SLOTS = 4;
    private static final int MONITOR_KEPT = 1 << 30;
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
    private static final int RUN_SLOTS = 64;
    /**
     * The row each (entry, site) counted into last, by a hash: the usual count is one more in that row, found
     * without a search, which keeps the release's hot path small enough for the JIT to inline.
     */
    private final int[] runBySite = new int[1 << RUN_BY_SITE_BITS];
    private static final int RUN_BY_SITE_BITS = 7;
    /**
     * Lock-order contexts (lock, site, the locks held around it) recorded in full since this thread last started
     * or joined a thread: an open-addressing set of non-zero hashes. Only a hold whose context is here collapses,
     * so every lock-order edge, with its gate locks, appears at least once in each such stretch of the thread.
     */
    private final long[] contexts = new long[CONTEXT_SLOTS];
    private int contextCount;
    private static final int CONTEXT_SLOTS = 512;
    private static final int MAX_RUN = 1 << 30;


    private final ObjEntry[] cache = new ObjEntry[CACHE_SLOTS];
    private static final int CACHE_SLOTS = 256;
    /**
     * The last entries {@link #entry} looked up by hash (a server's request takes a few locks in turn: H2 a
     * connection's, a session's and a table's), replaced in turn.
     */
    private final ObjEntry[] recentEntries = new ObjEntry[RECENT];
    private int recentNext;
    private static final int RECENT = 4;
    /**
     * stacks=first: the stack captured per (site, context of held locks), an open-addressing table keyed by
     * {@code site << 32 | context}; key 0 marks a free slot (site 0 is "unknown" and never cached).
     */
    private long[] stackKeys = new long[64];
    private int[] stackIds = new int[64];
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
        // a deferred request is not in the trace while its thread waits: the stall watcher must be there to see it
        this.deferMonitors = collapseLeaves && Recorder.config().stallMillis > 0 && !Threads.isVirtual(t);
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
     * {@link #current()}, given the recorder an earlier hook of the same method invocation returned (kept in a
     * local by the rewriter), or null. A thread has one recorder and a JVM one recording, so the one found
     * earlier in the invocation is still the one; whether recording goes on and whether the thread is inside a
     * recorded operation (advice on JDK methods raises {@code busy} until its end) are checked again.
     */
    public static ThreadRecorder current(ThreadRecorder known) {
        return known == null ? current() : recording && known.busy == 0 ? known : null;
    }

    /**
     * Agent code begins on a program thread (a class file transformer, the installation in premain): nothing it
     * does is recorded, such as the Hashtable of URL handlers that reading a class file goes through. Pair with
     * {@link #quietEnd}; returns whether the thread was marked.
     */
    public static boolean quietBegin() {
        ThreadRecorder r = CURRENT.get();
        if (r == null) {
            if (!recording) {
                return false;
            }
            r = create(false); // as the next hook would: the thread's THREAD_BEGIN comes first
            if (r == null) {
                return false;
            }
        }
        r.busy++;
        return true;
    }

    /** Ends {@link #quietBegin} when it returned true. */
    public static void quietEnd(boolean marked) {
        if (marked) {
            ThreadRecorder r = CURRENT.get();
            if (r != null) {
                r.busy--;
            }
        }
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
    @DontInline
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
    @DontInline
    void put(EventKind kind, long time, int flags, int textId, long object, int site, int stack, long value) {
        if (leavesFirst()) {
            flushLeaves();
        }
        append(kind.code(), time, flags, textId, object, site, stack, value);
    }

    /** {@link #put} of a paired record's code ({@link dev.tangle.trace.TraceFormat#pairedCode}). */
    @DontInline
    private void putPaired(int code, long time, int flags, int textId, long object, int site, long value) {
        if (leavesFirst()) {
            flushLeaves();
        }
        append(code, time, flags, textId, object, site, 0, value);
    }

    /**
     * Whether what is kept back must be written before the next event: a held lock comes before what is recorded
     * while holding it, and counted holds are written once per tick.
     */
    private boolean leavesFirst() {
        return keptCount != 0 || (runCount != 0 && Clock.coarse() != runCoarse);
    }

    /** {@link #put} without writing what is kept back first. */
    private void append(int kind, long time, int flags, int textId, long object, int site, int stack,
                        long value) {
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
        r[i + 1] = ((long) kind << 56) | ((long) (flags & 0xFFFFFF) << 32) | (textId & 0xFFFFFFFFL);
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
    private void putSlowly(int kind, long time, int flags, int textId, long object, int site, int stack,
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
        write(h, kind, time, flags, textId, object, site, stack, value);
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

    /** The thread, or null once collected. */
    Thread thread() {
        return thread.get();
    }

    /**
     * The time of the event at {@code published - 1} (0 when none), read by another thread after
     * {@link #publishedAcquire}: a slot is reused only after the writer has consumed it and the thread has
     * published past it, which a caller that compares published counts afterwards notices.
     */
    long lastPublishedTime(long published) {
        return published <= 0 ? 0 : ring[(int) ((published - 1) & mask) * SLOTS];
    }

    /** The kind code of the event at {@code published - 1} (0 when none); read as {@link #lastPublishedTime}. */
    int lastPublishedKind(long published) {
        return published <= 0 ? 0 : (int) (ring[(int) ((published - 1) & mask) * SLOTS + 1] >>> 56);
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

    /**
     * The entry of an object, through this thread's cache. The entries found last are tried first, without the
     * object's identity hash: a monitor locked by another thread has its hash outside its header, and reading it
     * is a call into the VM (which may even inflate the monitor), on every request of a contended monitor.
     */
    ObjEntry entry(Object o) {
        ObjEntry[] recent = recentEntries;
        for (int i = 0; i < RECENT; i++) {
            ObjEntry r = recent[i];
            if (r != null && r.get() == o) {
                return r;
            }
        }
        int h = System.identityHashCode(o);
        int slot = (h ^ (h >>> 8)) & (CACHE_SLOTS - 1);
        ObjEntry e = cache[slot];
        if (e == null || e.hash != h || e.get() != o) {
            e = entrySlowly(o, h, slot);
        }
        recent[recentNext++ & (RECENT - 1)] = e;
        return e;
    }

    @DontInline
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

    /** The index of this thread's hold of a monitor's or a lock's entry, or -1. */
    private int findHeld(ObjEntry e, boolean monitor) {
        for (int i = heldSize - 1; i >= 0; i--) {
            if (heldEntry(i) == e && heldMonitor[i] == monitor) {
                return i;
            }
        }
        return -1;
    }

    /** The index of this thread's hold of monitor {@code o}, found without its entry, or -1. */
    private int findHeldMonitor(Object o) {
        for (int i = heldSize - 1; i >= 0; i--) {
            if (heldMonitor[i] && heldEntry(i).get() == o) {
                return i;
            }
        }
        return -1;
    }

    /** Adds one hold of a monitor or a lock resource; returns the new hold count. */
    private int hold(ObjEntry e, boolean monitor, int site) {
        int i = findHeld(e, monitor);
        if (i >= 0) {
            return ++heldCount[i];
        }
        return holdNew(e, monitor, site);
    }

    /** Adds the first hold of a resource this thread is known not to hold; returns 1. */
    private int holdNew(ObjEntry e, boolean monitor, int site) {
        return holdPinned(pin(e), monitor, site);
    }

    /** {@link #holdNew} of the entry in pin {@code k}. */
    private int holdPinned(int k, boolean monitor, int site) {
        int i = heldSize;
        if (i == heldPin.length) {
            growHeld();
        }
        heldPin[i] = k;
        heldMonitor[i] = monitor;
        heldCount[i] = 1;
        heldSite[i] = site;
        heldSize = i + 1;
        return 1;
    }

    @DontInline
    private void growHeld() {
        int n = heldSize * 2;
        heldPin = Arrays.copyOf(heldPin, n);
        heldSpilled = Arrays.copyOf(heldSpilled, n);
        heldMonitor = Arrays.copyOf(heldMonitor, n);
        heldCount = Arrays.copyOf(heldCount, n);
        heldSite = Arrays.copyOf(heldSite, n);
    }

    /** The entry of hold {@code i}. */
    private ObjEntry heldEntry(int i) {
        int k = heldPin[i];
        return k >= 0 ? pins[k] : heldSpilled[i];
    }

    /** Pins an entry: returns its slot, storing it only if the slot had another entry. */
    private int pin(ObjEntry e) {
        int k = (int) e.id & (PINS - 1);
        ObjEntry p = pins[k];
        if (p != e) {
            if (p != null) {
                spill(k, p);
            }
            pins[k] = e;
        }
        return k;
    }

    /** Before pin {@code k} goes to another entry: the holds that refer to it keep its entry themselves. */
    @DontInline
    private void spill(int k, ObjEntry p) {
        for (int i = 0; i < heldSize; i++) {
            if (heldPin[i] == k) {
                heldPin[i] = -1;
                heldSpilled[i] = p;
            }
        }
    }

    /** Removes one hold (or all, for a wait); returns the count before, or 0 if this thread had no record of it. */
    private int unhold(int i, boolean all) {
        int before = heldCount[i];
        if ((all || before == 1) && i == heldSize - 1) { // the usual case: the innermost hold ends
            heldSize = i;
            return before;
        }
        return unholdInside(i, all, before);
    }

    /** {@link #unhold} of a hold that is not the innermost, or not its last count. */
    @DontInline
    private int unholdInside(int i, boolean all, int before) {
        if (all || before == 1) {
            heldSize--;
            System.arraycopy(heldPin, i + 1, heldPin, i, heldSize - i);
            System.arraycopy(heldSpilled, i + 1, heldSpilled, i, heldSize - i);
            System.arraycopy(heldMonitor, i + 1, heldMonitor, i, heldSize - i);
            System.arraycopy(heldCount, i + 1, heldCount, i, heldSize - i);
            System.arraycopy(heldSite, i + 1, heldSite, i, heldSize - i);
            for (int j = 0; j < keptCount; j++) { // an outer hold ended first: kept-back holds moved down
                if (keptHeld[j] > i) {
                    keptHeld[j]--;
                }
            }
        } else {
            heldCount[i] = before - 1;
        }
        return before;
    }

    /** Whether this thread holds the lock resource {@code e}. */
    boolean holds(ObjEntry e) {
        return findHeld(e, false) >= 0;
    }

    // ---- stacks

    /**
     * The stack to record with a request at this site, per the configured stack mode. With {@code stacks=first}
     * a stack is captured once per site and context, the context being the sites where the locks this thread
     * holds were taken: a request nested in another at the same line (a logger re-entered from a
     * {@code toString()} called under its own lock) gets the stack it really has, not its outer call's.
     */
    @DontInline
    int stackFor(int site) {
        return stackFor(site, heldSize);
    }

    /** {@link #stackFor(int)} in the context of the first {@code held} holds only (a hold written late). */
    @DontInline
    private int stackFor(int site, int held) {
        int mode = stackMode;
        if (mode == AgentConfig.STACKS_NONE) {
            return 0;
        }
        if (mode != AgentConfig.STACKS_FIRST) {
            return captureStack();
        }
        int context = 0;
        for (int i = 0; i < held; i++) {
            context = context * 31 + heldSite[i];
        }
        long key = ((long) site << 32) | (context & 0xFFFFFFFFL);
        if (key == 0) {
            key = Long.MIN_VALUE; // 0 marks a free slot
        }
        int mask = stackKeys.length - 1;
        int slot = stackSlot(key, mask);
        while (stackKeys[slot] != 0) {
            if (stackKeys[slot] == key) {
                return stackIds[slot];
            }
            slot = (slot + 1) & mask;
        }
        int id = captureStack();
        if (id != 0) {
            stackKeys[slot] = key;
            stackIds[slot] = id;
            if (++stackCount * 2 > stackKeys.length) {
                growStackTable();
            }
        }
        return id;
    }

    private static int stackSlot(long key, int mask) {
        int h = (int) (key ^ (key >>> 32)) * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private void growStackTable() {
        long[] keys = stackKeys;
        int[] ids = stackIds;
        stackKeys = new long[keys.length * 2];
        stackIds = new int[keys.length * 2];
        int mask = stackKeys.length - 1;
        for (int i = 0; i < keys.length; i++) {
            long key = keys[i];
            if (key != 0) {
                int slot = stackSlot(key, mask);
                while (stackKeys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                stackKeys[slot] = key;
                stackIds[slot] = ids[i];
            }
        }
    }

    /** Captures the current stack, without the agent's frames. */
    @DontInline
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
     * A {@code lock()} that took the lock without waiting (its {@code tryLock()} succeeded); {@code view} is the
     * Lock object's entry, whose resource is held. The first hold in each lock-order context is written in full;
     * a later one is kept back ({@link #keep}); a reentry of a kept-back hold only raises its count.
     */
    void lockTaken(ObjEntry view, int site) {
        ObjEntry e = view.resource;
        long coarse = Clock.coarse();
        int count = takenWithoutWaiting(e, false, site, coarse, 0, view);
        if (count == 0) {
            return;
        }
        if (keptCount != 0) {
            flushLeaves(); // first, so what is kept back is ordered before this hold
        }
        long t = objectTime(e, coarse);
        put(EventKind.LOCK_REQUEST, t, 0, 0, e.id, site, stackFor(site, heldSize), 0);
        put(EventKind.LOCK_ACQUIRED, t, 0, 0, e.id, site, 0, count);
    }

    /**
     * Adds a hold taken without waiting (a lock's {@code tryLock()}, or a monitor the JVM entered with no request
     * seen). Returns 0 when nothing is to be written: the hold is kept back (a first hold in a known context,
     * {@code keptFlags} as for {@link #keep}), or it is a reentry of a kept-back hold, written with it if it is
     * written. Otherwise returns the new hold count.
     */
    private int takenWithoutWaiting(ObjEntry e, boolean monitor, int site, long coarse, int keptFlags,
                                    ObjEntry lockObject) {
        int i = findHeld(e, monitor);
        if (i >= 0) {
            int count = ++heldCount[i];
            return keptIndex(i) >= 0 ? 0 : count;
        }
        holdNew(e, monitor, site);
        i = heldSize - 1;
        if (collapseLeaves && keptCount < KEPT_SLOTS) {
            long key = context(e, site, i);
            if (knownContext(key)) {
                keep(i, coarse, keptFlags, lockObject);
                return 0;
            }
            addContext(key);
        }
        return 1;
    }

    /**
     * Keeps back a hold just taken without waiting (held at index {@code i}); {@code monitor} is 0 for a lock,
     * whose Lock object's entry is {@code lockObject}, else MONITOR_KEPT and the acquisition's flags. No write
     * to the lock's entry (shared with every thread that takes the lock): its time on the lock is chosen only if
     * the hold is written, still under the lock.
     */
    private void keep(int i, long coarse, int monitor, ObjEntry lockObject) {
        int j = keptCount;
        keptHeld[j] = i;
        if (lockObject != null) {
            keptKeyPin[j] = pin(lockObject); // after the hold's own pin, which it may spill
            keptKeyId[j] = lockObject.id;
        } else {
            keptKeyPin[j] = -1;
        }
        keptTime[j] = coarse < lastTime ? lastTime : coarse;
        keptCoarse[j] = coarse;
        keptMonitor[j] = monitor;
        keptCount = j + 1;
    }

    /** The position among the kept-back holds of the hold at held index {@code i}, or -1. */
    private int keptIndex(int i) {
        for (int j = keptCount - 1; j >= 0; j--) {
            if (keptHeld[j] == i) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Before the hold at held index {@code i} loses one count: true when nothing is to be written (the end of a
     * reentry of a kept-back hold, or a kept-back leaf hold released within its tick with no waiter, which is
     * counted here). Otherwise what is kept back is written first, and the caller records the release.
     */
    private boolean releaseKept(int i) {
        int j = keptIndex(i);
        if (j < 0) {
            return false;
        }
        if (heldCount[i] > 1) {
            return true;
        }
        if (j == keptCount - 1 && countedInnermost()) {
            return true;
        }
        flushLeaves(); // written in full, acquisitions first, ordered on their locks while still held
        return false;
    }

    /**
     * The innermost kept-back hold, about to be released, is a leaf hold (no thread waited for it, released in
     * the tick it was taken): counted and no longer kept back. False, changing nothing, when it must be written.
     */
    private boolean countedInnermost() {
        int j = keptCount - 1;
        int i = keptHeld[j];
        return countedInnermost(j, i, heldEntry(i));
    }

    /** {@link #countedInnermost()} given the innermost kept-back hold {@code j}, its held index and entry. */
    private boolean countedInnermost(int j, int i, ObjEntry e) {
        long coarse = keptCoarse[j];
        if (e.waiters != 0 || Clock.coarse() != coarse) {
            return false;
        }
        keptCount = j;
        int site = heldSite[i];
        if (!countedInRow(e, site, coarse)) {
            countLeaf(e, site, keptTime[j], coarse);
        }
        return true;
    }

    /** The slot of (entry, site) in {@link #runBySite}: a multiplicative hash, so that sites in a row spread. */
    private static int runSlot(ObjEntry e, int site) {
        return ((site ^ (int) e.id) * 0x9E3779B9) >>> (32 - RUN_BY_SITE_BITS);
    }

    /** The usual count: one more hold in the row the (entry, site) counted into last, in the same tick. */
    private boolean countedInRow(ObjEntry e, int site, long coarse) {
        int row = runBySite[runSlot(e, site)];
        if (row < runCount && runEntry[row] == e && runSite[row] == site && runCoarse == coarse
                && runHolds[row] < MAX_RUN - 1) {
            runHolds[row]++;
            return true;
        }
        return false;
    }

    /**
     * The common release, checked first: {@code key} (a Lock, or a monitor if {@code monitor}) is the innermost
     * kept-back hold, and its release writes nothing (the end of a reentry, or a leaf hold counted here: within
     * its tick, no waiter). Returns false, having changed nothing, when the general path must decide.
     */
    boolean releasedKept(Object key, boolean monitor) {
        int j = keptCount - 1;
        if (j < 0) {
            return false;
        }
        int i = keptHeld[j];
        ObjEntry e = heldEntry(i);
        if (heldMonitor[i] != monitor) {
            return false;
        }
        if (monitor ? e.get() != key : !isKeptKey(j, key)) {
            return false;
        }
        if (heldCount[i] > 1) {
            heldCount[i]--;
            return true;
        }
        if (!countedInnermost(j, i, e)) {
            return false;
        }
        if (i == heldSize - 1) { // the innermost hold, as usual: unhold's common case, kept small for inlining
            heldSize = i;
        } else {
            unhold(i, false);
        }
        return true;
    }

    /** Whether {@code lock} is the Lock object of kept-back lock hold {@code j}. */
    private boolean isKeptKey(int j, Object lock) {
        int k = keptKeyPin[j];
        if (k < 0) {
            return false;
        }
        ObjEntry view = pins[k];
        return view.id == keptKeyId[j] && view.get() == lock;
    }

    /** Whether leaf holds may be collapsed for this thread (so a lock() should try tryLock() first). */
    boolean collapsesLeaves() {
        return collapseLeaves;
    }

    /** A thread about to wait for a lock that {@code tryLock()} did not get (+1), or done waiting (-1). */
    static void waiting(ObjEntry e, int delta) {
        WAITERS.getAndAdd(e, delta);
    }

    /** Writes what is kept back: the run of collapsed holds, then the holds kept back, outermost first. */
    @DontInline
    private void flushLeaves() {
        int n = keptCount;
        keptCount = 0; // first: put must not flush again
        if (runCount != 0) {
            flushRuns();
        }
        for (int j = 0; j < n; j++) {
            int i = keptHeld[j];
            ObjEntry e = heldEntry(i);
            int site = heldSite[i];
            int monitor = keptMonitor[j];
            long t = objectTime(e, keptTime[j]); // still held: its order on the lock is right
            int depth = heldCount[i];
            if (monitor == 0) {
                int stack = stackFor(site, i + 1);
                for (int d = 1; d <= depth; d++) {
                    put(EventKind.LOCK_REQUEST, t, 0, 0, e.id, site, stack, 0);
                    put(EventKind.LOCK_ACQUIRED, t, 0, 0, e.id, site, 0, d);
                }
            } else {
                int flags = monitor & ~MONITOR_KEPT;
                boolean request = (flags & EventFlags.NO_REQUEST) == 0;
                int stack = request || i > 0 ? stackFor(site, i) : 0;
                for (int d = 1; d <= depth; d++) {
                    if (request) {
                        put(EventKind.MONITOR_REQUEST, t, 0, 0, e.id, site, stack, 0);
                    }
                    put(EventKind.MONITOR_ACQUIRED, t, flags, 0, e.id, site, request ? 0 : stack, d);
                }
            }
        }
    }

    /** Writes the counted holds as LEAF_HOLDS events, one per (lock, site), and empties the table. */
    private void flushRuns() {
        int n = runCount;
        runCount = 0;
        for (int i = 0; i < n; i++) {
            ObjEntry e = runEntry[i];
            runEntry[i] = null;
            // not put: counts may be written while outer holds are still kept back (the analysis only counts them)
            append(EventKind.LEAF_HOLDS.code(), runTime[i], 0, 0, e.id, runSite[i], 0, runHolds[i]);
        }
    }

    /** Counts one collapsed hold in its (lock, site) row, writing the table first if it is of an older tick. */
    @DontInline
    private void countLeaf(ObjEntry e, int site, long time, long coarse) {
        int n = runCount;
        if (n != 0 && coarse != runCoarse) {
            flushRuns();
            n = 0;
        }
        for (int i = 0; i < n; i++) {
            if (runEntry[i] == e && runSite[i] == site) {
                runBySite[runSlot(e, site)] = i;
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
        runBySite[runSlot(e, site)] = n;
        runEntry[n] = e;
        runSite[n] = site;
        runTime[n] = time;
        runHolds[n] = 1;
        runCount = n + 1;
        runCoarse = coarse;
    }

    /**
     * Called by the writer thread when recording stops: the counted holds, kept-back holds and deferred monitor
     * request of a thread that may still be running, read without synchronization (a hold counted at that very
     * moment may be missed). The deferred request is written only if the thread is blocked. Returns
     * {kind, time, object, site, value, flags} rows; none when nothing is kept back.
     */
    long[][] leavesAtClose() {
        int n = Math.min(runCount, RUN_SLOTS);
        int kept = Math.min(keptCount, KEPT_SLOTS);
        long[][] rows = new long[n + kept * 2 + 1][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            ObjEntry e = runEntry[i];
            if (e != null && runHolds[i] > 0) {
                rows[k++] = new long[] {EventKind.LEAF_HOLDS.code(), runTime[i], e.id, runSite[i], runHolds[i], 0};
            }
        }
        int[] held = heldPin; // read once: the thread may replace the arrays meanwhile
        ObjEntry[] spilled = heldSpilled;
        int[] sites = heldSite;
        for (int j = 0; j < kept; j++) {
            int i = keptHeld[j];
            int pin = i < held.length ? held[i] : -1;
            ObjEntry e = pin >= 0 ? pins[pin] : i < spilled.length ? spilled[i] : null;
            if (e == null || i >= sites.length) {
                continue;
            }
            int site = sites[i];
            int monitor = keptMonitor[j];
            int flags = monitor & ~MONITOR_KEPT;
            if (monitor == 0 || (flags & EventFlags.NO_REQUEST) == 0) {
                rows[k++] = new long[] {(monitor == 0 ? EventKind.LOCK_REQUEST : EventKind.MONITOR_REQUEST).code(),
                        keptTime[j], e.id, site, 0, 0};
            }
            rows[k++] = new long[] {(monitor == 0 ? EventKind.LOCK_ACQUIRED : EventKind.MONITOR_ACQUIRED).code(),
                    keptTime[j], e.id, site, 1, flags};
        }
        ObjEntry pending = pins[pendingPin];
        Thread t = thread.get();
        if (pending != null && pendingMode == PENDING_DEFERRED && t != null
                && t.getState() == Thread.State.BLOCKED) {
            rows[k++] = new long[] {EventKind.MONITOR_REQUEST.code(), Math.max(pendingCoarse, lastTime),
                    pending.id, pendingSite, 0, 0};
        }
        Arrays.sort(rows, 0, k, new Comparator<long[]>() {
            @Override
            public int compare(long[] a, long[] b) {
                return Long.compare(a[1], b[1]);
            }
        });
        return Arrays.copyOf(rows, k);
    }

    /** The lock-order context of acquiring {@code e} at {@code site} inside the first {@code held} holds: a non-zero hash. */
    private long context(ObjEntry e, int site, int held) {
        long k = e.id * 0x9E3779B97F4A7C15L + site;
        for (int i = 0; i < held; i++) {
            k = (k ^ heldEntry(i).id) * 0xBF58476D1CE4E5B9L;
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

    @DontInline
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
        pendingPin = pin(e);
        pendingSite = site;
        pendingCoarse = now;
        pendingKey = 0;
        if (deferMonitors) {
            int i = findHeld(e, true);
            if (i >= 0) {
                if (keptIndex(i) >= 0) {
                    pendingMode = PENDING_REENTRY;
                    return;
                }
            } else if (keptCount < KEPT_SLOTS) {
                long key = context(e, site, heldSize);
                if (knownContext(key)) {
                    pendingMode = PENDING_DEFERRED;
                    return;
                }
                pendingKey = key;
            }
        }
        monitorRequestWritten(e, site, now);
    }

    /** The rest of {@link #monitorRequest} when the request is written now (a new context, or not deferring). */
    @DontInline
    private void monitorRequestWritten(ObjEntry e, int site, long now) {
        pendingMode = PENDING_WRITTEN;
        put(EventKind.MONITOR_REQUEST, now, 0, 0, e.id, site, stackFor(site), 0);
    }

    void monitorAcquired() {
        int mode = pendingMode;
        if (mode == PENDING_NONE) {
            return;
        }
        pendingMode = PENDING_NONE;
        ObjEntry e = pins[pendingPin]; // nothing was pinned since the request: no hook ran in between
        int site = pendingSite;
        long t = Clock.coarse();
        if (mode == PENDING_REENTRY) {
            hold(e, true, site);
            return;
        }
        if (mode == PENDING_DEFERRED && t == pendingCoarse) { // no tick passed: it did not wait long, if at all
            holdPinned(pendingPin, true, site); // the request found it not held, and pinned it
            keep(heldSize - 1, t, MONITOR_KEPT, null);
            return;
        }
        monitorAcquiredInFull(mode, e, site, t);
    }

    /** The rest of {@link #monitorAcquired}: an acquisition written in full. */
    @DontInline
    private void monitorAcquiredInFull(int mode, ObjEntry e, int site, long t) {
        if (mode == PENDING_DEFERRED) {
            // it may have waited: its request is written now, at the time it was made
            put(EventKind.MONITOR_REQUEST, pendingCoarse, 0, 0, e.id, site, stackFor(site), 0);
        }
        if (t != pendingCoarse) {
            t = Clock.precise(); // the entry took a tick or more: it may have blocked, so time it exactly
        }
        int count = hold(e, true, site);
        if (pendingKey != 0) {
            addContext(pendingKey);
        }
        put(EventKind.MONITOR_ACQUIRED, objectTime(e, t), 0, 0, e.id, site, 0, count);
    }

    /**
     * A monitor the JVM took on entering a synchronized method whose flag could not be removed (a JDK class, or
     * a class loaded before an attach): no request was seen, so the event says so ({@code NO_REQUEST}). In a
     * known context it is kept back like any leaf hold.
     */
    void monitorEnteredWithoutRequest(Object o, int site) {
        ObjEntry e = entry(o);
        long coarse = Clock.coarse();
        int held = heldSize;
        int count = takenWithoutWaiting(e, true, site, coarse, MONITOR_KEPT | EventFlags.NO_REQUEST, null);
        if (count == 0) {
            return;
        }
        // a nested acquisition makes a lock-order edge: it carries the stack no request did (once per context)
        int stack = held > 0 ? stackFor(site, held) : 0;
        put(EventKind.MONITOR_ACQUIRED, objectTime(e, coarse), EventFlags.NO_REQUEST, 0, e.id, site, stack,
                count);
    }

    void monitorRelease(Object o, int site) {
        if (keptCount != 0 && releasedKept(o, true)) {
            return;
        }
        monitorReleaseInFull(o, site);
    }

    /** The rest of {@link #monitorRelease}: the release of a hold that was not a counted leaf hold. */
    @DontInline
    private void monitorReleaseInFull(Object o, int site) {
        int i = findHeldMonitor(o);
        if (i >= 0 && keptCount != 0 && releaseKept(i)) {
            unhold(i, false);
            return;
        }
        ObjEntry e = i >= 0 ? heldEntry(i) : entry(o);
        int before = i >= 0 ? unhold(i, false) : 1;
        put(EventKind.MONITOR_RELEASE, objectTime(e, Clock.coarse()), 0, 0, e.id, site, 0, before);
    }

    @DontInline
    void innermostMonitorRelease(int site) {
        for (int i = heldSize - 1; i >= 0; i--) {
            if (heldMonitor[i]) {
                if (keptCount != 0 && releaseKept(i)) {
                    unhold(i, false);
                    return;
                }
                ObjEntry e = heldEntry(i);
                int before = unhold(i, false);
                put(EventKind.MONITOR_RELEASE, objectTime(e, Clock.coarse()), 0, 0, e.id, site, 0, before);
                return;
            }
        }
    }

    /** WAIT_BEGIN; returns the hold count released (restored by {@link #waitEnd}). */
    int waitBegin(Object o, long timeoutNanos, int site) {
        if (keptCount != 0) {
            flushLeaves(); // before the hold is given up: what is kept back is written as held
        }
        int i = findHeldMonitor(o);
        ObjEntry e = i >= 0 ? heldEntry(i) : entry(o);
        int count = i >= 0 ? unhold(i, true) : 1;
        int flags = timeoutNanos > 0 ? EventFlags.TIMED : 0;
        put(EventKind.WAIT_BEGIN, objectTime(e, Clock.precise()), flags, 0, e.id, site, captureStack(),
                timeoutNanos);
        return count;
    }

    void waitEnd(Object o, int count, int site, int flags) {
        if (keptCount != 0) {
            flushLeaves(); // before the holds change
        }
        ObjEntry e = entry(o);
        for (int c = 0; c < count; c++) {
            hold(e, true, site);
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
        if (keptCount != 0) {
            flushLeaves(); // before the holds change (this may be a reentry of a kept-back hold)
        }
        long t = Clock.coarse();
        if (requested && t != pendingCoarse) {
            t = Clock.precise();
        }
        int count = hold(e, false, site); // locks are held under their resource entry
        put(EventKind.LOCK_ACQUIRED, objectTime(e, t), flags, 0, e.id, site,
                requested ? 0 : stackFor(site), count);
    }

    void lockTryFailed(ObjEntry e, int site, int flags) {
        put(EventKind.LOCK_TRY_FAILED, Clock.precise(), flags, 0, e.id, site, 0, 0);
    }

    /** Records a release if this thread holds the resource (or may, from before recording); false if it surely does not. */
    void lockRelease(ObjEntry e, int site, int flags) {
        if (keptCount != 0) {
            flushLeaves(); // before the holds change
        }
        int before = unholdLock(e);
        put(EventKind.LOCK_RELEASE, objectTime(e, Clock.coarse()), flags, 0, e.id, site, 0, before);
    }

    /** Removes one hold of a lock; returns the hold count before (1 when held from before recording). */
    int unholdLock(ObjEntry e) {
        int i = findHeld(e, false);
        return i >= 0 ? unhold(i, false) : 1;
    }

    /** The time of a release, taken while the lock is still held (see {@link #objectTime}). */
    long releaseTime(ObjEntry e) {
        if (keptCount != 0) {
            int i = findHeld(e, false);
            if (i >= 0 && releaseKept(i)) {
                return COLLAPSE; // counted, or the end of a reentry: the lock's entry is not touched
            }
        }
        return objectTime(e, Clock.coarse());
    }

    /** {@link #releaseTime} of a hold that is only counted. */
    static final long COLLAPSE = -1;

    /**
     * Records a release timed by {@link #releaseTime} (called before {@link #unholdLock}), after the unlock: less
     * work inside the critical section.
     */
    void lockReleased(ObjEntry e, int site, int flags, long time, int holdsBefore) {
        if (time == COLLAPSE) {
            return;
        }
        put(EventKind.LOCK_RELEASE, time, flags, 0, e.id, site, 0, holdsBefore);
    }

    /** Condition await: the lock (key) is released entirely; returns its hold count for {@link #awaitEnd}. */
    int awaitBegin(ObjEntry condition, ObjEntry lockKey, int site, int flags, long timeoutNanos) {
        if (keptCount != 0) {
            flushLeaves(); // before the hold is given up: what is kept back is written as held
        }
        int i = lockKey == null ? -1 : findHeld(lockKey, false);
        int count = i >= 0 ? unhold(i, true) : 1;
        put(EventKind.CONDITION_AWAIT_BEGIN, objectTime(condition, Clock.precise()), flags, 0, condition.id, site,
                captureStack(), timeoutNanos);
        return count;
    }

    void awaitEnd(ObjEntry condition, ObjEntry lockEntry, int count, int site, int flags) {
        if (keptCount != 0) {
            flushLeaves(); // before the holds change
        }
        if (lockEntry != null) {
            for (int c = 0; c < count; c++) {
                hold(lockEntry, false, site);
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

    /**
     * Records a call that never blocks as one paired record ({@code pairedCode}, from
     * {@link dev.tangle.trace.TraceFormat#pairedCode} of its END), read back as its BEGIN and END at one time:
     * half the work and bytes of recording both.
     */
    void syncPair(int pairedCode, ObjEntry e, long time, int flags, int textId, int site, long value) {
        putPaired(pairedCode, sharedObjectTime(e, time), flags, textId, e.id, site, value);
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
