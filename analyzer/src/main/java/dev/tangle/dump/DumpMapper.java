package dev.tangle.dump;

import dev.tangle.model.ImportedEvents;
import dev.tangle.trace.CallStack;
import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.Frame;
import dev.tangle.trace.ObjectInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns thread dumps of one JVM, in time order, into trace events with the {@code SNAPSHOT} flag, the way the
 * agent describes the threads it finds when it attaches ({@code docs/agent.md}): per thread a {@code THREAD_BEGIN}
 * at its first dump, then at each dump what changed since the previous one (holds released and taken, the wait
 * that ended and the one that began), and a {@code THREAD_SAMPLE} with its state and stack. A thread missing from
 * a later dump ended in between.
 *
 * <p>What a dump says maps as follows: {@code locked <a>} a monitor hold (one per line: reentrant holds repeat),
 * {@code waiting to lock <a>} (or to re-lock after {@code wait}) a {@code MONITOR_REQUEST}, {@code waiting on <a>}
 * a {@code WAIT_BEGIN} (the {@code locked} line of the same monitor is the hold the wait released; inside
 * {@code Thread.join}, a {@code JOIN_BEGIN} of a thread the dump does not name), an ownable
 * synchronizer ({@code -l}) an exclusive {@code LOCK_ACQUIRED} (WRITE for a {@code ReentrantReadWriteLock}),
 * {@code parking to wait for <s>} inside {@code ReentrantLock.lock}, {@code ReadLock.lock} or
 * {@code WriteLock.lock} a {@code LOCK_REQUEST} (only when the dump lists ownable synchronizers: otherwise the
 * holder is unknown and it stays a park), any other park a {@code PARK_BEGIN} on its blocker, and
 * {@code Thread.sleep} a {@code SLEEP_BEGIN}.
 *
 * <p>One inference, the read-to-write upgrade: a dump does not list read holds. A thread waiting without a timeout
 * for the write lock of a {@code ReentrantReadWriteLock} that no thread holds for writing waits for readers; when
 * no other thread of the program can move in that dump (none runnable or in a timed wait), or the thread waited so
 * in consecutive dumps up to its last one, over at least {@link #UPGRADE_MIN_SPAN_NANOS}, the reader that never
 * lets go is taken to be itself (it asked to upgrade its read lock, which {@code ReentrantReadWriteLock} never
 * grants), and it gets a READ hold of that lock in each of those dumps.
 */
public final class DumpMapper {
    /** Several dumps must span at least this to infer an upgrade from the waits alone. */
    public static final long UPGRADE_MIN_SPAN_NANOS = 5_000_000_000L;
    private static final Set<String> JVM_THREAD_NAMES = Set.of("Reference Handler", "Finalizer",
            "Signal Dispatcher", "Attach Listener", "Common-Cleaner", "Notification Thread", "Service Thread",
            "DestroyJavaVM", "process reaper", "Monitor Deflation Thread");

    private final ImportedEvents out;
    private final boolean lifecycle;
    private final Map<Long, Snapshot> last = new LinkedHashMap<>();
    /** "dumpIndex:threadId" of the write waits taken to be upgrades (see the class comment). */
    private final Set<String> inferredUpgrades = new java.util.HashSet<>();
    /** The dump being added by {@link #addAll}, or -1 for one added alone. */
    private int dumpIndex = -1;

    /**
     * @param lifecycle whether the dumps say when threads begin and end (false when a JFR recording does, and the
     *                  dumps only add what threads hold and wait for)
     */
    public DumpMapper(ImportedEvents out, boolean lifecycle) {
        this.out = out;
        this.lifecycle = lifecycle;
    }

    /** A lock as the model sees it: the object, the mode, the count and where it was taken. */
    private record Hold(ObjectInfo lock, int flags, int count, Frame site) {
    }

    /** What a thread waits for: a kind, an object (or null) and its flags. */
    private record Wait(EventKind kind, ObjectInfo object, int flags, long value, Frame site, CallStack stack) {
        boolean same(Wait o) {
            return o != null && kind == o.kind && Objects.equals(object, o.object) && flags == o.flags;
        }
    }

    private record Snapshot(List<Hold> holds, Wait pending) {
    }

    /**
     * Adds dumps of one JVM taken at these times (ns since the trace began, increasing). The upgrade inference
     * looks at all of them first: a read hold inferred from a later dump was held since the wait began.
     */
    public void addAll(List<ThreadDump> dumps, long[] times) {
        // per thread, its runs of consecutive dumps waiting to write-lock the same lock nobody writes
        Map<Long, ObjectInfo> runLock = new HashMap<>();
        Map<Long, List<Integer>> run = new HashMap<>();
        Map<Long, Integer> lastSeen = new HashMap<>();
        for (int i = 0; i < dumps.size(); i++) {
            ThreadDump d = dumps.get(i);
            for (DumpedThread t : d.threads()) {
                lastSeen.put(t.id(), i);
                ObjectInfo lock = writeWaitWithoutWriter(d, t);
                List<Integer> r = run.get(t.id());
                if (lock == null || !lock.equals(runLock.get(t.id()))) {
                    closeRun(t.id(), r, dumps, times, false);
                    run.remove(t.id());
                    runLock.remove(t.id());
                }
                if (lock != null) {
                    runLock.put(t.id(), lock);
                    run.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(i);
                }
            }
        }
        // a run still going on at the thread's last dump, over at least UPGRADE_MIN_SPAN_NANOS, qualifies
        run.forEach((thread, r) -> closeRun(thread, r, dumps, times, r.get(r.size() - 1).equals(lastSeen.get(thread))));
        for (int i = 0; i < dumps.size(); i++) {
            dumpIndex = i;
            add(dumps.get(i), times[i]);
        }
    }

    private void closeRun(long thread, List<Integer> run, List<ThreadDump> dumps, long[] times, boolean atEnd) {
        if (run == null) {
            return;
        }
        boolean frozen = run.stream().anyMatch(i -> othersFrozen(dumps.get(i), thread));
        boolean persistent = atEnd && run.size() >= 2
                && times[run.get(run.size() - 1)] - times[run.get(0)] >= UPGRADE_MIN_SPAN_NANOS;
        if (frozen || persistent) {
            run.forEach(i -> inferredUpgrades.add(i + ":" + thread));
        }
    }

    /** Adds one dump taken at {@code time} (ns since the trace began); dumps come in time order. */
    public void add(ThreadDump dump, long time) {
        Map<Long, Snapshot> now = new LinkedHashMap<>();
        for (DumpedThread t : dump.threads()) {
            Snapshot s = snapshot(dump, t);
            // the upgrade inference (see the class comment)
            ObjectInfo upgrade = writeWaitWithoutWriter(dump, t);
            if (upgrade != null && (inferredUpgrades.contains(dumpIndex + ":" + t.id())
                    || (dumpIndex < 0 && othersFrozen(dump, t.id())))) {
                List<Hold> holds = new ArrayList<>(s.holds);
                holds.add(new Hold(upgrade, EventFlags.READ, 1, s.pending.site));
                s = new Snapshot(holds, s.pending);
            }
            now.put(t.id(), s);
            Snapshot before = last.get(t.id());
            if (before == null) {
                if (lifecycle) {
                    out.add(time, t.id(), EventKind.THREAD_BEGIN, null, 0, null, null, EventFlags.SNAPSHOT
                            | EventFlags.PREEXISTING | (t.daemon() ? EventFlags.DAEMON : 0)
                            | (t.virtual() ? EventFlags.VIRTUAL : 0), 0, t.name());
                }
                before = new Snapshot(List.of(), null);
            }
            change(t.id(), before, s, time);
            sample(t, time);
        }
        if (lifecycle) {
            for (Long gone : last.keySet()) {
                if (!now.containsKey(gone)) {
                    out.add(time, gone, EventKind.THREAD_END, null, 0, null, null, EventFlags.SNAPSHOT, 0, null);
                }
            }
        }
        last.clear();
        last.putAll(now);
    }

    /** Adds only what a dump saw each thread doing (THREAD_SAMPLE), not its holds and waits. */
    public void sample(ThreadDump dump, long time) {
        for (DumpedThread t : dump.threads()) {
            sample(t, time);
        }
    }

    private void sample(DumpedThread t, long time) {
        out.add(time + 3, t.id(), EventKind.THREAD_SAMPLE, null, 0, t.frames().isEmpty() ? null
                : t.frames().get(0).frame(), out.stack(frames(t, 0)), EventFlags.SNAPSHOT,
                t.state() == null ? -1 : t.state().ordinal(), null);
    }

    /** From what it was to what it is: the wait that ended, holds released, holds taken, the wait that began. */
    private void change(long thread, Snapshot before, Snapshot now, long time) {
        boolean sameWait = now.pending != null && now.pending.same(before.pending);
        if (before.pending != null && !sameWait) {
            Wait w = before.pending;
            switch (w.kind) {
                case WAIT_BEGIN -> {
                    out.add(time, thread, EventKind.WAIT_END, w.object, 0, w.site, null, EventFlags.SNAPSHOT, 1, null);
                    if (now.holds.stream().noneMatch(h -> h.lock.equals(w.object))) {
                        out.add(time, thread, EventKind.MONITOR_RELEASE, w.object, 0, w.site, null, 0, 1, null);
                    }
                }
                case PARK_BEGIN -> out.add(time, thread, EventKind.PARK_END, w.object, 0, w.site, null, 0, 0, null);
                case JOIN_BEGIN -> out.add(time, thread, EventKind.JOIN_END, null, 0, w.site, null, 0, 0, null);
                case SLEEP_BEGIN -> out.add(time, thread, EventKind.SLEEP_END, null, 0, w.site, null, 0, 0, null);
                case MONITOR_REQUEST, LOCK_REQUEST -> {
                    // a request ends by getting the lock (or, timed, by giving up); held now or let go since
                    boolean monitor = w.kind == EventKind.MONITOR_REQUEST;
                    boolean heldNow = now.holds.stream().anyMatch(h -> h.lock.equals(w.object));
                    if ((w.flags & EventFlags.TIMED) != 0 && !heldNow) {
                        out.add(time, thread, EventKind.LOCK_TRY_FAILED, w.object, 0, w.site, null,
                                modeOf(w.flags) | EventFlags.TRY | EventFlags.TIMED_OUT, 0, null);
                    } else if (!heldNow) {
                        out.add(time, thread, monitor ? EventKind.MONITOR_ACQUIRED : EventKind.LOCK_ACQUIRED,
                                w.object, 0, w.site, null, modeOf(w.flags), 1, null);
                        out.add(time, thread, monitor ? EventKind.MONITOR_RELEASE : EventKind.LOCK_RELEASE,
                                w.object, 0, w.site, null, modeOf(w.flags), 1, null);
                    }
                }
                default -> {
                }
            }
        }
        for (Hold h : before.holds) {
            if (!now.holds.contains(h) && !(before.pending != null && before.pending.kind == EventKind.WAIT_BEGIN
                    && h.lock.equals(before.pending.object))) {
                boolean monitor = h.flags == 0 && isMonitor(h);
                out.add(time + 1, thread, monitor ? EventKind.MONITOR_RELEASE : EventKind.LOCK_RELEASE, h.lock, 0,
                        h.site, null, h.flags, h.count, null);
            }
        }
        for (Hold h : now.holds) {
            if (!before.holds.contains(h)) {
                boolean monitor = h.flags == 0 && isMonitor(h);
                out.add(time + 1, thread, monitor ? EventKind.MONITOR_ACQUIRED : EventKind.LOCK_ACQUIRED, h.lock, 0,
                        h.site, null, h.flags | EventFlags.SNAPSHOT, h.count, null);
            }
        }
        if (now.pending != null && !sameWait) {
            Wait w = now.pending;
            out.add(time + 2, thread, w.kind, w.object, 0, w.site, w.stack, w.flags | EventFlags.SNAPSHOT, w.value,
                    null);
        }
    }

    private final Set<ObjectInfo> monitors = new java.util.HashSet<>();

    private boolean isMonitor(Hold h) {
        return monitors.contains(h.lock);
    }

    private Snapshot snapshot(ThreadDump dump, DumpedThread t) {
        List<Hold> holds = new ArrayList<>();
        ObjectInfo waitingOn = t.waitingOn() == null ? null : object(t.waitingOn());
        Map<ObjectInfo, int[]> counts = new LinkedHashMap<>(); // count, outermost frame
        for (DumpedThread.Held h : t.monitors()) {
            ObjectInfo o = object(h.lock());
            monitors.add(o);
            if (o.equals(waitingOn) || (t.blockedOn() != null && o.equals(object(t.blockedOn())))) {
                continue; // the monitor a wait released (a re-lock after wait shows it too)
            }
            int[] c = counts.computeIfAbsent(o, k -> new int[] {0, h.frame()});
            c[0]++;
            c[1] = Math.max(c[1], h.frame());
        }
        counts.forEach((o, c) -> holds.add(new Hold(o, 0, c[0], siteAt(t, c[1]))));
        for (LockRef s : t.synchronizers()) {
            holds.add(new Hold(object(s), s.className().contains("ReentrantReadWriteLock") ? EventFlags.WRITE : 0, 1,
                    null));
        }
        return new Snapshot(holds, waitOf(dump, t, waitingOn));
    }

    private Wait waitOf(ThreadDump dump, DumpedThread t, ObjectInfo waitingOn) {
        boolean timed = t.state() == Thread.State.TIMED_WAITING;
        CallStack stack = out.stack(frames(t, 0));
        if (t.blockedOn() != null) {
            ObjectInfo o = object(t.blockedOn());
            monitors.add(o);
            return new Wait(EventKind.MONITOR_REQUEST, o, 0, 0, appSite(t), stack);
        }
        if (waitingOn != null && waitingOn.className().equals("java.lang.Thread")
                && t.inMethod("java.lang.Thread", "join")) {
            // Thread.join waits on the joined Thread; a dump does not say which thread that object is, so the
            // join names none (and is never taken to be stuck)
            return new Wait(EventKind.JOIN_BEGIN, null, timed ? EventFlags.TIMED : 0, 0, appSite(t), stack);
        }
        if (waitingOn != null) {
            monitors.add(waitingOn);
            return new Wait(EventKind.WAIT_BEGIN, waitingOn, timed ? EventFlags.TIMED : 0, 0, appSite(t), stack);
        }
        if (t.parkedOn() != null) {
            ObjectInfo o = object(t.parkedOn());
            int mode = lockMode(t);
            if (mode >= 0 && dump.listsOwnableSynchronizers()) {
                return new Wait(EventKind.LOCK_REQUEST, o, mode | (timed ? EventFlags.TIMED | EventFlags.TRY : 0), 0,
                        appSite(t), stack);
            }
            return new Wait(EventKind.PARK_BEGIN, o, timed ? EventFlags.TIMED : 0, 0, appSite(t), stack);
        }
        if (t.state() == Thread.State.TIMED_WAITING && t.inMethod("java.lang.Thread", "sleep")) {
            return new Wait(EventKind.SLEEP_BEGIN, null, 0, 0, appSite(t), stack);
        }
        if (t.state() == Thread.State.WAITING || t.state() == Thread.State.TIMED_WAITING) {
            if (t.inMethod("java.util.concurrent.locks.LockSupport", "park")
                    || t.inMethod("java.util.concurrent.locks.LockSupport", "parkNanos")
                    || t.inMethod("java.util.concurrent.locks.LockSupport", "parkUntil")) {
                return new Wait(EventKind.PARK_BEGIN, null, timed ? EventFlags.TIMED : 0, 0, appSite(t), stack);
            }
        }
        return null;
    }

    /** READ, WRITE or exclusive (0) when parked inside a lock method of ReentrantLock or ReentrantReadWriteLock. */
    private static int lockMode(DumpedThread t) {
        for (DumpedFrame f : t.frames()) {
            String c = f.frame().className();
            String m = f.frame().methodName();
            boolean lockMethod = m.equals("lock") || m.equals("lockInterruptibly") || m.equals("tryLock");
            if (!lockMethod) {
                continue;
            }
            switch (c) {
                case "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock" -> {
                    return EventFlags.WRITE;
                }
                case "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock" -> {
                    return EventFlags.READ;
                }
                case "java.util.concurrent.locks.ReentrantLock" -> {
                    return 0;
                }
                default -> {
                }
            }
        }
        return -1;
    }

    private static int modeOf(int flags) {
        return flags & (EventFlags.READ | EventFlags.WRITE);
    }

    /** The lock this thread waits (untimed) to write-lock while no thread holds it for writing, or null. */
    private ObjectInfo writeWaitWithoutWriter(ThreadDump dump, DumpedThread t) {
        Wait w = t.parkedOn() == null ? null : waitOf(dump, t, null);
        return w != null && w.kind == EventKind.LOCK_REQUEST && (w.flags & EventFlags.WRITE) != 0
                && (w.flags & EventFlags.TIMED) == 0 && noWriter(dump, w.object) ? w.object : null;
    }

    private static boolean othersFrozen(ThreadDump dump, long thread) {
        return dump.threads().stream().filter(o -> o.id() != thread).noneMatch(DumpMapper::canMove);
    }

    /** No thread of the dump owns it (for writing). */
    private boolean noWriter(ThreadDump dump, ObjectInfo lock) {
        if (!dump.listsOwnableSynchronizers()) {
            return false;
        }
        for (DumpedThread t : dump.threads()) {
            for (LockRef s : t.synchronizers()) {
                if (object(s).equals(lock)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A thread of the program that could still do something: runnable or in a timed wait. */
    private static boolean canMove(DumpedThread t) {
        if (JVM_THREAD_NAMES.contains(t.name()) || t.frames().isEmpty()) {
            return false;
        }
        if (t.daemon() && t.frames().stream().allMatch(f -> isJdk(f.frame().className()))) {
            return false; // a daemon of the JDK's (a pool's timer, a cleaner)
        }
        return t.state() == Thread.State.RUNNABLE || t.state() == Thread.State.TIMED_WAITING;
    }

    static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("javax.") || className.startsWith("com.sun.");
    }

    /** The first frame outside the JDK: where the program called what blocks it (else the innermost). */
    private static Frame appSite(DumpedThread t) {
        for (DumpedFrame f : t.frames()) {
            if (!isJdk(f.frame().className())) {
                return f.frame();
            }
        }
        return t.frames().isEmpty() ? null : t.frames().get(0).frame();
    }

    private static Frame siteAt(DumpedThread t, int index) {
        DumpedFrame f = t.frame(index);
        return f == null ? null : f.frame();
    }

    private static List<Frame> frames(DumpedThread t, int from) {
        List<Frame> frames = new ArrayList<>(t.frames().size());
        for (int i = from; i < t.frames().size(); i++) {
            frames.add(t.frames().get(i).frame());
        }
        return frames;
    }

    private ObjectInfo object(LockRef ref) {
        return out.object("dump:" + ref.className() + "@" + ref.identity(), ref.className(), hash(ref.identity()));
    }

    /** The identity hash of a JSON dump, the low 32 bits of the address of a text dump. */
    private static int hash(String identity) {
        String hex = identity.startsWith("0x") ? identity.substring(2) : identity;
        try {
            return (int) Long.parseUnsignedLong(hex.length() > 16 ? hex.substring(hex.length() - 16) : hex, 16);
        } catch (NumberFormatException e) {
            return identity.hashCode();
        }
    }
}
