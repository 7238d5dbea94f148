package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Called from application code instead of {@code CountDownLatch} methods. A count-down is timed before the call
 * (so it precedes the await it releases) and recorded after it, with the count after as its value.
 */
public final class LatchHooks {
    private LatchHooks() {
    }

    public static void countDown(CountDownLatch latch, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            latch.countDown();
            return;
        }
        ObjEntry o = r.entry(latch);
        long time = r.reserveTime(o);
        long count;
        r.busy++;
        try {
            latch.countDown();
            count = latch.getCount();
        } finally {
            r.busy--;
        }
        r.syncEventAt(EventKind.LATCH_COUNT_DOWN, o, time, 0, 0, site, count);
    }

    public static void await(CountDownLatch latch, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            latch.await();
            return;
        }
        ObjEntry o = r.entry(latch);
        long begun = SyncEvents.begin(r, EventKind.LATCH_AWAIT_BEGIN, o, 0, 0, site, 0);
        int flags = 0;
        r.busy++;
        try {
            latch.await();
        } catch (Throwable t) {
            flags = SyncEvents.failure(t);
            throw t;
        } finally {
            r.busy--;
            SyncEvents.end(r, EventKind.LATCH_AWAIT_END, o, flags, 0, site, begun, 0);
        }
    }

    public static boolean await(CountDownLatch latch, long time, TimeUnit unit, int site)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return latch.await(time, unit);
        }
        ObjEntry o = r.entry(latch);
        long begun = SyncEvents.begin(r, EventKind.LATCH_AWAIT_BEGIN, o, EventFlags.TIMED, 0, site,
                unit.toNanos(time));
        int flags = EventFlags.TIMED;
        r.busy++;
        try {
            boolean opened = latch.await(time, unit);
            if (!opened) {
                flags |= EventFlags.TIMED_OUT;
            }
            return opened;
        } catch (Throwable t) {
            flags |= SyncEvents.failure(t);
            throw t;
        } finally {
            r.busy--;
            SyncEvents.end(r, EventKind.LATCH_AWAIT_END, o, flags, 0, site, begun, 0);
        }
    }
}
