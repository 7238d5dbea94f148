package dev.tangle.agent.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls in application code that the agent replaces by a call to a hook: the hook is a static method that
 * takes the receiver (if any), the call's arguments and the site id, does the original call and records it.
 * One table, so what is instrumented is visible in one place.
 */
final class CallSiteTable {
    static final String BOOT = "dev/tangle/agent/bootstrap/";
    static final String MONITOR_HOOKS = BOOT + "MonitorHooks";
    static final String LOCK_HOOKS = BOOT + "LockHooks";
    static final String CONDITION_HOOKS = BOOT + "ConditionHooks";
    static final String THREAD_HOOKS = BOOT + "ThreadHooks";
    // channels and synchronizers
    static final String CHANNEL_HOOKS = BOOT + "ChannelHooks";
    static final String EXCHANGER_HOOKS = BOOT + "ExchangerHooks";
    static final String LATCH_HOOKS = BOOT + "LatchHooks";
    static final String SEMAPHORE_HOOKS = BOOT + "SemaphoreHooks";
    static final String BARRIER_HOOKS = BOOT + "BarrierHooks";
    static final String FUTURE_HOOKS = BOOT + "FutureHooks";

    static final String LOCK = "java/util/concurrent/locks/Lock";
    static final String CONDITION = "java/util/concurrent/locks/Condition";
    static final String STAMPED_LOCK = "java/util/concurrent/locks/StampedLock";
    static final String FUTURE = "java/util/concurrent/Future";
    static final String COMPLETABLE_FUTURE = "java/util/concurrent/CompletableFuture";

    /**
     * What a matched call becomes. {@code receiver} is the hook's first parameter type, or null for statics;
     * {@code method} is the descriptor of the method as the table lists it (the call's own descriptor, except for
     * a generic method called with its bound's erasure, see {@link #findErased}).
     */
    record Hook(String owner, String name, String receiver, String method) {
        /** The hook's descriptor: receiver, the method's arguments, then the int site id. */
        String descriptor() {
            int close = method.indexOf(')');
            String args = method.substring(1, close);
            String ret = method.substring(close + 1);
            return "(" + (receiver == null ? "" : "L" + receiver + ";") + args + "I)" + ret;
        }

        /**
         * The form of this hook that takes the recorder and returns the one it used (see {@link RecorderLocal}),
         * or null if it has none: {@code LockHooks.lock/unlock(Lock, int)}.
         */
        String withRecorder() {
            if (!LOCK_HOOKS.equals(owner) || !LOCK.equals(receiver) || !takesRecorder(name, method)) {
                return null;
            }
            return "(L" + LOCK + ";IL" + RecorderLocal.TYPE + ";)L" + RecorderLocal.TYPE + ";";
        }

        /** The internal name to cast the hook's result to when the call expects a narrower type, else null. */
        String castFor(String callDescriptor) {
            String wanted = callDescriptor.substring(callDescriptor.indexOf(')') + 1);
            String got = method.substring(method.indexOf(')') + 1);
            if (wanted.equals(got)) {
                return null;
            }
            return wanted.startsWith("L") ? wanted.substring(1, wanted.length() - 1) : wanted;
        }
    }

    /** Which kind of receiver a method belongs to; decides how the owner of a call is checked. */
    enum Receiver {
        ANY_OBJECT, LOCK, CONDITION, STAMPED_LOCK, THREAD_STATIC, TIME_UNIT,
        // channels and synchronizers: a BlockingDeque or TransferQueue also has the BlockingQueue methods
        CHANNEL, CHANNEL_DEQUE, CHANNEL_TRANSFER, EXCHANGER, LATCH, SEMAPHORE, CYCLIC_BARRIER, PHASER,
        // futures: any Future (FutureTask, ForkJoinTask, ScheduledFuture, the program's), CompletableFuture
        FUTURE, COMPLETABLE_FUTURE;

        /** The kind whose methods this kind also has, or null. */
        Receiver parent() {
            return this == CHANNEL_DEQUE || this == CHANNEL_TRANSFER ? CHANNEL : null;
        }

