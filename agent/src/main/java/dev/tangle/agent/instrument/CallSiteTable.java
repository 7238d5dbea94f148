package dev.tangle.agent.instrument;

import java.util.HashMap;
import java.util.Map;

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
    static final String FUTURE_HOOKS = BOOT + "FutureHooks";

    static final String LOCK = "java/util/concurrent/locks/Lock";
    static final String CONDITION = "java/util/concurrent/locks/Condition";
    static final String STAMPED_LOCK = "java/util/concurrent/locks/StampedLock";
    static final String FUTURE = "java/util/concurrent/Future";
    static final String COMPLETABLE_FUTURE = "java/util/concurrent/CompletableFuture";

    /** What a matched call becomes. {@code receiver} is the hook's first parameter type, or null for statics. */
    record Hook(String owner, String name, String receiver) {
        /** The hook's descriptor: receiver, the original arguments, then the int site id. */
        String descriptor(String originalDescriptor) {
            int close = originalDescriptor.indexOf(')');
            String args = originalDescriptor.substring(1, close);
            String ret = originalDescriptor.substring(close + 1);
            return "(" + (receiver == null ? "" : "L" + receiver + ";") + args + "I)" + ret;
        }
    }

    /** Which kind of receiver a method belongs to; decides how the owner of a call is checked. */
    enum Receiver {
        ANY_OBJECT, LOCK, CONDITION, STAMPED_LOCK, THREAD_STATIC, TIME_UNIT,
        // futures: any Future (FutureTask, ForkJoinTask, ScheduledFuture, the program's), CompletableFuture
        FUTURE, COMPLETABLE_FUTURE
    }

    private record Key(Receiver receiver, String name, String descriptor) {
    }

    private static final Map<Key, Hook> HOOKS = new HashMap<>();

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
        addFutures();
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
        HOOKS.put(new Key(r, name, desc), new Hook(hookOwner, hookName, receiverType));
    }

    private CallSiteTable() {
    }

    /** Candidate hooks for a name and descriptor, by receiver kind; the caller checks the owner's kind. */
    static Hook find(Receiver receiver, String name, String descriptor) {
        return HOOKS.get(new Key(receiver, name, descriptor));
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

    /** Whether any receiver kind has a hook with this name (a cheap first filter). */
    static boolean isCandidateName(String name) {
        switch (name) {
            case "wait", "notify", "notifyAll", "lock", "lockInterruptibly", "tryLock", "unlock", "await",
                    "awaitNanos", "awaitUninterruptibly", "awaitUntil", "signal", "signalAll", "writeLock",
                    "readLock", "writeLockInterruptibly", "readLockInterruptibly", "tryWriteLock", "tryReadLock",
                    "unlockWrite", "unlockRead", "sleep":
                return true;

            default:
                return false;
        }
    }
}
