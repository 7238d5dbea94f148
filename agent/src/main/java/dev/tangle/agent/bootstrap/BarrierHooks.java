package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;

/**
 * Called from application code instead of {@code CyclicBarrier.await} and the {@code Phaser} methods. Waiting
 * (CyclicBarrier.await, Phaser.arriveAndAwaitAdvance and awaitAdvance*) is BARRIER_AWAIT_BEGIN/END, text = the
 * method, END value = what it returned (arrival index or phase); BrokenBarrierException ends FAILED, a timeout
 * TIMED_OUT, an interrupt INTERRUPTED, and the exception propagates unchanged. Phaser.arrive and
 * arriveAndDeregister are PHASER_ARRIVE (value = the phase returned), register and bulkRegister PHASER_REGISTER
 * (value = parties added); both are timed before the call and recorded after it succeeded.
 */
public final class BarrierHooks {
    private BarrierHooks() {
    }

    private static final int AWAIT = 0;
    private static final int AWAIT_TIMED = 1;
    private static final int ARRIVE_AND_AWAIT_ADVANCE = 2;
    private static final int AWAIT_ADVANCE = 3;
    private static final int AWAIT_ADVANCE_INTERRUPTIBLY = 4;
    private static final int AWAIT_ADVANCE_INTERRUPTIBLY_TIMED = 5;
    private static final int ARRIVE = 6;
    private static final int ARRIVE_AND_DEREGISTER = 7;

    private static final SyncEvents.Names NAMES = new SyncEvents.Names("await", "await", "arriveAndAwaitAdvance",
            "awaitAdvance", "awaitAdvanceInterruptibly", "awaitAdvanceInterruptibly", "arrive", "arriveAndDeregister");

    // ---- CyclicBarrier

    public static int await(CyclicBarrier b, int site) throws InterruptedException,
            java.util.concurrent.BrokenBarrierException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? b.await() : record(r, b, AWAIT, 0, 0, null, site);
    }

    public static int await(CyclicBarrier b, long time, TimeUnit unit, int site) throws InterruptedException,
            java.util.concurrent.BrokenBarrierException, java.util.concurrent.TimeoutException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null || unit == null ? b.await(time, unit) : record(r, b, AWAIT_TIMED, 0, time, unit, site);
    }

    // ---- Phaser

    public static int arriveAndAwaitAdvance(Phaser p, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? p.arriveAndAwaitAdvance() : record(r, p, ARRIVE_AND_AWAIT_ADVANCE, 0, 0, null, site);
    }

    public static int awaitAdvance(Phaser p, int phase, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? p.awaitAdvance(phase) : record(r, p, AWAIT_ADVANCE, phase, 0, null, site);
    }

    public static int awaitAdvanceInterruptibly(Phaser p, int phase, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? p.awaitAdvanceInterruptibly(phase)
                : record(r, p, AWAIT_ADVANCE_INTERRUPTIBLY, phase, 0, null, site);
    }

    public static int awaitAdvanceInterruptibly(Phaser p, int phase, long time, TimeUnit unit, int site)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null || unit == null ? p.awaitAdvanceInterruptibly(phase, time, unit)
                : record(r, p, AWAIT_ADVANCE_INTERRUPTIBLY_TIMED, phase, time, unit, site);
    }

    public static int arrive(Phaser p, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? p.arrive() : arrival(r, p, ARRIVE, site);
    }

    public static int arriveAndDeregister(Phaser p, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? p.arriveAndDeregister() : arrival(r, p, ARRIVE_AND_DEREGISTER, site);
    }

    public static int register(Phaser p, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return p.register();
        }
        ObjEntry o = r.entry(p);
        long time = r.reserveTime(o);
        int phase;
        r.busy++;
        try {
            phase = p.register();
        } finally {
            r.busy--;
        }
        r.syncEventAt(EventKind.PHASER_REGISTER, o, time, 0, 0, site, 1);
        return phase;
    }

    public static int bulkRegister(Phaser p, int parties, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return p.bulkRegister(parties);
        }
        ObjEntry o = r.entry(p);
        long time = r.reserveTime(o);
        int phase;
        r.busy++;
        try {
            phase = p.bulkRegister(parties);
        } finally {
            r.busy--;
        }
        r.syncEventAt(EventKind.PHASER_REGISTER, o, time, 0, 0, site, parties);
        return phase;
    }

    // ---- shared

    private static int arrival(ThreadRecorder r, Phaser p, int op, int site) {
        ObjEntry o = r.entry(p);
        long time = r.reserveTime(o); // before the arrival, so before the advance it may cause
        int phase;
        r.busy++;
        try {
            phase = op == ARRIVE ? p.arrive() : p.arriveAndDeregister();
        } finally {
            r.busy--;
        }
        r.syncEventAt(EventKind.PHASER_ARRIVE, o, time, 0, NAMES.id(r, op), site, phase);
        return phase;
    }

    private static int record(ThreadRecorder r, Object barrier, int op, int phase, long time, TimeUnit unit,
                              int site) {
        ObjEntry o = r.entry(barrier);
        boolean timed = op == AWAIT_TIMED || op == AWAIT_ADVANCE_INTERRUPTIBLY_TIMED;
        int flags = timed ? EventFlags.TIMED : 0;
        int text = NAMES.id(r, op);
        long begun = SyncEvents.begin(r, EventKind.BARRIER_AWAIT_BEGIN, o, flags, text, site,
                timed ? unit.toNanos(time) : 0);
        int endFlags = flags;
        long result = 0;
        r.busy++;
        try {
            int returned;
            switch (op) {
                case AWAIT: returned = ((CyclicBarrier) barrier).await(); break;
                case AWAIT_TIMED: returned = ((CyclicBarrier) barrier).await(time, unit); break;
                case ARRIVE_AND_AWAIT_ADVANCE: returned = ((Phaser) barrier).arriveAndAwaitAdvance(); break;
                case AWAIT_ADVANCE: returned = ((Phaser) barrier).awaitAdvance(phase); break;
                case AWAIT_ADVANCE_INTERRUPTIBLY: returned = ((Phaser) barrier).awaitAdvanceInterruptibly(phase); break;
                default: returned = ((Phaser) barrier).awaitAdvanceInterruptibly(phase, time, unit); break;
            }
            result = returned;
            return returned;
        } catch (Throwable t) {
            endFlags |= SyncEvents.failure(t);
            throw SyncEvents.rethrow(t);
        } finally {
            r.busy--;
            SyncEvents.end(r, EventKind.BARRIER_AWAIT_END, o, endFlags, text, site, begun, result);
        }
    }
}