        /** Whether its methods are generic, so a subtype may call them with a narrower erasure (DelayQueue). */
        boolean generic() {
            return this == CHANNEL || this == CHANNEL_DEQUE || this == CHANNEL_TRANSFER || this == EXCHANGER;
        }
    }

    private record Key(Receiver receiver, String name, String descriptor) {
    }

    private record Named(Receiver receiver, String name) {
    }

    private static final Map<Key, Hook> HOOKS = new HashMap<>();
    private static final Map<Named, List<Hook>> BY_NAME = new HashMap<>();
    private static final Set<String> NAMES = new HashSet<>();

    static {
        // Object's final methods: any receiver
        add(Receiver.ANY_OBJECT, "wait", "()V", MONITOR_HOOKS, "waitFor", "java/lang/Object");
        add(Receiver.ANY_OBJECT, "wait", "(J)V", MONITOR_HOOKS, "waitFor", "java/lang/Object");
        add(Receiver.ANY_OBJECT, "wait", "(JI)V", MONITOR_HOOKS, "waitFor", "java/lang/Object");
        add(Receiver.ANY_OBJECT, "notify", "()V", MONITOR_HOOKS, "notify", "java/lang/Object");
        add(Receiver.ANY_OBJECT, "notifyAll", "()V", MONITOR_HOOKS, "notifyAll", "java/lang/Object");
        // Lock and its implementations (ReentrantLock, read/write locks, StampedLock views, the program's own)
        add(Receiver.LOCK, "lock", "()V", LOCK_HOOKS, "lock", LOCK);
        add(Receiver.LOCK, "lockInterruptibly", "()V", LOCK_HOOKS, "lockInterruptibly", LOCK);
        add(Receiver.LOCK, "tryLock", "()Z", LOCK_HOOKS, "tryLock", LOCK);
        add(Receiver.LOCK, "tryLock", "(JLjava/util/concurrent/TimeUnit;)Z", LOCK_HOOKS, "tryLock", LOCK);
        add(Receiver.LOCK, "unlock", "()V", LOCK_HOOKS, "unlock", LOCK);
        // Condition
        add(Receiver.CONDITION, "await", "()V", CONDITION_HOOKS, "await", CONDITION);
        add(Receiver.CONDITION, "await", "(JLjava/util/concurrent/TimeUnit;)Z", CONDITION_HOOKS, "await", CONDITION);
        add(Receiver.CONDITION, "awaitNanos", "(J)J", CONDITION_HOOKS, "awaitNanos", CONDITION);
        add(Receiver.CONDITION, "awaitUninterruptibly", "()V", CONDITION_HOOKS, "awaitUninterruptibly", CONDITION);
        add(Receiver.CONDITION, "awaitUntil", "(Ljava/util/Date;)Z", CONDITION_HOOKS, "awaitUntil", CONDITION);
        add(Receiver.CONDITION, "signal", "()V", CONDITION_HOOKS, "signal", CONDITION);
        add(Receiver.CONDITION, "signalAll", "()V", CONDITION_HOOKS, "signalAll", CONDITION);
        // StampedLock called directly
        for (String m : new String[] {"writeLock", "readLock", "writeLockInterruptibly", "readLockInterruptibly",
                "tryWriteLock", "tryReadLock"}) {
            add(Receiver.STAMPED_LOCK, m, "()J", LOCK_HOOKS, m, STAMPED_LOCK);
        }
        add(Receiver.STAMPED_LOCK, "tryWriteLock", "(JLjava/util/concurrent/TimeUnit;)J", LOCK_HOOKS, "tryWriteLock",
                STAMPED_LOCK);
        add(Receiver.STAMPED_LOCK, "tryReadLock", "(JLjava/util/concurrent/TimeUnit;)J", LOCK_HOOKS, "tryReadLock",
                STAMPED_LOCK);
        add(Receiver.STAMPED_LOCK, "unlockWrite", "(J)V", LOCK_HOOKS, "unlockWrite", STAMPED_LOCK);
        add(Receiver.STAMPED_LOCK, "unlockRead", "(J)V", LOCK_HOOKS, "unlockRead", STAMPED_LOCK);
        add(Receiver.STAMPED_LOCK, "unlock", "(J)V", LOCK_HOOKS, "unlock", STAMPED_LOCK);
        // sleeping (Thread.sleep is native on JDK 17: no advice possible, so call sites)
        add(Receiver.THREAD_STATIC, "sleep", "(J)V", THREAD_HOOKS, "sleep", null);
        add(Receiver.THREAD_STATIC, "sleep", "(JI)V", THREAD_HOOKS, "sleep", null);
        add(Receiver.THREAD_STATIC, "sleep", "(Ljava/time/Duration;)V", THREAD_HOOKS, "sleep", null);
        add(Receiver.TIME_UNIT, "sleep", "(J)V", THREAD_HOOKS, "sleep", "java/util/concurrent/TimeUnit");
        addChannelsAndSynchronizers();
        addFutures();
    }

