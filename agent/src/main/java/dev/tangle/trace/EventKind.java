package dev.tangle.trace;

/**
 * What an event records. The names appear in {@code tangle dump} and are stable; the codes are the format's
 * and never change meaning. Fields that an event uses besides time, thread and site are listed per kind.
 */
public enum EventKind {
    /** In the parent: object = child thread id, text = child name, flags DAEMON/VIRTUAL, stack = creation stack. */
    THREAD_START(1),
    /** First event of a thread: text = its name; flag PREEXISTING when the thread existed before recording began. */
    THREAD_BEGIN(2),
    /** Last event of a thread: text = class of the uncaught exception that ended it, if any. */
    THREAD_END(3),
    /** object = renamed thread id, text = new name. */
    THREAD_RENAME(4),

    /** A thread is about to enter a {@code synchronized} block or method and may block. */
    MONITOR_REQUEST(10),
    /** value = this thread's hold count after the entry (1 = first entry, more = reentrant). */
    MONITOR_ACQUIRED(11),
    /** value = this thread's hold count before the exit. */
    MONITOR_RELEASE(12),
    /**
     * Releases the monitor entirely; flag TIMED with value = timeout ns (0 for an untimed wait). The hold count
     * released is WAIT_END's value.
     */
    WAIT_BEGIN(13),
    /** The monitor is held again (value = restored hold count); flag INTERRUPTED when it ended by interrupt. */
    WAIT_END(14),
    NOTIFY(15),
    NOTIFY_ALL(16),

    /** Mode flags READ / WRITE (neither: exclusive); flag TIMED with value = timeout ns for a timed tryLock. */
    LOCK_REQUEST(20),
    LOCK_ACQUIRED(21),
    /** A tryLock that returned false (flag TIMED_OUT for the timed form) or was interrupted (INTERRUPTED). */
    LOCK_TRY_FAILED(22),
    LOCK_RELEASE(23),
    /** object = the condition, value = timeout ns when TIMED. The associated lock is released. */
    CONDITION_AWAIT_BEGIN(24),
    /** flags TIMED_OUT / INTERRUPTED; the associated lock is held again. */
    CONDITION_AWAIT_END(25),
    CONDITION_SIGNAL(26),
    CONDITION_SIGNAL_ALL(27),

    /** object = the blocker, if any; value = timeout ns (or deadline ms with flag DEADLINE) when TIMED. */
    PARK_BEGIN(30),
    PARK_END(31),
    /** object = the unparked thread id. */
    UNPARK(32),
    /** object = the joined thread id; value = timeout ns when TIMED. */
    JOIN_BEGIN(33),
    /** flags INTERRUPTED / TIMED_OUT (the joined thread was still alive). */
    JOIN_END(34),
    /** value = requested duration in ns. */
    SLEEP_BEGIN(35),
    SLEEP_END(36),
    /** object = the interrupted thread id. */
    INTERRUPT(37),

    // ---- channels (format version 2). Every operation is a BEGIN/END pair, also the ones that never block
    // (flag TRY: offer(), poll(), add(), remove()...); text = the method called ("put", "offer", "take", "transfer",
    // "putFirst"...). object = the queue (its ObjectInfo.capacity: Integer.MAX_VALUE unbounded, 0 hand-off).

    /** value = timeout ns when TIMED. */
    CHANNEL_SEND_BEGIN(40),
    /**
     * flags TIMED_OUT (a timed offer/tryTransfer that expired), FAILED (refused: offer() on a full queue, add()
     * that threw), INTERRUPTED; value = the queue's size after the call.
     */
    CHANNEL_SEND_END(41),
    /** value = timeout ns when TIMED. */
    CHANNEL_RECV_BEGIN(42),
    /**
     * flags TIMED_OUT (a timed poll that returned null), FAILED (nothing to take: poll() on an empty queue),
     * INTERRUPTED; value = the queue's size after the call.
     */
    CHANNEL_RECV_END(43),
    /** object = the {@code Exchanger}; value = timeout ns when TIMED. */
    EXCHANGE_BEGIN(44),
    /** flags TIMED_OUT / INTERRUPTED. */
    EXCHANGE_END(45),

    // ---- synchronizers (format version 2)

    /** object = the {@code CountDownLatch}; value = the count after the call. */
    LATCH_COUNT_DOWN(50),
    /** value = timeout ns when TIMED. */
    LATCH_AWAIT_BEGIN(51),
    /** flags TIMED_OUT / INTERRUPTED. */
    LATCH_AWAIT_END(52),
    /** object = the {@code Semaphore}; value = permits asked for; flags TRY, TIMED. */
    SEMAPHORE_ACQUIRE_BEGIN(53),
    /** value = permits; flags TRY, TIMED_OUT, FAILED (a tryAcquire that returned false), INTERRUPTED. */
    SEMAPHORE_ACQUIRE_END(54),
    /** value = permits released. */
    SEMAPHORE_RELEASE(55),
    /**
     * object = the {@code CyclicBarrier} or {@code Phaser}; text = the method ("await", "arriveAndAwaitAdvance",
     * "awaitAdvance"...); value = timeout ns when TIMED.
     */
    BARRIER_AWAIT_BEGIN(56),
    /** flags TIMED_OUT, INTERRUPTED, FAILED (broken barrier); value = arrival index or phase number. */
    BARRIER_AWAIT_END(57),
    /** A Phaser arrival that does not wait (arrive, arriveAndDeregister: text); value = the phase. */
    PHASER_ARRIVE(58),
    /** object = the {@code Phaser}; value = parties added by register/bulkRegister. */
    PHASER_REGISTER(59),

