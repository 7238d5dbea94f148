package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceWriter;

import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The present state of the JVM when the agent attaches, as synthetic events with the SNAPSHOT flag, taken from
 * {@code ThreadMXBean.dumpAllThreads(true, true)}: every live platform thread (THREAD_BEGIN), the monitors and
 * locks it holds (MONITOR_ACQUIRED, LOCK_ACQUIRED, stamped at the snapshot time) and what it is blocked on
 * (MONITOR_REQUEST, WAIT_BEGIN, LOCK_REQUEST, CONDITION_AWAIT_BEGIN, PARK_BEGIN, SLEEP_BEGIN, one nanosecond
 * later, so a reader that merges by time sees every hold before any request). So a deadlock that exists already
 * when the agent attaches is in the trace.
 *
 * <p>As live recording does, monitors and waits count only where application code took them (the JDK's own
 * {@code synchronized} code is not seen live either), and a park counts as a lock request or condition await
 * only when application code called the lock; other parks are PARK_BEGIN on their blocker. Monitors and held
 * synchronizers are known from the dump by class and identity hash only: {@link Tables#dumpedObject} gives them
 * ids that the real objects get when first seen later.
 *
 * <p>Written before recording is switched on, so every later event of these threads comes after it.
 */
public final class Snapshot {
    private static final String LOCKS = "java.util.concurrent.locks.";
    private static long[] threads = new long[0];
    private static volatile long floor;

    private final Predicate<String> isApplicationClass;
    private final int stackDepth;
    private final boolean stacks;
    private final long holdTime;
    private final long blockTime;
    /**
     * For the stall watcher ({@link StallWatcher}): flag WATCHED instead of SNAPSHOT, monitors held or
     * requested in JDK code count too (that is what no hook sees), and a blocked thread's request names the
     * monitor's owner.
     */
    private final boolean watched;
    // the events of the thread being written: kind, flags, text, object, site, stack, value
    long[] events = new long[7 * 16];
    int count;

    private Snapshot(Predicate<String> isApplicationClass, long time) {
        this(isApplicationClass, time, false);
    }

    Snapshot(Predicate<String> isApplicationClass, long time, boolean watched) {
        this.isApplicationClass = isApplicationClass;
        this.stackDepth = Recorder.config().stackDepth;
        this.stacks = Recorder.config().stackMode != AgentConfig.STACKS_NONE;
        this.holdTime = time;
        this.blockTime = time + 1;
        this.watched = watched;
    }

    /** Whether the snapshot recorded this thread's THREAD_BEGIN (its recorder must not record another). */
    static synchronized boolean began(long threadId) {
        return Arrays.binarySearch(threads, threadId) >= 0;
    }

    /** No event recorded after the snapshot may be earlier than this. */
    static long floor() {
        return floor;
    }

    /**
     * Takes the snapshot and writes it, definitions first, one event chunk per thread. Returns the number of
     * events written. {@code isApplicationClass} takes a dotted class name.
     */
    static long write(TraceWriter writer, Predicate<String> isApplicationClass) throws IOException {
        long time = Clock.precise();
        Snapshot s = new Snapshot(isApplicationClass, time);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo[] infos = mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
        HashMap<Long, Thread> live = new HashMap<Long, Thread>();
        Iterator<Thread> it = Thread.getAllStackTraces().keySet().iterator();
        while (it.hasNext()) {
            Thread t = it.next();
            live.put(Long.valueOf(Threads.id(t)), t);
        }
        long current = Threads.id(Thread.currentThread());
        long[] ids = new long[infos.length];
        int idCount = 0;
        long[][] perThread = new long[infos.length][];
        for (int i = 0; i < infos.length; i++) {
            ThreadInfo info = infos[i];
            Thread t = info == null ? null : live.get(Long.valueOf(info.getThreadId()));
            if (t == null || t instanceof AgentThread || info.getThreadId() == current) {
                continue; // ended meanwhile, the agent's own, or the thread attaching the agent
            }
            s.count = 0;
            s.thread(info, t);
            perThread[idCount] = Arrays.copyOf(s.events, s.count * 7);
            ids[idCount++] = info.getThreadId();
        }
        Tables.writePending(writer);
        long written = 0;
        for (int i = 0; i < idCount; i++) {
            long[] ev = perThread[i];
            writer.beginEvents(ids[i], time);
            for (int j = 0; j < ev.length; j += 7) {
                int kind = (int) ev[j];
                long t = kind == EventKind.THREAD_BEGIN.code() || isHold(kind) ? s.holdTime : s.blockTime;
                writer.event(kind, t, ev[j + 3], (int) ev[j + 4], (int) ev[j + 5], (int) ev[j + 1], ev[j + 6],
                        (int) ev[j + 2]);
                written++;
            }
            writer.endEvents();
        }
        long[] sorted = Arrays.copyOf(ids, idCount);
        Arrays.sort(sorted);
        synchronized (Snapshot.class) {
            threads = sorted;
        }
        floor = s.blockTime + 1;
        return written;
    }

    private static boolean isHold(int kind) {
        return kind == EventKind.MONITOR_ACQUIRED.code() || kind == EventKind.LOCK_ACQUIRED.code();
    }

    void add(EventKind kind, int flags, int text, long object, int site, int stack, long value) {
        if ((count + 1) * 7 > events.length) {
            events = Arrays.copyOf(events, events.length * 2);
        }
        long[] e = events;
        int i = count * 7;
        e[i] = kind.code();
        e[i + 1] = flags | (watched ? EventFlags.WATCHED : EventFlags.SNAPSHOT);
        e[i + 2] = text;
        e[i + 3] = object;
        e[i + 4] = site;
        e[i + 5] = stack;
        e[i + 6] = value;
        count++;
    }

    private void thread(ThreadInfo info, Thread t) {
        add(EventKind.THREAD_BEGIN, EventFlags.PREEXISTING | (info.isDaemon() ? EventFlags.DAEMON : 0),
                Tables.string(info.getThreadName()), 0, 0, 0, 0);
        state(info, t);
    }

    /**
     * What the dump says a thread holds and waits for, as events: held monitors and locks, then what it is
     * blocked on. The stall watcher's observation of one thread (after its THREAD_STATE).
     */
    void state(ThreadInfo info, Thread t) {
        StackTraceElement[] frames = info.getStackTrace();
        holds(info, frames);
        Thread.State state = info.getThreadState();
        int timed = state == Thread.State.TIMED_WAITING ? EventFlags.TIMED : 0;
        if (state == Thread.State.BLOCKED) {
            LockInfo lock = info.getLockInfo();
            if (lock != null && frames.length > 0 && (watched || isApp(frames[0]))) {
                add(EventKind.MONITOR_REQUEST, 0, 0, dumped(lock), site(frames[0]), stack(frames, 0),
                        watched ? Math.max(0, info.getLockOwnerId()) : 0);
            }
        } else if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
            blocked(info, t, frames, timed);
        }
    }

    /** Held monitors, outermost first (the order they were entered in), then held locks. */
    private void holds(ThreadInfo info, StackTraceElement[] frames) {
        MonitorInfo[] monitors = info.getLockedMonitors();
        MonitorInfo[] byDepth = Arrays.copyOf(monitors, monitors.length);
        Arrays.sort(byDepth, new java.util.Comparator<MonitorInfo>() {
            @Override
            public int compare(MonitorInfo a, MonitorInfo b) {
                return Integer.compare(b.getLockedStackDepth(), a.getLockedStackDepth());
            }
        });
        HashMap<Long, Integer> counts = new HashMap<Long, Integer>();
        for (int i = 0; i < byDepth.length; i++) {
            MonitorInfo m = byDepth[i];
            int depth = m.getLockedStackDepth();
            if (depth < 0 || depth >= frames.length || !(watched || isApp(frames[depth]))) {
                continue; // taken by JDK code (seen only by the stall watcher), or where the dump cannot tell
            }
            long id = dumped(m);
            Integer before = counts.get(Long.valueOf(id));
            int n = before == null ? 1 : before.intValue() + 1;
            counts.put(Long.valueOf(id), Integer.valueOf(n));
            add(EventKind.MONITOR_ACQUIRED, 0, 0, id, site(frames[depth]), stack(frames, depth), n);
        }
        LockInfo[] syncs = info.getLockedSynchronizers();
        for (int i = 0; i < syncs.length; i++) {
            String cls = syncs[i].getClassName();
            int mode = cls.startsWith(LOCKS + "ReentrantReadWriteLock$") ? EventFlags.WRITE
                    : cls.startsWith(LOCKS + "ReentrantLock$") ? 0 : -1;
            if (mode < 0) {
                continue; // a pool worker's own lock and the like: JDK internals, not seen live either
            }
            // held exclusively; how often (reentrancy) the dump does not tell
            add(EventKind.LOCK_ACQUIRED, mode, 0, dumped(syncs[i]), 0, 0, 1);
        }
    }

    /** A waiting thread: in Object.wait, parked, or sleeping. */
    private void blocked(ThreadInfo info, Thread t, StackTraceElement[] frames, int timed) {
        if (frames.length == 0) {
            return;
        }
        String top = frames[0].getClassName();
        String method = frames[0].getMethodName();
        if (top.equals("java.lang.Object") && method.startsWith("wait")) {
            int caller = firstOutside(frames, "java.lang.Object");
            LockInfo lock = info.getLockInfo();
            if (lock != null && caller >= 0 && isApp(frames[caller])) {
                // the dump does not list a monitor waited on as held; the thread entered it to wait, and a
                // reader expects a wait to release a hold, as in a live recording
                long id = dumped(lock);
                int site = site(frames[caller]);
                int stack = stack(frames, caller);
                add(EventKind.MONITOR_ACQUIRED, 0, 0, id, site, stack, 1);
                add(EventKind.WAIT_BEGIN, timed, 0, id, site, stack, 0);
            }
        } else if (top.equals("java.lang.Thread") && method.startsWith("sleep")) {
            int caller = firstOutside(frames, "java.lang.Thread");
            if (caller >= 0 && frames[caller].getClassName().equals("java.util.concurrent.TimeUnit")) {
                caller = firstOutside(frames, "java.util.concurrent.TimeUnit");
            }
            if (caller >= 0 && isApp(frames[caller])) {
                add(EventKind.SLEEP_BEGIN, 0, 0, 0, site(frames[caller]), stack(frames, caller), 0);
            }
        } else if (isPark(frames)) {
            parked(info, t, frames, timed);
        }
    }

    private static boolean isPark(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length && i < 3; i++) {
            if (frames[i].getClassName().equals(LOCKS + "LockSupport")) {
                return true;
            }
        }
        return false;
    }

    /** A parked thread: a lock request or condition await when application code called the lock, else a park. */
    private void parked(ThreadInfo info, Thread t, StackTraceElement[] frames, int timed) {
        Object blocker = LockSupport.getBlocker(t);
        LockInfo lock = info.getLockInfo();
        if (blocker != null && lock != null && System.identityHashCode(blocker) != lock.getIdentityHashCode()) {
            blocker = null; // parked again on something else since the dump
        }
        int caller = firstOutsideLocks(frames);
        boolean app = caller >= 0 && isApp(frames[caller]);
        int site = caller >= 0 ? site(frames[caller]) : 0;
        int stack = caller >= 0 ? stack(frames, caller) : 0;
        if (blocker != null && app && blocker.getClass().getName().equals(
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject")) {
            ObjEntry condition = Resources.entryFor(blocker, System.identityHashCode(blocker));
            add(EventKind.CONDITION_AWAIT_BEGIN, timed, 0, condition.id, site, stack, 0);
            return;
        }
        if (blocker instanceof AbstractQueuedSynchronizer || blocker instanceof AbstractQueuedLongSynchronizer) {
            String cls = blocker.getClass().getName();
            boolean rw = cls.startsWith(LOCKS + "ReentrantReadWriteLock$");
            if (app && (rw || cls.startsWith(LOCKS + "ReentrantLock$"))) {
                int mode = rw ? readOrWrite(frames) : 0;
                long id = Tables.object(blocker, System.identityHashCode(blocker),
                        Resources.displayNameOfSync(blocker), 0, true).id;
                add(EventKind.LOCK_REQUEST, mode | (timed != 0 ? timed | EventFlags.TRY : 0), 0, id, site, stack, 0);
                return;
            }
        }
        long object = blocker == null ? 0
                : Resources.entryFor(blocker, System.identityHashCode(blocker)).resource.id;
        add(EventKind.PARK_BEGIN, timed, 0, object, 0, stack(frames, 0), 0);
    }

    private static int readOrWrite(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            String c = frames[i].getClassName();
            if (c.equals(LOCKS + "ReentrantReadWriteLock$ReadLock")) {
                return EventFlags.READ;
            }
            if (c.equals(LOCKS + "ReentrantReadWriteLock$WriteLock")) {
                return EventFlags.WRITE;
            }
        }
        return 0;
    }

    /** The first frame that is not in {@code cls}, or -1. */
    private static int firstOutside(StackTraceElement[] frames, String cls) {
        for (int i = 0; i < frames.length; i++) {
            if (!frames[i].getClassName().equals(cls)) {
                return i;
            }
        }
        return -1;
    }

    /** The first frame outside LockSupport, Unsafe and java.util.concurrent.locks: who called the lock. */
    private static int firstOutsideLocks(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            String c = frames[i].getClassName();
            if (!c.startsWith(LOCKS) && !c.equals("jdk.internal.misc.Unsafe") && !c.equals("sun.misc.Unsafe")) {
                return i;
            }
        }
        return -1;
    }

    boolean isApp(StackTraceElement frame) {
        return isApplicationClass.test(frame.getClassName());
    }

    private static long dumped(LockInfo lock) {
        String cls = lock.getClassName();
        String display = cls.startsWith(LOCKS) && cls.indexOf('$') > 0 ? cls.substring(0, cls.indexOf('$')) : cls;
        return Tables.dumpedObject(cls, display, lock.getIdentityHashCode());
    }

    static int site(StackTraceElement f) {
        String file = f.getFileName();
        if (file == null) { // a method that was running while its class was retransformed
            file = Tables.sourceFile(f.getClassName());
        }
        return Tables.frame(f.getClassName(), f.getMethodName(), file, f.getLineNumber());
    }

    /** The frames from {@code from} outwards, as a stack id (0 when stacks are off). */
    int stack(StackTraceElement[] frames, int from) {
        if (!stacks || from >= frames.length) {
            return 0;
        }
        int n = Math.min(stackDepth, frames.length - from);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = site(frames[from + i]);
        }
        return Tables.stack(ids);
    }
}