    // ---- channels and synchronizers (issue 3): BlockingQueue/Deque/TransferQueue, Exchanger, CountDownLatch,
    // Semaphore, CyclicBarrier, Phaser
    private static void addChannelsAndSynchronizers() {
        String juc = "java/util/concurrent/";
        String queue = juc + "BlockingQueue";
        String deque = juc + "BlockingDeque";
        String transfer = juc + "TransferQueue";
        String item = "(Ljava/lang/Object;)";
        String timedItem = "(Ljava/lang/Object;JLjava/util/concurrent/TimeUnit;)";
        String timed = "(JLjava/util/concurrent/TimeUnit;)";
        add(Receiver.CHANNEL, "put", item + "V", CHANNEL_HOOKS, "put", queue);
        add(Receiver.CHANNEL, "offer", item + "Z", CHANNEL_HOOKS, "offer", queue);
        add(Receiver.CHANNEL, "offer", timedItem + "Z", CHANNEL_HOOKS, "offer", queue);
        add(Receiver.CHANNEL, "add", item + "Z", CHANNEL_HOOKS, "add", queue);
        add(Receiver.CHANNEL, "take", "()Ljava/lang/Object;", CHANNEL_HOOKS, "take", queue);
        add(Receiver.CHANNEL, "poll", "()Ljava/lang/Object;", CHANNEL_HOOKS, "poll", queue);
        add(Receiver.CHANNEL, "poll", timed + "Ljava/lang/Object;", CHANNEL_HOOKS, "poll", queue);
        add(Receiver.CHANNEL, "remove", "()Ljava/lang/Object;", CHANNEL_HOOKS, "remove", queue);
        for (String end : new String[] {"First", "Last"}) {
            add(Receiver.CHANNEL_DEQUE, "put" + end, item + "V", CHANNEL_HOOKS, "put" + end, deque);
            add(Receiver.CHANNEL_DEQUE, "offer" + end, item + "Z", CHANNEL_HOOKS, "offer" + end, deque);
            add(Receiver.CHANNEL_DEQUE, "offer" + end, timedItem + "Z", CHANNEL_HOOKS, "offer" + end, deque);
            add(Receiver.CHANNEL_DEQUE, "add" + end, item + "V", CHANNEL_HOOKS, "add" + end, deque);
            add(Receiver.CHANNEL_DEQUE, "take" + end, "()Ljava/lang/Object;", CHANNEL_HOOKS, "take" + end, deque);
            add(Receiver.CHANNEL_DEQUE, "poll" + end, "()Ljava/lang/Object;", CHANNEL_HOOKS, "poll" + end, deque);
            add(Receiver.CHANNEL_DEQUE, "poll" + end, timed + "Ljava/lang/Object;", CHANNEL_HOOKS, "poll" + end,
                    deque);
            add(Receiver.CHANNEL_DEQUE, "remove" + end, "()Ljava/lang/Object;", CHANNEL_HOOKS, "remove" + end,
                    deque);
        }
        add(Receiver.CHANNEL_TRANSFER, "transfer", item + "V", CHANNEL_HOOKS, "transfer", transfer);
        add(Receiver.CHANNEL_TRANSFER, "tryTransfer", item + "Z", CHANNEL_HOOKS, "tryTransfer", transfer);
        add(Receiver.CHANNEL_TRANSFER, "tryTransfer", timedItem + "Z", CHANNEL_HOOKS, "tryTransfer", transfer);

        String exchanger = juc + "Exchanger";
        add(Receiver.EXCHANGER, "exchange", item + "Ljava/lang/Object;", EXCHANGER_HOOKS, "exchange", exchanger);
        add(Receiver.EXCHANGER, "exchange", timedItem + "Ljava/lang/Object;", EXCHANGER_HOOKS, "exchange",
                exchanger);

        String latch = juc + "CountDownLatch";
        add(Receiver.LATCH, "countDown", "()V", LATCH_HOOKS, "countDown", latch);
        add(Receiver.LATCH, "await", "()V", LATCH_HOOKS, "await", latch);
        add(Receiver.LATCH, "await", timed + "Z", LATCH_HOOKS, "await", latch);

        String semaphore = juc + "Semaphore";
        for (String m : new String[] {"acquire", "acquireUninterruptibly", "release"}) {
            add(Receiver.SEMAPHORE, m, "()V", SEMAPHORE_HOOKS, m, semaphore);
            add(Receiver.SEMAPHORE, m, "(I)V", SEMAPHORE_HOOKS, m, semaphore);
        }
        add(Receiver.SEMAPHORE, "tryAcquire", "()Z", SEMAPHORE_HOOKS, "tryAcquire", semaphore);
        add(Receiver.SEMAPHORE, "tryAcquire", "(I)Z", SEMAPHORE_HOOKS, "tryAcquire", semaphore);
        add(Receiver.SEMAPHORE, "tryAcquire", timed + "Z", SEMAPHORE_HOOKS, "tryAcquire", semaphore);
        add(Receiver.SEMAPHORE, "tryAcquire", "(IJLjava/util/concurrent/TimeUnit;)Z", SEMAPHORE_HOOKS, "tryAcquire",
                semaphore);

        String barrier = juc + "CyclicBarrier";
        add(Receiver.CYCLIC_BARRIER, "await", "()I", BARRIER_HOOKS, "await", barrier);
        add(Receiver.CYCLIC_BARRIER, "await", timed + "I", BARRIER_HOOKS, "await", barrier);

        String phaser = juc + "Phaser";
        add(Receiver.PHASER, "arriveAndAwaitAdvance", "()I", BARRIER_HOOKS, "arriveAndAwaitAdvance", phaser);
        add(Receiver.PHASER, "awaitAdvance", "(I)I", BARRIER_HOOKS, "awaitAdvance", phaser);
        add(Receiver.PHASER, "awaitAdvanceInterruptibly", "(I)I", BARRIER_HOOKS, "awaitAdvanceInterruptibly",
                phaser);
        add(Receiver.PHASER, "awaitAdvanceInterruptibly", "(IJLjava/util/concurrent/TimeUnit;)I", BARRIER_HOOKS,
                "awaitAdvanceInterruptibly", phaser);
        add(Receiver.PHASER, "arrive", "()I", BARRIER_HOOKS, "arrive", phaser);
        add(Receiver.PHASER, "arriveAndDeregister", "()I", BARRIER_HOOKS, "arriveAndDeregister", phaser);
        add(Receiver.PHASER, "register", "()I", BARRIER_HOOKS, "register", phaser);
        add(Receiver.PHASER, "bulkRegister", "(I)I", BARRIER_HOOKS, "bulkRegister", phaser);
    }

