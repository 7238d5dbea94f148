package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The thread lifecycle. Start, run, exit, join, interrupt and rename are called from advice woven into
 * {@code java.lang.Thread} (and {@code VirtualThread} on JDK 21+); sleep from rewritten application call sites
 * (on JDK 17 {@code Thread.sleep} is native and cannot carry advice).
 *
 * <p>Methods that return a recorder mark it busy until the matching exit method, so JDK code called inside
 * (join's own waits, a virtual thread's parking) is not recorded a second time.
 */
public final class ThreadHooks {
    private ThreadHooks() {
    }

    /** Before {@code Thread.start()}, in the parent. */
    public static void start(Thread child) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            r = ThreadRecorder.startingPoolWorker();
        }
        if (r == null || child == null || child instanceof AgentThread || child.getState() != Thread.State.NEW) {
            return;
        }
        r.busy++;
        try {
            int flags = (child.isDaemon() ? EventFlags.DAEMON : 0)
                    | (Threads.isVirtual(child) ? EventFlags.VIRTUAL : 0);
            r.event(EventKind.THREAD_START, Clock.precise(), flags, Tables.string(child.getName()),
                    Threads.id(child), 0, r.captureStack(), 0);
        } finally {
            r.busy--;
        }
    }

    /** At the start of a thread's {@code run()}: records THREAD_BEGIN once. */
    public static void run() {
        if (!ThreadRecorder.recording) {
            return;
        }
        ThreadRecorder r = ThreadRecorder.existing();
        if (r == null) {
            ThreadRecorder.create(true);
        } else if (r.busy == 0) {
            r.begin(true);
        }
    }

    /** When the JVM ends a platform thread ({@code Thread.exit()}) or a virtual thread's run ends. */
    public static void exit() {
        if (!ThreadRecorder.recording) {
            return;
        }
        ThreadRecorder r = ThreadRecorder.existing();
        if (r == null) {
            if (Thread.currentThread() instanceof AgentThread) {
                return;
            }
            r = ThreadRecorder.create(false);
            if (r == null) {
                return;
            }
        }
        if (!r.isAgentThread() && !r.ended) {
            r.end();
        }
    }

    /** {@code Thread.dispatchUncaughtException}: remembered for the THREAD_END that follows. */
    public static void uncaught(Throwable t) {
        ThreadRecorder r = ThreadRecorder.existing();
        if (r != null && t != null) {
            r.uncaught = t.getClass().getName();
        }
    }

    public static ThreadRecorder joinBegin(Thread target, long timeoutNanos) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || target == null || target instanceof AgentThread) {
            return null;
        }
        r.event(EventKind.JOIN_BEGIN, Clock.precise(), timeoutNanos > 0 ? EventFlags.TIMED : 0, 0,
                Threads.id(target), 0, r.captureStack(), timeoutNanos);
        r.busy++;
        return r;
    }

    public static void joinEnd(ThreadRecorder r, Thread target, Throwable thrown, long timeoutNanos) {
        if (r == null) {
            return;
        }
        r.busy--;
        int flags = timeoutNanos > 0 ? EventFlags.TIMED : 0;
        if (thrown instanceof InterruptedException) {
            flags |= EventFlags.INTERRUPTED;
        } else if (thrown != null) {
            flags |= EventFlags.FAILED;
        } else if (target.isAlive()) {
            flags |= EventFlags.TIMED_OUT;
        }
        r.event(EventKind.JOIN_END, Clock.precise(), flags, 0, Threads.id(target), 0, 0, 0);
    }

    public static ThreadRecorder interruptBegin(Thread target) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || target == null || target instanceof AgentThread) {
            return null;
        }
        r.event(EventKind.INTERRUPT, Clock.precise(), 0, 0, Threads.id(target), 0, 0, 0);
        r.busy++;
        return r;
    }

    public static void interruptEnd(ThreadRecorder r) {
        if (r != null) {
            r.busy--;
        }
    }

    public static void renamed(Thread t, String name) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || t == null || t instanceof AgentThread) {
            return;
        }
        r.busy++;
        try {
            r.event(EventKind.THREAD_RENAME, Clock.coarse(), 0, Tables.string(name), Threads.id(t), 0, 0, 0);
        } finally {
            r.busy--;
        }
    }

    // ---- sleep, from rewritten call sites

    public static void sleep(long millis, int site) throws InterruptedException {
        ThreadRecorder r = sleepBegin(millis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(millis), site);
        int flags = 0;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            flags = EventFlags.INTERRUPTED;
            throw e;
        } finally {
            sleepEnd(r, site, flags);
        }
    }

    public static void sleep(long millis, int nanos, int site) throws InterruptedException {
        ThreadRecorder r = sleepBegin(millis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(millis) + nanos, site);
        int flags = 0;
        try {
            Thread.sleep(millis, nanos);
        } catch (InterruptedException e) {
            flags = EventFlags.INTERRUPTED;
            throw e;
        } finally {
            sleepEnd(r, site, flags);
        }
    }

    public static void sleep(Duration duration, int site) throws InterruptedException {
        ThreadRecorder r = sleepBegin(duration == null ? -1 : saturatedNanos(duration), site);
        int flags = 0;
        try {
            SleepCompat.sleep(duration);
        } catch (InterruptedException e) {
            flags = EventFlags.INTERRUPTED;
            throw e;
        } finally {
            sleepEnd(r, site, flags);
        }
    }

    public static void sleep(TimeUnit unit, long timeout, int site) throws InterruptedException {
        ThreadRecorder r = sleepBegin(unit == null ? -1 : unit.toNanos(timeout), site);
        int flags = 0;
        try {
            unit.sleep(timeout);
        } catch (InterruptedException e) {
            flags = EventFlags.INTERRUPTED;
            throw e;
        } finally {
            sleepEnd(r, site, flags);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static ThreadRecorder sleepBegin(long nanos, int site) {
        if (nanos < 0) {
            return null; // the call throws IllegalArgumentException or NullPointerException
        }
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return null;
        }
        r.event(EventKind.SLEEP_BEGIN, Clock.precise(), 0, 0, 0, site, r.stackFor(site), nanos);
        r.busy++;
        return r;
    }

    private static void sleepEnd(ThreadRecorder r, int site, int flags) {
        if (r != null) {
            r.busy--;
            r.event(EventKind.SLEEP_END, Clock.precise(), flags, 0, 0, site, 0, 0);
        }
    }
}
