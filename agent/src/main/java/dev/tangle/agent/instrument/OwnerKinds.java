package dev.tangle.agent.instrument;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether the owner type of a call is a Lock, a Condition or a StampedLock, reading class files through
 * ByteBuddy's {@link TypePool} (never loading classes while one is being transformed).
 */
final class OwnerKinds {
    private static final Map<ClassLoader, TypePool> POOLS = new WeakHashMap<>();
    private static final Map<String, CallSiteTable.Receiver> KNOWN = new ConcurrentHashMap<>();

    static {
        String locks = "java/util/concurrent/locks/";
        for (String s : new String[] {"Lock", "ReentrantLock", "ReentrantReadWriteLock$ReadLock",
                "ReentrantReadWriteLock$WriteLock", "StampedLock$ReadLockView", "StampedLock$WriteLockView"}) {
            KNOWN.put(locks + s, CallSiteTable.Receiver.LOCK);
        }
        for (String s : new String[] {"Condition", "AbstractQueuedSynchronizer$ConditionObject",
                "AbstractQueuedLongSynchronizer$ConditionObject"}) {
            KNOWN.put(locks + s, CallSiteTable.Receiver.CONDITION);
        }
        KNOWN.put(CallSiteTable.STAMPED_LOCK, CallSiteTable.Receiver.STAMPED_LOCK);
        KNOWN.put("java/lang/Thread", CallSiteTable.Receiver.THREAD_STATIC);
        KNOWN.put("java/util/concurrent/TimeUnit", CallSiteTable.Receiver.TIME_UNIT);
        // futures
        for (String s : new String[] {"Future", "FutureTask", "RunnableFuture", "ScheduledFuture",
                "RunnableScheduledFuture", "ForkJoinTask"}) {
            KNOWN.put("java/util/concurrent/" + s, CallSiteTable.Receiver.FUTURE);
        }
        KNOWN.put(CallSiteTable.COMPLETABLE_FUTURE, CallSiteTable.Receiver.COMPLETABLE_FUTURE);
    }

    private OwnerKinds() {
    }

    /** The receiver kind of an owner type, or null if none of interest. */
    static CallSiteTable.Receiver of(String owner, ClassLoader loader) {
        CallSiteTable.Receiver known = KNOWN.get(owner);
        if (known != null) {
            return known;
        }
        if (owner.startsWith("[")) {
            return null;
        }
        try {
            TypePool.Resolution res = pool(loader).describe(owner.replace('/', '.'));
            if (!res.isResolved()) {
                return null;
            }
            var type = res.resolve();
            if (type.isAssignableTo(java.util.concurrent.locks.Lock.class)) {
                return CallSiteTable.Receiver.LOCK;
            }
            if (type.isAssignableTo(java.util.concurrent.locks.Condition.class)) {
                return CallSiteTable.Receiver.CONDITION;
            }
            if (type.isAssignableTo(java.util.concurrent.locks.StampedLock.class)) {
                return CallSiteTable.Receiver.STAMPED_LOCK;
            }
            // futures: CompletableFuture first (it is also a Future)
            if (type.isAssignableTo(java.util.concurrent.CompletableFuture.class)) {
                return CallSiteTable.Receiver.COMPLETABLE_FUTURE;
            }
            if (type.isAssignableTo(java.util.concurrent.Future.class)) {
                return CallSiteTable.Receiver.FUTURE;
            }
        } catch (RuntimeException | LinkageError e) {
            return null; // a type we cannot read is treated as not a lock
        }
        return null;
    }

    private static synchronized TypePool pool(ClassLoader loader) {
        TypePool pool = POOLS.get(loader);
        if (pool == null) {
            pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
            POOLS.put(loader, pool);
        }
        return pool;
    }
}