    /**
     * Futures (issue 3): waiting for one, and completing one from the program. A CompletableFuture is a Future,
     * so the Future methods are listed for both receiver kinds.
     */
    private static void addFutures() {
        for (Receiver r : new Receiver[] {Receiver.FUTURE, Receiver.COMPLETABLE_FUTURE}) {
            add(r, "get", "()Ljava/lang/Object;", FUTURE_HOOKS, "get", FUTURE);
            add(r, "get", "(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;", FUTURE_HOOKS, "get", FUTURE);
            add(r, "cancel", "(Z)Z", FUTURE_HOOKS, "cancel", FUTURE);
        }
        add(Receiver.COMPLETABLE_FUTURE, "join", "()Ljava/lang/Object;", FUTURE_HOOKS, "join", COMPLETABLE_FUTURE);
        add(Receiver.COMPLETABLE_FUTURE, "complete", "(Ljava/lang/Object;)Z", FUTURE_HOOKS, "complete",
                COMPLETABLE_FUTURE);
        add(Receiver.COMPLETABLE_FUTURE, "completeExceptionally", "(Ljava/lang/Throwable;)Z", FUTURE_HOOKS,
                "completeExceptionally", COMPLETABLE_FUTURE);
    }

    private static void add(Receiver r, String name, String desc, String hookOwner, String hookName,
                            String receiverType) {
        Hook hook = new Hook(hookOwner, hookName, receiverType, desc);
        HOOKS.put(new Key(r, name, desc), hook);
        BY_NAME.computeIfAbsent(new Named(r, name), k -> new ArrayList<>()).add(hook);
        if (r != Receiver.FUTURE && r != Receiver.COMPLETABLE_FUTURE) {
            NAMES.add(name); // futures' names are common (get): isCandidate checks their descriptors
        }
    }

