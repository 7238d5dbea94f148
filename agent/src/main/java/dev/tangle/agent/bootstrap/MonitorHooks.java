package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;

/**
 * Called from application code rewritten by the agent: around {@code monitorenter}/{@code monitorexit}, at the
 * start and exits of synchronized methods, and instead of {@code Object.wait/notify/notifyAll}. Each call site
 * passes its site id (a frame: class, method, file, line), so no stack walk is needed to say where.
 */
public final class MonitorHooks {
    private MonitorHooks() {
    }

    /** Before {@code monitorenter}: records MONITOR_REQUEST. The result goes to {@link #entered}. */
    public static ThreadRecorder enter(Object monitor, int site) {
        return enter(monitor, site, null);
    }

    /**
     * {@link #enter(Object, int)} in a method that keeps its recorder in a local: {@code known} is the local's
     * value, and the result is stored back into it.
     */
    public static ThreadRecorder enter(Object monitor, int site, ThreadRecorder known) {
        ThreadRecorder r = ThreadRecorder.current(known);
        if (r == null || monitor == null) {
            return null;
        }
        r.monitorRequest(monitor, site);
        return r;
    }

    /** Right after {@code monitorenter}, inside the block's exception range: records MONITOR_ACQUIRED. */
    public static void entered(ThreadRecorder r) {
        if (r != null) {
            r.monitorAcquired();
        }
    }

    /** Start of a synchronized method of a class instrumented after it was loaded: the monitor is already held. */
    public static void enteredMethod(Object monitor, int site) {
        enteredMethod(monitor, site, null);
    }

    /** {@link #enteredMethod(Object, int)} with the method's recorder local; returns the recorder for it. */
    public static ThreadRecorder enteredMethod(Object monitor, int site, ThreadRecorder known) {
        ThreadRecorder r = ThreadRecorder.current(known);
        if (r != null) {
            r.monitorEnteredWithoutRequest(monitor, site);
        }
        return r;
    }

    /** {@link #exit(Object, int)} with the method's recorder local. */
    public static void exit(Object monitor, int site, ThreadRecorder known) {
        ThreadRecorder r = ThreadRecorder.current(known);
        if (r != null && monitor != null) {
            r.monitorRelease(monitor, site);
        }
    }

    /** {@link #exitByException(int)} with the method's recorder local. */
    public static void exitByException(int site, ThreadRecorder known) {
        ThreadRecorder r = ThreadRecorder.current(known);
        if (r != null) {
            r.innermostMonitorRelease(site);
        }
    }

    /** Before {@code monitorexit} (or a synchronized method's return or throw): records MONITOR_RELEASE. */
    public static void exit(Object monitor, int site) {
        exit(monitor, site, null);
    }

    /**
     * In the handler that a synchronized block or method ends through when an exception leaves it, before the
     * monitor is released: records MONITOR_RELEASE of the innermost monitor this thread holds. (The object is not
     * at hand there without a new local variable; the innermost held monitor is the one being left.)
     */
    public static void exitByException(int site) {
        exitByException(site, null);
    }

    public static void waitFor(Object monitor, int site) throws InterruptedException {
        waitFor(monitor, 0L, site);
    }

    public static void waitFor(Object monitor, long millis, int nanos, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || monitor == null || millis < 0 || nanos < 0 || nanos > 999999
                || !Thread.holdsLock(monitor)) {
            monitor.wait(millis, nanos); // throws as the plain call would
            return;
        }
        long timeout = millis * 1_000_000L + nanos;
        int count = begin(r, monitor, timeout, site);
        int flags = 0;
        r.busy++;
        try {
            monitor.wait(millis, nanos);
        } catch (InterruptedException e) {
            flags = EventFlags.INTERRUPTED;
            throw e;
        } finally {
            r.busy--;
            end(r, monitor, count, site, flags | (timeout > 0 ? EventFlags.TIMED : 0));
        }
    }

    public static void waitFor(Object monitor, long millis, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || monitor == null || millis < 0 || !Thread.holdsLock(monitor)) {
            monitor.wait(millis);
            return;
        }
        long timeout = millis * 1_000_000L;
        int count = begin(r, monitor, timeout, site);
        int flags = 0;
        r.busy++;
        try {
            monitor.wait(millis);
        } catch (InterruptedException e) {
            flags = EventFlags.INTERRUPTED;
            throw e;
        } finally {
            r.busy--;
            end(r, monitor, count, site, flags | (timeout > 0 ? EventFlags.TIMED : 0));
        }
    }

    private static int begin(ThreadRecorder r, Object monitor, long timeoutNanos, int site) {
        return r.waitBegin(monitor, timeoutNanos, site);
    }

    private static void end(ThreadRecorder r, Object monitor, int count, int site, int flags) {
        r.waitEnd(monitor, count, site, flags);
    }

    public static void notify(Object monitor, int site) {
        record(monitor, site, false);
        monitor.notify();
    }

    public static void notifyAll(Object monitor, int site) {
        record(monitor, site, true);
        monitor.notifyAll();
    }

    private static void record(Object monitor, int site, boolean all) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r != null && monitor != null && Thread.holdsLock(monitor)) {
            r.notify(monitor, site, all);
        }
    }
}
