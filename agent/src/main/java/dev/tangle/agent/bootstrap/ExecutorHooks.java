package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Thread pools, from advice woven into {@code ThreadPoolExecutor}, {@code ScheduledThreadPoolExecutor} and
 * {@code ForkJoinPool}. Methods that return a recorder mark the thread busy until the matching end method: the
 * pool's own locking, parking, thread starts and interrupts inside execute, getTask, shutdown or
 * awaitTermination are the pool's business, recorded as these events and not again as locks or parks.
 * One exception: a worker thread the pool starts inside execute or a worker's exit is recorded (THREAD_START in
 * the starting thread, see {@link ThreadRecorder#startingPoolWorker}); it is the program's thread creation.
 * A method that returns a recorder increments busy as its very last step, so a failure before it leaves the
 * thread as it was (the advice then passes null to the end method, which does nothing).
 */
public final class ExecutorHooks {
    /** ForkJoinPool's default limit of spare threads for the common pool (JDK 17 and 25). */
    private static final int COMMON_MAX_SPARES = 256;

    private ExecutorHooks() {
    }

    /** A pool's constructor returned: POOL_CREATE with its sizes and creation stack. */
    public static void poolCreated(Object pool, int coreSize, int maxSize) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || pool == null) {
            return;
        }
        r.busy++;
        try {
            String className = pool.getClass().getName();
            ObjEntry e = Tables.object(pool, System.identityHashCode(pool), className, 0, maxSize, true);
            r.event(EventKind.POOL_CREATE, Clock.precise(), 0, Tables.string(className), e.id, 0, r.captureStack(),
                    coreSize);
        } finally {
            r.busy--;
        }
    }

    /** The common ForkJoinPool (its private constructor): sizes from the pool itself. */
    public static void commonPoolCreated(Object pool) {
        if (!(pool instanceof ForkJoinPool) || ThreadRecorder.current() == null) {
            return;
        }
        int parallelism = ((ForkJoinPool) pool).getParallelism();
        poolCreated(pool, parallelism, parallelism + COMMON_MAX_SPARES);
    }

    /** A ForkJoinPool's constructor returned; not for the virtual-thread scheduler (its factory makes carriers). */
    public static void forkJoinPoolCreated(Object pool, int parallelism, int maxSize, Object factory) {
        if (factory != null && factory.getClass().getName().startsWith("java.lang.VirtualThread")) {
            return;
        }
        poolCreated(pool, parallelism, maxSize);
    }

    /** A ForkJoinPool worker found nothing to run ({@code awaitWork}); carriers of virtual threads are skipped. */
    public static ThreadRecorder forkJoinIdleBegin(Object pool) {
        if (Thread.currentThread().getClass().getName().equals("jdk.internal.misc.CarrierThread")) {
            return null;
        }
        return idleBegin(pool);
    }

    /** Before the pool queues a task: TASK_SUBMIT in the submitting thread. */
    public static ThreadRecorder submitBegin(Object pool, Object task) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || pool == null || task == null) {
            return null;
        }
        r.busy++;
        try {
            long poolId = r.entry(pool).id;
            long taskId = r.entry(task).id;
            // no call site in advice: stacks are taken per pool (the first submission's, with stacks=first)
            r.event(EventKind.TASK_SUBMIT, Clock.precise(), 0, 0, taskId, 0, r.stackFor((int) -poolId), poolId);
        } finally {
            r.busy--;
        }
        r.busy++;
        r.poolStartsThreads = true;
        return r;
    }

    /** The pool's internal work, recorded as nothing (a worker's exit) but a worker's start: busy until {@link #end}. */
    public static ThreadRecorder internalBegin() {
        ThreadRecorder r = ThreadRecorder.current();
        if (r != null) {
            r.busy++;
            r.poolStartsThreads = true;
        }
        return r;
    }

    /** End of any method whose begin returned a recorder (or null). */
    public static void end(ThreadRecorder r) {
        if (r != null) {
            r.busy--;
            r.poolStartsThreads = false;
        }
    }

    /**
     * {@code beforeExecute} in a worker, right before the task runs. A subclass's override and the base method
     * both carry the advice; the first to run records, the other sees the task already running.
     */
    public static void taskBegin(Object pool, Object task) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || pool == null || task == null) {
            return;
        }
        r.busy++;
        try {
            long taskId = r.entry(task).id;
            if (r.runningTask == taskId) {
                return;
            }
            r.runningTask = taskId;
            r.event(EventKind.TASK_BEGIN, Clock.precise(), 0, 0, taskId, 0, 0, r.entry(pool).id);
        } finally {
            r.busy--;
        }
    }

    /** {@code afterExecute} in a worker, right after the task ran ({@code thrown}: what it threw, if anything). */
    public static void taskEnd(Object task, Throwable thrown) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || task == null) {
            return;
        }
        r.busy++;
        try {
            long taskId = r.entry(task).id;
            if (r.runningTask != taskId) {
                return; // recorded already by an override's advice, or its begin was not seen
            }
            r.runningTask = 0;
            r.event(EventKind.TASK_END, Clock.precise(), thrown != null ? EventFlags.FAILED : 0, 0, taskId, 0, 0,
                    0);
        } finally {
            r.busy--;
        }
    }

    /** A worker goes to its pool's queue for work ({@code getTask}, {@code awaitWork}). */
    public static ThreadRecorder idleBegin(Object pool) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || pool == null) {
            return null;
        }
        poolEvent(r, EventKind.WORKER_IDLE_BEGIN, pool, 0, 0, 0);
        r.busy++;
        return r;
    }

    public static void idleEnd(ThreadRecorder r, Object pool) {
        if (r == null) {
            return;
        }
        r.busy--;
        poolEvent(r, EventKind.WORKER_IDLE_END, pool, 0, 0, 0);
    }

    /** {@code shutdown} / {@code shutdownNow}. */
    public static ThreadRecorder shutdown(Object pool, String how) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || pool == null) {
            return null;
        }
        poolEvent(r, EventKind.POOL_SHUTDOWN, pool, 0, Tables.string(how), 0);
        r.busy++;
        return r;
    }

    /** {@code awaitTermination(timeout, unit)}. */
    public static ThreadRecorder awaitBegin(Object pool, long timeout, TimeUnit unit) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || pool == null || unit == null) {
            return null;
        }
        poolEvent(r, EventKind.POOL_AWAIT_BEGIN, pool, EventFlags.TIMED, 0, unit.toNanos(timeout));
        r.busy++;
        return r;
    }

    public static void awaitEnd(ThreadRecorder r, Object pool, boolean terminated, Throwable thrown) {
        if (r == null) {
            return;
        }
        r.busy--;
        int flags = EventFlags.TIMED;
        if (thrown instanceof InterruptedException) {
            flags |= EventFlags.INTERRUPTED;
        } else if (thrown == null && !terminated) {
            flags |= EventFlags.TIMED_OUT;
        }
        poolEvent(r, EventKind.POOL_AWAIT_END, pool, flags, 0, 0);
    }

    private static void poolEvent(ThreadRecorder r, EventKind kind, Object pool, int flags, int text, long value) {
        r.busy++;
        try {
            r.event(kind, Clock.precise(), flags, text, r.entry(pool).id, 0, 0, value);
        } finally {
            r.busy--;
        }
    }
}