    // ---- futures (format version 2). object = the future.

    /** {@code Future.get}, {@code CompletableFuture.join/get}: text = the method; value = timeout ns when TIMED. */
    FUTURE_GET_BEGIN(70),
    /** flags TIMED_OUT, INTERRUPTED, FAILED (completed exceptionally or cancelled). */
    FUTURE_GET_END(71),
    /**
     * The recording thread completed the future: text = how ("complete", "completeExceptionally", "set",
     * "setException", "cancel"); flag FAILED when exceptionally or cancelled.
     */
    FUTURE_COMPLETE(72),

    // ---- executors (format version 2)

    /**
     * object = the pool ({@code ThreadPoolExecutor}, {@code ForkJoinPool}; ObjectInfo.capacity = maximum size);
     * value = core size; stack = where it was created.
     */
    POOL_CREATE(80),
    /** object = the task (the Runnable the pool queues: a FutureTask for submit); value = the pool's object id. */
    TASK_SUBMIT(81),
    /** A pool worker starts running the task: object = the task; value = the pool's object id. */
    TASK_BEGIN(82),
    /** object = the task; flag FAILED when it threw. */
    TASK_END(83),
    /** A pool worker waits in the pool's queue for work (idle, not blocked in a task): object = the pool. */
    WORKER_IDLE_BEGIN(84),
    WORKER_IDLE_END(85),
    /** object = the pool; text = "shutdown" or "shutdownNow". */
    POOL_SHUTDOWN(86),
    /** {@code awaitTermination}: object = the pool; value = timeout ns (TIMED). */
    POOL_AWAIT_BEGIN(87),
    /** flags TIMED_OUT / INTERRUPTED. */
    POOL_AWAIT_END(88),

    /**
     * This thread runs the static initialiser ({@code <clinit>}) of an application class: object = the class
     * (defined with the class's own name). With WATCHED: inferred by the stall watcher, the thread owns the
     * initialisation of the class but is still waiting to initialise its superclass, so its {@code <clinit>}
     * has not begun.
     */
    CLASS_INIT_BEGIN(90),
    /** The static initialiser returned (flag FAILED: it threw): object = the class. */
    CLASS_INIT_END(91),
    /**
     * WATCHED only: the thread waits for another thread to finish initialising the class (object); value = the
     * id of the thread initialising it (0 when unknown). The JVM shows such a thread RUNNABLE.
     */
    CLASS_INIT_WAIT(92),
    /**
     * WATCHED only: the stall watcher (or the final snapshot) looked at this thread; value = its
     * {@code Thread.State} ordinal, text = the state's name. The WATCHED events at the same time that follow say
     * what the JVM said it holds and waits for; all of it stands until this thread's next event.
     */
    THREAD_STATE(93),

    // ---- test windows (dev.tangle.agent.bootstrap.TestMarks, used by the JUnit extension). The thread that
    // records them is the thread that runs the test's callbacks; text = the test's unique id.

    /** A test begins: value = the test's number in this JVM (1, 2, ...). */
    TEST_BEGIN(100),
    /** The test ends (its body and callbacks have returned): value = its number; flag FAILED when it failed. */
    TEST_END(101),

    // ---- imported evidence (issue 13): never written by the agent, made when a thread dump or a JFR recording is
    // read as a trace

    /**
     * A thread dump saw the thread here: stack = its stack in the dump, value = its {@code Thread.State} ordinal
     * (-1 when the dump does not say); flag SNAPSHOT. Several samples of one thread that show it RUNNABLE at the same place say it made no
     * progress between the dumps.
     */
    THREAD_SAMPLE(105),

    /** value = number of events this thread could not record since its previous event (buffer full). */
    LOST_EVENTS(60),
    /**
     * Since version 3. Holds of one lock, at one site, by this thread, each taken without waiting and released
     * within the same clock tick with nothing recorded in between, whose lock-order context (the locks the thread
     * held around it) was already recorded in full since the thread last started a thread or joined one, and
     * which no other thread waited for: counted instead of written as LOCK_REQUEST/ACQUIRED/RELEASE (agent option
     * {@code leafHolds=collapse}, the default). object = the lock; site = where it was acquired; value = number of
     * holds; time = the first hold's acquisition.
     */
    LEAF_HOLDS(61);
    // codes 62-64 are the format's paired records (TraceFormat.pairedCode), read as a BEGIN and its END: no kind

    private static final EventKind[] BY_CODE = new EventKind[128];

    static {
        for (EventKind kind : values()) {
            BY_CODE[kind.code] = kind;
        }
    }

    private final int code;

    EventKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * True when {@link TraceEvent#objectId()} of this kind is a thread id ({@code Thread.getId()}) rather than a
     * trace object id. The two id spaces overlap (both start at 1), so such ids are never looked up as objects.
     */
    public boolean objectIsThread() {
        return switch (this) {
            case THREAD_START, THREAD_RENAME, UNPARK, JOIN_BEGIN, JOIN_END, INTERRUPT -> true;
            default -> false;
        };
    }

    /** The kind with this code, or null if this reader does not know it. */
    public static EventKind ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
