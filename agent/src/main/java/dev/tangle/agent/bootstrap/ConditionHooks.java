package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Called from application code instead of {@code Condition} methods. An await releases the condition's lock
 * entirely and holds it again when it returns; the events say so by naming the condition, whose trace object
 * names its lock ({@code ObjectInfo.ownerId}).
 */
public final class ConditionHooks {
    private ConditionHooks() {
    }

    public static void await(Condition c, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            c.await();
            return;
        }
        ObjEntry e = r.entry(c);
        int count = r.awaitBegin(e, e.owner, site, 0, 0);
        int flags = 0;
        r.busy++;
        try {
            c.await();
        } catch (InterruptedException ex) {
            flags = EventFlags.INTERRUPTED;
            throw ex;
        } finally {
            r.busy--;
            r.awaitEnd(e, e.owner, count, site, flags);
        }
    }

    public static void awaitUninterruptibly(Condition c, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            c.awaitUninterruptibly();
            return;
        }
        ObjEntry e = r.entry(c);
        int count = r.awaitBegin(e, e.owner, site, 0, 0);
        r.busy++;
        try {
            c.awaitUninterruptibly();
        } finally {
            r.busy--;
            r.awaitEnd(e, e.owner, count, site, 0);
        }
    }

    public static long awaitNanos(Condition c, long nanos, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return c.awaitNanos(nanos);
        }
        ObjEntry e = r.entry(c);
        int count = r.awaitBegin(e, e.owner, site, EventFlags.TIMED, nanos);
        int flags = EventFlags.TIMED;
        r.busy++;
        try {
            long left = c.awaitNanos(nanos);
            if (left <= 0) {
                flags |= EventFlags.TIMED_OUT;
            }
            return left;
        } catch (InterruptedException ex) {
            flags |= EventFlags.INTERRUPTED;
            throw ex;
        } finally {
            r.busy--;
            r.awaitEnd(e, e.owner, count, site, flags);
        }
    }

    public static boolean await(Condition c, long time, TimeUnit unit, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return c.await(time, unit);
        }
        ObjEntry e = r.entry(c);
        int count = r.awaitBegin(e, e.owner, site, EventFlags.TIMED, unit.toNanos(time));
        int flags = EventFlags.TIMED;
        r.busy++;
        try {
            boolean signalled = c.await(time, unit);
            if (!signalled) {
                flags |= EventFlags.TIMED_OUT;
            }
            return signalled;
        } catch (InterruptedException ex) {
            flags |= EventFlags.INTERRUPTED;
            throw ex;
        } finally {
            r.busy--;
            r.awaitEnd(e, e.owner, count, site, flags);
        }
    }

    public static boolean awaitUntil(Condition c, Date deadline, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || deadline == null) {
            return c.awaitUntil(deadline);
        }
        ObjEntry e = r.entry(c);
        int flags = EventFlags.TIMED | EventFlags.DEADLINE;
        int count = r.awaitBegin(e, e.owner, site, flags, deadline.getTime());
        r.busy++;
        try {
            boolean signalled = c.awaitUntil(deadline);
            if (!signalled) {
                flags |= EventFlags.TIMED_OUT;
            }
            return signalled;
        } catch (InterruptedException ex) {
            flags |= EventFlags.INTERRUPTED;
            throw ex;
        } finally {
            r.busy--;
            r.awaitEnd(e, e.owner, count, site, flags & ~EventFlags.DEADLINE);
        }
    }

    public static void signal(Condition c, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r != null) {
            r.signal(r.entry(c), site, false);
        }
        c.signal();
    }

    public static void signalAll(Condition c, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r != null) {
            r.signal(r.entry(c), site, true);
        }
        c.signalAll();
    }
}