    private CallSiteTable() {
    }

    /**
     * The hook for a name and exact descriptor, by receiver kind (or the kind it extends); the caller checks
     * the owner's kind.
     */
    static Hook find(Receiver receiver, String name, String descriptor) {
        for (Receiver r = receiver; r != null; r = r.parent()) {
            Hook hook = HOOKS.get(new Key(r, name, descriptor));
            if (hook != null) {
                return hook;
            }
        }
        return null;
    }

    /**
     * For a generic kind, the hook whose descriptor equals the call's where the table has {@code Object}
     * and the call any reference type (a {@code DelayQueue<E extends Delayed>} is called with {@code Delayed}).
     * The caller must check that the call's method is the generic one (a bridge exists), not an overload.
     */
    static Hook findErased(Receiver receiver, String name, String descriptor) {
        if (!receiver.generic()) {
            return null;
        }
        for (Receiver r = receiver; r != null; r = r.parent()) {
            for (Hook hook : BY_NAME.getOrDefault(new Named(r, name), List.of())) {
                if (erasureOf(descriptor, hook.method())) {
                    return hook;
                }
            }
        }
        return null;
    }

    /** Whether {@code narrow} is {@code generic} with some Object types replaced by other reference types. */
    private static boolean erasureOf(String narrow, String generic) {
        int i = 0;
        int j = 0;
        while (i < narrow.length() && j < generic.length()) {
            char a = narrow.charAt(i);
            char b = generic.charAt(j);
            if (b == 'L' && generic.startsWith("Ljava/lang/Object;", j) && (a == 'L' || a == '[')) {
                i = endOfType(narrow, i);
                j += "Ljava/lang/Object;".length();
                continue;
            }
            int ei = endOfType(narrow, i);
            int ej = endOfType(generic, j);
            if (!narrow.substring(i, ei).equals(generic.substring(j, ej))) {
                return false;
            }
            i = ei;
            j = ej;
        }
        return i == narrow.length() && j == generic.length();
    }

    /** The index after the type (or parenthesis) starting at {@code i}. */
    private static int endOfType(String d, int i) {
        while (d.charAt(i) == '[') {
            i++;
        }
        return d.charAt(i) == 'L' ? d.indexOf(';', i) + 1 : i + 1;
    }

    /**
     * Whether any receiver kind may have a hook for this call (a cheap first filter). Futures' method names are
     * common ({@code get}), so for them the descriptor must match too.
     */
    static boolean isCandidate(String name, String descriptor) {
        return isCandidateName(name) || FUTURE_CALLS.contains(name + descriptor);
    }

    private static final java.util.Set<String> FUTURE_CALLS = java.util.Set.of("get()Ljava/lang/Object;",
            "get(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;", "cancel(Z)Z", "join()Ljava/lang/Object;",
            "complete(Ljava/lang/Object;)Z", "completeExceptionally(Ljava/lang/Throwable;)Z");

    /**
     * Whether a call of this name and descriptor may become a hook that takes the thread's recorder from the
     * method's {@link RecorderLocal}: {@code lock()} and {@code unlock()}, the operations of a hot critical section.
     */
    static boolean takesRecorder(String name, String descriptor) {
        return "()V".equals(descriptor) && ("lock".equals(name) || "unlock".equals(name));
    }

    /** Whether any receiver kind has a hook with this name (a cheap first filter). */
    static boolean isCandidateName(String name) {
        return NAMES.contains(name);
    }
}
