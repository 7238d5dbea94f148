package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.util.concurrent.Exchanger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Called from application code instead of {@code Exchanger.exchange}: EXCHANGE_BEGIN, the real call, EXCHANGE_END
 * (TIMED_OUT, INTERRUPTED, or FAILED for another exception, which propagates unchanged).
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class ExchangerHooks {
    private ExchangerHooks() {
    }

    public static Object exchange(Exchanger x, Object item, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return x.exchange(item);
        }
        ObjEntry o = r.entry(x);
        long begun = SyncEvents.begin(r, EventKind.EXCHANGE_BEGIN, o, 0, 0, site, 0);
        int flags = 0;
        r.busy++;
        try {
            return x.exchange(item);
        } catch (Throwable t) {
            flags = SyncEvents.failure(t);
            throw t;
        } finally {
            r.busy--;
            SyncEvents.end(r, EventKind.EXCHANGE_END, o, flags, 0, site, begun, 0);
        }
    }

    public static Object exchange(Exchanger x, Object item, long time, TimeUnit unit, int site)
            throws InterruptedException, TimeoutException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return x.exchange(item, time, unit);
        }
        ObjEntry o = r.entry(x);
        long begun = SyncEvents.begin(r, EventKind.EXCHANGE_BEGIN, o, EventFlags.TIMED, 0, site, unit.toNanos(time));
        int flags = EventFlags.TIMED;
        r.busy++;
        try {
            return x.exchange(item, time, unit);
        } catch (Throwable t) {
            flags |= SyncEvents.failure(t);
            throw t;
        } finally {
            r.busy--;
            SyncEvents.end(r, EventKind.EXCHANGE_END, o, flags, 0, site, begun, 0);
        }
    }
}
