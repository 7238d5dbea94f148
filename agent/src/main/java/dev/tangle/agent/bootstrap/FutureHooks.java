package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Futures. Waiting ({@code Future.get}, {@code CompletableFuture.join}) is recorded at the program's call sites:
 * the hook does the call with the thread busy, so the future's own parking is not recorded as PARK_BEGIN.
 *
 * <p>Completion is recorded where it really happens, inside {@code FutureTask} and {@code CompletableFuture}
 * (advice, see {@code FutureTaskInstrumentation}, {@code CompletableFutureInstrumentation}), so a pool worker
 * finishing a task or {@code supplyAsync} completing its future is seen as well as the program's own
 * {@code complete()}. The call-site hooks for complete/completeExceptionally/cancel do NOT make the thread busy:
 * dependent stages run synchronously inside {@code complete()}, and their application code must be recorded.
 * They only lend the advice their call site ({@link ThreadRecorder#completionSite}); for other {@code Future}
 * types, which carry no advice, the hook records the completion itself. Only completions of futures the trace
 * already names are recorded ({@link #known}).
 */
public final class FutureHooks {
    /** FutureTask's states (identical on JDK 17 and 25). */
    private static final int FT_NORMAL = 2;
    private static final int FT_EXCEPTIONAL = 3;

    private FutureHooks() {
    }

    // ---- waiting, from call sites

    public static Object get(Future<?> f, int site) throws InterruptedException, ExecutionException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || f == null) {
            return f.get();
        }
        long id = getBegin(r, f, site, 0, 0, "get");
        int flags = 0;
        r.busy++;
        try {
            return f.get();
        } catch (Throwable t) {
            flags = SyncEvents.failure(t);
            throw t;
        } finally {
            r.busy--;
            getEnd(r, id, site, flags, "get");
        }
    }

    public static Object get(Future<?> f, long timeout, TimeUnit unit, int site)
            throws InterruptedException, ExecutionException, TimeoutException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || f == null || unit == null) {
            return f.get(timeout, unit);
        }
        long id = getBegin(r, f, site, EventFlags.TIMED, unit.toNanos(timeout), "get");
        int flags = EventFlags.TIMED;
        r.busy++;
        try {
            return f.get(timeout, unit);
        } catch (Throwable t) {
            flags |= SyncEvents.failure(t);
            throw t;
        } finally {
            r.busy--;
            getEnd(r, id, site, flags, "get");
        }
    }

    public static Object join(CompletableFuture<?> f, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || f == null) {
            return f.join();
        }
        long id = getBegin(r, f, site, 0, 0, "join");
        int flags = 0;
        r.busy++;
        try {
            return f.join();
        } catch (Throwable t) {
            flags = SyncEvents.failure(t);
            throw t;
        } finally {
            r.busy--;
            getEnd(r, id, site, flags, "join");
        }
    }

    private static long getBegin(ThreadRecorder r, Future<?> f, int site, int flags, long timeout, String method) {
        r.busy++;
        try {
            long id = r.entry(f).id;
            r.event(EventKind.FUTURE_GET_BEGIN, Clock.precise(), flags, text(method), id, site,
                    r.stackFor(site), timeout);
            return id;
        } finally {
            r.busy--;
        }
    }

    private static void getEnd(ThreadRecorder r, long id, int site, int flags, String method) {
        r.busy++;
        try {
            r.event(EventKind.FUTURE_GET_END, Clock.precise(), flags, text(method), id, site, 0, 0);
        } finally {
            r.busy--;
        }
    }

    // ---- completing, from call sites: the advice inside FutureTask/CompletableFuture records it

    public static boolean complete(CompletableFuture<Object> f, Object value, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || f == null) {
            return f.complete(value);
        }
        int outer = r.completionSite;
        r.completionSite = site;
        try {
            return f.complete(value);
        } finally {
            r.completionSite = outer;
        }
    }

    public static boolean completeExceptionally(CompletableFuture<?> f, Throwable ex, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || f == null) {
            return f.completeExceptionally(ex);
        }
        int outer = r.completionSite;
        r.completionSite = site;
        try {
            return f.completeExceptionally(ex);
        } finally {
            r.completionSite = outer;
        }
    }

    public static boolean cancel(Future<?> f, boolean mayInterruptIfRunning, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || f == null) {
            return f.cancel(mayInterruptIfRunning);
        }
        if (f instanceof CompletableFuture || f instanceof FutureTask) {
            int outer = r.completionSite;
            r.completionSite = site;
            try {
                return f.cancel(mayInterruptIfRunning);
            } finally {
                r.completionSite = outer;
            }
        }
        long time = Clock.precise(); // before the call: a waiter woken by it records its end later
        boolean cancelled = f.cancel(mayInterruptIfRunning);
        if (cancelled && (r = ThreadRecorder.current()) != null && known(f)) {
            record(r, f, "cancel", EventFlags.FAILED, time, site);
        }
        return cancelled;
    }

    // ---- completing, from advice inside the JDK classes

    /** Enter of a CompletableFuture completion method: the time, or 0 when this thread records nothing. */
    public static long completing() {
        return ThreadRecorder.current() == null ? 0 : Clock.precise();
    }

    /**
     * Exit of a CompletableFuture completion method (a compare-and-set of the result; {@code won}: this call set
     * it). Recorded with the time taken before the result was set, so before any waiter could wake.
     */
    public static void completed(Object future, boolean won, long time) {
        if (!won || time == 0 || !(future instanceof CompletableFuture)) {
            return;
        }
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return;
        }
        int site = takeSite(r);
        if (!known(future)) {
            return;
        }
        CompletableFuture<?> f = (CompletableFuture<?>) future;
        boolean cancelled;
        boolean failed;
        r.busy++; // a subclass may override these
        try {
            cancelled = f.isCancelled();
            failed = cancelled || f.isCompletedExceptionally();
        } finally {
            r.busy--;
        }
        record(r, f, cancelled ? "cancel" : failed ? "completeExceptionally" : "complete",
                failed ? EventFlags.FAILED : 0, time, site);
    }

    /**
     * Enter of {@code FutureTask.finishCompletion()}: the state is final, the waiters are not woken yet, and only
     * the thread that completed the task (set, setException or cancel) gets here, once.
     */
    public static void futureTaskDone(Object task, int state) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || task == null) {
            return;
        }
        long time = Clock.precise();
        int site = takeSite(r);
        if (!known(task)) {
            return;
        }
        String how = state == FT_NORMAL ? "set" : state == FT_EXCEPTIONAL ? "setException" : "cancel";
        record(r, task, how, state == FT_NORMAL ? 0 : EventFlags.FAILED, time, site);
    }

    /**
     * Whether the trace names the future already (a thread waits or waited for it, a pool queued it). A future
     * completed before any of that was never waited for, so the completion is left out, also when the program
     * completes it itself: in asynchronous code most futures are never waited for, and each would cost an event
     * and an object definition (measured: about 8 us per completion on a loaded 2-core machine, against 60 ns
     * for this lookup). A waiter names the future before it checks whether it is done, so a wait that blocked
     * always sees its completion recorded.
     */
    private static boolean known(Object future) {
        return Tables.find(future, System.identityHashCode(future)) != null;
    }

    private static int takeSite(ThreadRecorder r) {
        int site = r.completionSite;
        r.completionSite = 0; // the program's call completed this future; dependents it completes have no site
        return site;
    }

    private static void record(ThreadRecorder r, Object future, String how, int flags, long time, int site) {
        r.busy++;
        try {
            long id = r.entry(future).id;
            r.event(EventKind.FUTURE_COMPLETE, time, flags, text(how), id, site, 0, 0);
        } finally {
            r.busy--;
        }
    }

    // the few texts of these events, interned once (completions can be frequent; Tables.string takes a lock)
    private static final String[] TEXTS = {"get", "join", "complete", "completeExceptionally", "cancel", "set",
            "setException"};
    private static final int[] TEXT_IDS = new int[TEXTS.length];

    private static int text(String s) {
        for (int i = 0; i < TEXTS.length; i++) {
            if (TEXTS[i] == s) { // callers pass these literals
                int id = TEXT_IDS[i];
                if (id == 0) {
                    id = Tables.string(s);
                    TEXT_IDS[i] = id; // a race only interns the same string twice, same id
                }
                return id;
            }
        }
        return Tables.string(s);
    }
}
