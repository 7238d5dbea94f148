package dev.tangle.agent.instrument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether the owner type of a call is a Lock, a Condition, a StampedLock, a channel or a synchronizer,
 * reading class files through ByteBuddy's {@link TypePool} (never loading classes while one is being
 * transformed). JDK types (the same for every loader) are remembered, also when of no interest: names such as
 * {@code put} and {@code add} are called on maps and lists everywhere.
 */
final class OwnerKinds {
    private static final Map<ClassLoader, TypePool> POOLS = new WeakHashMap<>();
    private static final Map<String, CallSiteTable.Receiver> KNOWN = new ConcurrentHashMap<>();
    private static final Set<String> KNOWN_NONE = ConcurrentHashMap.newKeySet();

    /** Checked in this order: a deque or transfer queue is also a BlockingQueue. */
    private static final Map<Class<?>, CallSiteTable.Receiver> SUPERTYPES = new LinkedHashMap<>();

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
        knowChannelsAndSynchronizers();
        knowFutures();
    }

    // ---- channels and synchronizers (issue 3)
    private static void knowChannelsAndSynchronizers() {
        SUPERTYPES.put(java.util.concurrent.BlockingDeque.class, CallSiteTable.Receiver.CHANNEL_DEQUE);
        SUPERTYPES.put(java.util.concurrent.TransferQueue.class, CallSiteTable.Receiver.CHANNEL_TRANSFER);
        SUPERTYPES.put(java.util.concurrent.BlockingQueue.class, CallSiteTable.Receiver.CHANNEL);
        SUPERTYPES.put(java.util.concurrent.Exchanger.class, CallSiteTable.Receiver.EXCHANGER);
        SUPERTYPES.put(java.util.concurrent.CountDownLatch.class, CallSiteTable.Receiver.LATCH);
        SUPERTYPES.put(java.util.concurrent.Semaphore.class, CallSiteTable.Receiver.SEMAPHORE);
        SUPERTYPES.put(java.util.concurrent.CyclicBarrier.class, CallSiteTable.Receiver.CYCLIC_BARRIER);
        SUPERTYPES.put(java.util.concurrent.Phaser.class, CallSiteTable.Receiver.PHASER);
        String juc = "java/util/concurrent/";
        for (String s : new String[] {"BlockingQueue", "ArrayBlockingQueue", "LinkedBlockingQueue",
                "PriorityBlockingQueue", "DelayQueue", "SynchronousQueue"}) {
            KNOWN.put(juc + s, CallSiteTable.Receiver.CHANNEL);
        }
        KNOWN.put(juc + "BlockingDeque", CallSiteTable.Receiver.CHANNEL_DEQUE);
        KNOWN.put(juc + "LinkedBlockingDeque", CallSiteTable.Receiver.CHANNEL_DEQUE);
        KNOWN.put(juc + "TransferQueue", CallSiteTable.Receiver.CHANNEL_TRANSFER);
        KNOWN.put(juc + "LinkedTransferQueue", CallSiteTable.Receiver.CHANNEL_TRANSFER);
        for (Map.Entry<Class<?>, CallSiteTable.Receiver> e : SUPERTYPES.entrySet()) {
            KNOWN.put(e.getKey().getName().replace('.', '/'), e.getValue());
        }
    }

    // ---- futures (issue 3)
    private static void knowFutures() {
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
        if (owner.startsWith("[") || KNOWN_NONE.contains(owner)) {
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
            for (Map.Entry<Class<?>, CallSiteTable.Receiver> e : SUPERTYPES.entrySet()) {
                if (type.isAssignableTo(e.getKey())) {
                    return e.getValue();
                }
            }
        } catch (RuntimeException | LinkageError e) {
            return null; // a type we cannot read is treated as not a lock
        }
        if (owner.startsWith("java/")) {
            KNOWN_NONE.add(owner);
        }
        return null;
    }

    /**
     * Whether {@code owner} or one of its superclasses has a bridge method {@code name} with the descriptor
     * {@code erased}: then a call of {@code name} with a narrower descriptor is the generic method that bridge
     * forwards to (DelayQueue.put(Delayed) for put(Object)), not an unrelated overload.
     */
    static boolean bridges(String owner, String name, String erased, ClassLoader loader) {
        try {
            TypePool.Resolution res = pool(loader).describe(owner.replace('/', '.'));
            if (!res.isResolved()) {
                return false;
            }
            for (TypeDescription type = res.resolve(); type != null;
                    type = type.getSuperClass() == null ? null : type.getSuperClass().asErasure()) {
                for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
                    if (m.isBridge() && m.getInternalName().equals(name) && m.getDescriptor().equals(erased)) {
                        return true;
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
        return false;
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
