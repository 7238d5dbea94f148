package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Called from application code instead of {@code Semaphore} methods: SEMAPHORE_ACQUIRE_BEGIN/END around every
 * acquire (value = permits asked for; TRY for tryAcquire, TIMED for its timed forms, whose timeout is not
 * recorded), ending FAILED when tryAcquire returns false, TIMED_OUT when the timed form does, INTERRUPTED or
 * FAILED when the call throws. A release is timed before the call and recorded after it succeeded.
 */
public final class SemaphoreHooks {
    private SemaphoreHooks() {
    }

    // the acquire forms; the no-argument ones call the no-argument method (a subclass may override only that)
    private static final int ACQUIRE = 0;
    private static final int ACQUIRE_N = 1;
    private static final int ACQUIRE_UNINTERRUPTIBLY = 2;
    private static final int ACQUIRE_UNINTERRUPTIBLY_N = 3;
    private static final int TRY_ACQUIRE = 4;
    private static final int TRY_ACQUIRE_N = 5;
    private static final int TRY_ACQUIRE_TIMED = 6;
    private static final int TRY_ACQUIRE_N_TIMED = 7;

    public static void acquire(Semaphore s, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            s.acquire();
            return;
        }
        record(r, s, ACQUIRE, 1, 0, null, site);
    }

    public static void acquire(Semaphore s, int permits, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            s.acquire(permits);
            return;
        }
        record(r, s, ACQUIRE_N, permits, 0, null, site);
    }

    public static void acquireUninterruptibly(Semaphore s, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            s.acquireUninterruptibly();
            return;
        }
        record(r, s, ACQUIRE_UNINTERRUPTIBLY, 1, 0, null, site);
    }

    public static void acquireUninterruptibly(Semaphore s, int permits, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            s.acquireUninterruptibly(permits);
            return;
        }
        record(r, s, ACQUIRE_UNINTERRUPTIBLY_N, permits, 0, null, site);
    }

    public static boolean tryAcquire(Semaphore s, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? s.tryAcquire() : record(r, s, TRY_ACQUIRE, 1, 0, null, site);
    }

    public static boolean tryAcquire(Semaphore s, int permits, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? s.tryAcquire(permits) : record(r, s, TRY_ACQUIRE_N, permits, 0, null, site);
    }

    public static boolean tryAcquire(Semaphore s, long time, TimeUnit unit, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null || unit == null ? s.tryAcquire(time, unit)
                : record(r, s, TRY_ACQUIRE_TIMED, 1, time, unit, site);
    }

    public static boolean tryAcquire(Semaphore s, int permits, long time, TimeUnit unit, int site)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null || unit == null ? s.tryAcquire(permits, time, unit)
                : record(r, s, TRY_ACQUIRE_N_TIMED, permits, time, unit, site);
    }

    public static void release(Semaphore s, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            s.release();
            return;
        }
        ObjEntry o = r.entry(s);
        long time = r.reserveTime(o); // before the release, so before the acquire it lets through
        r.busy++;
        try {
            s.release();
        } finally {
            r.busy--;
        }
        r.syncEventAt(EventKind.SEMAPHORE_RELEASE, o, time, 0, 0, site, 1);
    }

    public static void release(Semaphore s, int permits, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            s.release(permits);
            return;
        }
        ObjEntry o = r.entry(s);
        long time = r.reserveTime(o); // before the release, so before the acquire it lets through
        r.busy++;
        try {
            s.release(permits);
        } finally {
            r.busy--;
        }
        r.syncEventAt(EventKind.SEMAPHORE_RELEASE, o, time, 0, 0, site, permits);
    }

    /**
     * BEGIN, the real call (busy), END; {@code tryAcquire()} and {@code tryAcquire(n)}, which never block, are
     * recorded once they returned, as one paired record ({@link SyncEvents#pair}).
     */
    private static boolean record(ThreadRecorder r, Semaphore s, int op, int permits, long time, TimeUnit unit,
                                  int site) {
        ObjEntry o = r.entry(s);
        boolean timed = op == TRY_ACQUIRE_TIMED || op == TRY_ACQUIRE_N_TIMED;
        int flags = timed ? EventFlags.TRY | EventFlags.TIMED
                : op == TRY_ACQUIRE || op == TRY_ACQUIRE_N ? EventFlags.TRY : 0;
        boolean never = flags == EventFlags.TRY; // never blocks
        long begun = never ? Clock.coarse()
                : SyncEvents.begin(r, EventKind.SEMAPHORE_ACQUIRE_BEGIN, o, flags, 0, site, permits);
        int endFlags = flags;
        r.busy++;
        try {
            boolean acquired;
            switch (op) {
                case ACQUIRE: s.acquire(); acquired = true; break;
                case ACQUIRE_N: s.acquire(permits); acquired = true; break;
                case ACQUIRE_UNINTERRUPTIBLY: s.acquireUninterruptibly(); acquired = true; break;
                case ACQUIRE_UNINTERRUPTIBLY_N: s.acquireUninterruptibly(permits); acquired = true; break;
                case TRY_ACQUIRE: acquired = s.tryAcquire(); break;
                case TRY_ACQUIRE_N: acquired = s.tryAcquire(permits); break;
                case TRY_ACQUIRE_TIMED: acquired = s.tryAcquire(time, unit); break;
                default: acquired = s.tryAcquire(permits, time, unit); break;
            }
            if (!acquired) {
                endFlags |= timed ? EventFlags.TIMED_OUT : EventFlags.FAILED;
            }
            return acquired;
        } catch (Throwable t) {
            endFlags |= SyncEvents.failure(t);
            throw SyncEvents.rethrow(t);
        } finally {
            r.busy--;
            if (never) {
                SyncEvents.pair(r, EventKind.SEMAPHORE_ACQUIRE_END, o, endFlags, 0, site, begun, permits);
            } else {
                SyncEvents.end(r, EventKind.SEMAPHORE_ACQUIRE_END, o, endFlags, 0, site, begun, permits);
            }
        }
    }
}
