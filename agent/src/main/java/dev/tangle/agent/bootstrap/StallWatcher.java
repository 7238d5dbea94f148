package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventKind;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The stall watcher: an agent thread that, every {@code stallMillis}, looks for recorded threads that have
 * recorded nothing for a whole period and that the JVM shows blocked, waiting, or runnable without using any CPU.
 * For those it records what {@code ThreadMXBean.getThreadInfo(ids, true, true)} says they hold and wait for,
 * with the real stack and the owner of the monitor they want: a THREAD_STATE, then the holds and the wait in the
 * attach snapshot's vocabulary ({@link Snapshot}), all flagged WATCHED. So a monitor taken or requested where no
 * hook sees it (inside JDK code) is in the trace when a thread stays stuck on it.
 *
 * <p>Cost for the program's threads: none on their hot path. Each period the watcher reads every recorder's
 * published count (a volatile read), asks the JVM for the state, lock and owner of the silent ones without
 * stacks (no safepoint), and only when one of them changed takes one dump with stacks and locks of the changed
 * threads and the owners of the monitors they wait for (one safepoint). A thread's state is recorded once per
 * change, not once per period. When recording stops ({@link #finalSnapshot}) every live recorded thread is
 * observed once more, so the trace ends with what the JVM said each thread held and waited for.
 *
 * <p>The events go to the writer ({@link TraceFileSink#observed}), which writes them in the thread's own event
 * stream after every event the thread had recorded when it was looked at, and never before one of them.
 */
final class StallWatcher {
    private static final int SLOTS = 7;

    private final TraceFileSink sink;
    /** Set by the watcher thread when it starts (loading the management classes is not the program's cost). */
    private ThreadMXBean mx;
    private boolean cpuTime;
    private final Predicate<String> isApplicationClass;
    /** Per thread id, what the watcher knows. Only the watcher thread uses it. */
    private final HashMap<Long, Watch> watches = new HashMap<Long, Watch>();
    private volatile boolean closing;
    private Thread thread;

    /** One thread as the watcher last saw it. */
    private static final class Watch {
        final ThreadRecorder recorder;
        long published = -1;
        /** Periods in a row without an event. */
        int silent;
        long cpu = -1;
        /** What the last look without stacks said: state, lock and owner; null before the first look. */
        String key;
        /** The key of the observation that stands in the trace (null: none, or ended by an event). */
        String recorded;
        /** Classes the watcher found this thread initialising while it waits for their superclass. */
        final ArrayList<Class<?>> initialising = new ArrayList<Class<?>>(0);

        Watch(ThreadRecorder recorder) {
            this.recorder = recorder;
        }
    }

    StallWatcher(TraceFileSink sink, Predicate<String> isApplicationClass) {
        this.sink = sink;
        this.isApplicationClass = isApplicationClass;
    }

    private synchronized ThreadMXBean mx() {
        if (mx == null) {
            mx = ManagementFactory.getThreadMXBean();
            try {
                cpuTime = mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled();
            } catch (RuntimeException e) {
                cpuTime = false; // no CPU time: runnable threads are never taken for stuck
            }
        }
        return mx;
    }

    void start(final long periodMillis) {
        final StallWatcher self = this;
        thread = new AgentThread(new Runnable() {
            @Override
            public void run() {
                self.loop(periodMillis * 1_000_000L);
            }
        }, "tangle-stall-watcher");
        thread.start();
    }

    private void loop(long period) {
        mx();
        while (!closing) {
            LockSupport.parkNanos(period);
            if (closing) {
                break;
            }
            try {
                tick();
            } catch (Throwable t) {
                Recorder.warnOnce("the stall watcher stopped: " + t);
                return;
            }
        }
    }

    /** Stops the watcher thread and waits (briefly) for a tick in progress to end. */
    void stop() {
        closing = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One period: find the silent threads, and record the state of those whose state changed. */
    void tick() {
        long coarse = Clock.coarse();
        ThreadRecorder[] rs = Registry.snapshot();
        long[] silentIds = new long[rs.length];
        Watch[] silent = new Watch[rs.length];
        int n = 0;
        HashMap<Long, Watch> seen = new HashMap<Long, Watch>();
        for (int i = 0; i < rs.length; i++) {
            ThreadRecorder r = rs[i];
            Thread t = r.thread();
            if (r.isAgentThread() || r.ended || t == null || !t.isAlive() || Threads.isVirtual(t)) {
                continue;
            }
            Long id = Long.valueOf(r.threadId);
            Watch w = watches.get(id);
            if (w == null || w.recorder != r) {
                w = new Watch(r);
            }
            seen.put(id, w);
            long p = r.publishedAcquire();
            if (p != w.published) {
                w.published = p;
                w.silent = 0;
                w.recorded = null; // an event of its own ends what was observed
                w.key = null;
                w.cpu = -1;
                w.initialising.clear();
                continue;
            }
            w.silent++;
            silentIds[n] = r.threadId;
            silent[n++] = w;
        }
        watches.clear();
        watches.putAll(seen);
        if (n == 0) {
            return;
        }
        ThreadInfo[] cheap = mx.getThreadInfo(Arrays.copyOf(silentIds, n), 0); // no stack: no safepoint
        ArrayList<Watch> changed = new ArrayList<Watch>();
        ArrayList<Watch> running = new ArrayList<Watch>();
        for (int i = 0; i < n; i++) {
            ThreadInfo info = cheap[i];
            Watch w = silent[i];
            if (info == null) {
                continue;
            }
            String key = key(info, w);
            String before = w.key;
            w.key = key;
            if (key == null) {
                if (w.recorded != null) {
                    running.add(w); // was stuck, runs again without an event: say so
                }
            } else if (key.equals(before) && !key.equals(w.recorded)) {
                changed.add(w); // the same for two looks in a row: a stall, not a passing contention
            }
        }
        if (!changed.isEmpty()) {
            // a thread whose own last event says it waits: the JVM adds nothing for a wait, only the real stack
            // for a request; dumped without locks (cheaper), or not at all
            ArrayList<Watch> full = new ArrayList<Watch>();
            ArrayList<Watch> stackOnly = new ArrayList<Watch>();
            for (int i = 0; i < changed.size(); i++) {
                Watch w = changed.get(i);
                int kind = w.recorder.lastPublishedKind(w.published);
                if (kind == EventKind.MONITOR_REQUEST.code() || kind == EventKind.LOCK_REQUEST.code()) {
                    stackOnly.add(w);
                } else if (isOpenWait(kind)) {
                    w.recorded = w.key;
                } else {
                    full.add(w);
                }
            }
            if (!full.isEmpty()) {
                observe(full, cheap, silent, n, coarse, false, true);
            }
            if (!stackOnly.isEmpty()) {
                observe(stackOnly, cheap, silent, n, coarse, false, false);
            }
        }
        if (!running.isEmpty()) {
            runningAgain(running, coarse);
        }
    }

    /**
     * Threads observed stalled that run again without having recorded an event: a THREAD_STATE alone ends what
     * was observed (no dump is needed for that).
     */
    private void runningAgain(List<Watch> running, long coarse) {
        ArrayList<TraceFileSink.Observation> out = new ArrayList<TraceFileSink.Observation>();
        for (int i = 0; i < running.size(); i++) {
            Watch w = running.get(i);
            ThreadRecorder r = w.recorder;
            long p = r.publishedAcquire();
            if (p != w.published) {
                continue; // its own event ended the observation
            }
            Snapshot events = new Snapshot(isApplicationClass, 0, true);
            events.add(EventKind.THREAD_STATE, 0, Tables.string(Thread.State.RUNNABLE.name()), 0, 0, 0,
                    Thread.State.RUNNABLE.ordinal());
            w.recorded = null;
            out.add(new TraceFileSink.Observation(r.threadId, p, Math.max(coarse, r.lastPublishedTime(p)),
                    Arrays.copyOf(events.events, events.count * SLOTS)));
        }
        sink.observed(out);
    }

    /**
     * What a look without stacks says, or null when the thread is running: state, the identity of what it waits
     * for, and its owner. RUNNABLE counts as stuck only when it used no CPU since the last period (a thread
     * waiting for another thread's class initialisation: the JVM shows it RUNNABLE).
     */
    private String key(ThreadInfo info, Watch w) {
        Thread.State s = info.getThreadState();
        if (s == Thread.State.RUNNABLE) {
            long cpu = cpuTime ? mx.getThreadCpuTime(info.getThreadId()) : -1;
            boolean still = cpu >= 0 && cpu == w.cpu && w.silent >= 2;
            w.cpu = cpu;
            return still ? "RUNNABLE" : null;
        }
        if (s != Thread.State.BLOCKED && s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING) {
            return null;
        }
        java.lang.management.LockInfo lock = info.getLockInfo();
        return lock == null ? s.name() : s.name().concat(" ").concat(Integer.toHexString(lock.getIdentityHashCode()))
                .concat(" ").concat(Long.toString(info.getLockOwnerId()));
    }

    /**
     * Takes one dump with stacks and locks of the changed threads and of the owners of the monitors they wait
     * for, and hands each one's observation to the writer.
     */
    private void observe(List<Watch> changed, ThreadInfo[] cheap, Watch[] silent, int n, long coarse,
                         boolean all, boolean locks) {
        HashMap<Long, Watch> byId = new HashMap<Long, Watch>();
        for (int i = 0; i < changed.size(); i++) {
            byId.put(Long.valueOf(changed.get(i).recorder.threadId), changed.get(i));
        }
        for (int i = 0; locks && i < n; i++) { // owners of wanted monitors, when the watcher knows them
            ThreadInfo info = cheap[i];
            if (info != null && byId.containsKey(Long.valueOf(info.getThreadId())) && info.getLockOwnerId() > 0) {
                Watch owner = watches.get(Long.valueOf(info.getLockOwnerId()));
                if (owner != null && !byId.containsKey(Long.valueOf(info.getLockOwnerId()))) {
                    byId.put(Long.valueOf(info.getLockOwnerId()), owner);
                }
            }
        }
        long[] ids = new long[byId.size()];
        Watch[] ws = new Watch[ids.length];
        int k = 0;
        Iterator<Watch> it = byId.values().iterator();
        while (it.hasNext()) {
            Watch w = it.next();
            ws[k] = w;
            ids[k++] = w.recorder.threadId;
        }
        ThreadInfo[] infos = mx.getThreadInfo(ids, locks && mx.isObjectMonitorUsageSupported(),
                locks && mx.isSynchronizerUsageSupported());
        ArrayList<TraceFileSink.Observation> out = new ArrayList<TraceFileSink.Observation>();
        ClassInitWait[] initWaits = classInitWaits(infos, ws);
        for (int i = 0; i < infos.length; i++) {
            ThreadInfo info = infos[i];
            Watch w = ws[i];
            ThreadRecorder r = w.recorder;
            long p = r.publishedAcquire();
            if (info == null || (!all && p != w.published)) {
                continue; // ended, or recorded an event meanwhile: its own events say what it does
            }
            Thread t = r.thread();
            if (t == null) {
                continue;
            }
            Snapshot events = new Snapshot(isApplicationClass, 0, true);
            Thread.State state = info.getThreadState();
            events.add(EventKind.THREAD_STATE, 0, Tables.string(state.name()), 0, 0, 0, state.ordinal());
            events.state(info, t);
            ClassInitWait wait = initWaits[i];
            if (wait != null) {
                StackTraceElement[] frames = info.getStackTrace();
                int site = Snapshot.site(frames[0]);
                int stack = events.stack(frames, 0);
                for (int j = 0; j < wait.initialising.size(); j++) {
                    events.add(EventKind.CLASS_INIT_BEGIN, 0, 0, ClassInitHooks.objectId(wait.initialising.get(j)),
                            site, stack, 0);
                }
                events.add(EventKind.CLASS_INIT_WAIT, 0, 0, ClassInitHooks.objectId(wait.waitsFor), site, stack,
                        wait.owner);
            }
            w.recorded = w.key;
            // not before any event the thread recorded, and not after any it records from now on
            long time = Math.max(coarse, r.lastPublishedTime(p));
            out.add(new TraceFileSink.Observation(r.threadId, p, time, Arrays.copyOf(events.events,
                    events.count * SLOTS)));
        }
        sink.observed(out);
    }

    /** Kinds after which the thread's own events say it waits (until the matching end). */
    private static boolean isOpenWait(int kind) {
        return kind == EventKind.WAIT_BEGIN.code() || kind == EventKind.CONDITION_AWAIT_BEGIN.code()
                || kind == EventKind.PARK_BEGIN.code() || kind == EventKind.JOIN_BEGIN.code()
                || kind == EventKind.SLEEP_BEGIN.code() || kind == EventKind.CHANNEL_SEND_BEGIN.code()
                || kind == EventKind.CHANNEL_RECV_BEGIN.code() || kind == EventKind.EXCHANGE_BEGIN.code()
                || kind == EventKind.LATCH_AWAIT_BEGIN.code() || kind == EventKind.SEMAPHORE_ACQUIRE_BEGIN.code()
                || kind == EventKind.BARRIER_AWAIT_BEGIN.code() || kind == EventKind.FUTURE_GET_BEGIN.code()
                || kind == EventKind.POOL_AWAIT_BEGIN.code() || kind == EventKind.WORKER_IDLE_BEGIN.code();
    }

    /** What a thread stuck RUNNABLE waits for: another thread's initialisation of a class. */
    private static final class ClassInitWait {
        Class<?> waitsFor;
        long owner;
        /** Classes this thread marked as being initialised by it, whose superclass it still waits for. */
        final ArrayList<Class<?>> initialising = new ArrayList<Class<?>>(1);
    }

    /**
     * For each thread stuck RUNNABLE in application code, the class initialisation it waits for, or null. The
     * JVM does not say (ThreadInfo shows no lock): the classes that the innermost frame's line may initialise
     * ({@link ClassInitHooks#lineClasses}) are matched with the initialisers that are running
     * ({@link ClassInitHooks#initialiser}). The JVM initialises a superclass first, after marking the class
     * itself as being initialised by the thread: a thread whose class's superclass is being initialised by
     * another thread waits for that superclass and holds the class (its own static initialiser has not begun).
     * A thread that waits for such a held class is matched with its holder in a second pass.
     */
    private ClassInitWait[] classInitWaits(ThreadInfo[] infos, Watch[] ws) {
        ClassInitWait[] waits = new ClassInitWait[infos.length];
        Class<?>[][] lines = new Class<?>[infos.length][];
        boolean any = false;
        for (int i = 0; i < infos.length; i++) {
            ThreadInfo info = infos[i];
            if (info == null || info.getThreadState() != Thread.State.RUNNABLE || !"RUNNABLE".equals(ws[i].key)) {
                continue;
            }
            StackTraceElement[] frames = info.getStackTrace();
            if (frames.length == 0 || !isApplicationClass.test(frames[0].getClassName())) {
                continue;
            }
            lines[i] = ClassInitHooks.lineClasses(frames[0]);
            any |= lines[i] != null;
        }
        if (!any) {
            return waits;
        }
        // first: waits for a running initialiser (whose thread the hooks know)
        for (int i = 0; i < infos.length; i++) {
            Class<?>[] classes = lines[i];
            long self = ws[i].recorder.threadId;
            ws[i].initialising.clear();
            for (int c = 0; classes != null && c < classes.length && waits[i] == null; c++) {
                ArrayList<Class<?>> chain = superclassesFirst(classes[c]);
                for (int k = 0; k < chain.size(); k++) {
                    long owner = ClassInitHooks.initialiser(chain.get(k));
                    if (owner == 0 || owner == self) {
                        continue;
                    }
                    ClassInitWait w = new ClassInitWait();
                    w.waitsFor = chain.get(k);
                    w.owner = owner;
                    for (int below = k + 1; below < chain.size(); below++) {
                        w.initialising.add(chain.get(below));
                    }
                    ws[i].initialising.addAll(w.initialising);
                    waits[i] = w;
                    break;
                }
            }
        }
        // then: waits for a class that a thread waiting for its superclass holds
        for (int i = 0; i < infos.length; i++) {
            Class<?>[] classes = lines[i];
            long self = ws[i].recorder.threadId;
            for (int c = 0; classes != null && c < classes.length && waits[i] == null; c++) {
                long holder = inferredInitialiser(classes[c], self);
                if (holder != 0) {
                    ClassInitWait w = new ClassInitWait();
                    w.waitsFor = classes[c];
                    w.owner = holder;
                    waits[i] = w;
                }
            }
        }
        return waits;
    }

    /** The thread (other than {@code self}) that the watcher found holding {@code c}'s initialisation, or 0. */
    private long inferredInitialiser(Class<?> c, long self) {
        Iterator<Watch> it = watches.values().iterator();
        while (it.hasNext()) {
            Watch w = it.next();
            if (w.recorder.threadId != self && w.initialising.contains(c)) {
                return w.recorder.threadId;
            }
        }
        return 0;
    }

    private static ArrayList<Class<?>> superclassesFirst(Class<?> c) {
        ArrayList<Class<?>> chain = new ArrayList<Class<?>>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            chain.add(0, k);
        }
        return chain;
    }

    /**
     * Observes every live recorded thread once (when recording stops: exit, SIGTERM, detach), whatever its
     * state, so the trace ends with what the JVM said each one held and waited for.
     */
    void finalSnapshot() {
        mx();
        long coarse = Clock.coarse();
        ThreadRecorder[] rs = Registry.snapshot();
        ArrayList<Watch> all = new ArrayList<Watch>();
        for (int i = 0; i < rs.length; i++) {
            ThreadRecorder r = rs[i];
            Thread t = r.thread();
            if (r.isAgentThread() || r.ended || t == null || !t.isAlive() || Threads.isVirtual(t)
                    || t == Thread.currentThread()) {
                continue;
            }
            Watch known = watches.get(Long.valueOf(r.threadId));
            long p = r.publishedAcquire();
            Watch w = known != null && known.recorder == r && known.published == p ? known : new Watch(r);
            w.published = p;
            if (w.key == null) {
                w.key = "final";
            }
            all.add(w);
        }
        if (!all.isEmpty()) {
            observe(all, new ThreadInfo[0], new Watch[0], 0, coarse, true, true);
        }
    }
}
