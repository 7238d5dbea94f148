package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;

import java.lang.reflect.Field;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Decides what resource an object's events are recorded against.
 *
 * <p>A {@code ReentrantLock} and both views of a {@code ReentrantReadWriteLock} are recorded against their AQS
 * synchronizer (the {@code sync} field): the read and write lock are one resource, a {@code Condition} names
 * its lock through the same object, and the JVM's own thread dumps show that object too. A StampedLock view is
 * recorded against its StampedLock. Everything else is its own resource. Needs java.util.concurrent.locks opened
 * to the agent ({@link #openedBy}); without that, every object is its own resource.
 */
final class Resources {
    private static Field reentrantSync;
    private static Field readLockSync;
    private static Field writeLockSync;
    private static Field conditionOwner;
    private static Field stampedReadView;
    private static Field stampedWriteView;

    private Resources() {
    }

    /** Called once the agent has opened java.util.concurrent.locks to this module. */
    static void openedBy(String why) {
        Capacities.opened();
        QueueSizes.opened();
        try {
            reentrantSync = accessible(ReentrantLock.class, "sync");
            readLockSync = accessible(ReentrantReadWriteLock.ReadLock.class, "sync");
            writeLockSync = accessible(ReentrantReadWriteLock.WriteLock.class, "sync");
            conditionOwner = accessible(
                    Class.forName("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject"), "this$0");
            stampedReadView = accessible(Class.forName("java.util.concurrent.locks.StampedLock$ReadLockView"),
                    "this$0");
            stampedWriteView = accessible(Class.forName("java.util.concurrent.locks.StampedLock$WriteLockView"),
                    "this$0");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Recorder.warnOnce("cannot see inside java.util.concurrent.locks (" + e
                    + "): read and write locks are recorded as two resources");
        }
    }

    private static Field accessible(Class<?> c, String name) throws ReflectiveOperationException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** The entry for an object seen by a thread for the first time (slow path). */
    static ObjEntry entryFor(Object o, int hash) {
        Class<?> c = o.getClass();
        String name = c.getName();
        try {
            if (c == ReentrantLock.class || (reentrantSync != null && o instanceof ReentrantLock)) {
                return view(o, hash, name, reentrantSync.get(o), name, 0);
            }
            if (o instanceof ReentrantReadWriteLock.ReadLock && readLockSync != null) {
                return view(o, hash, name, readLockSync.get(o), "java.util.concurrent.locks.ReentrantReadWriteLock",
                        EventFlags.READ);
            }
            if (o instanceof ReentrantReadWriteLock.WriteLock && writeLockSync != null) {
                return view(o, hash, name, writeLockSync.get(o), "java.util.concurrent.locks.ReentrantReadWriteLock",
                        EventFlags.WRITE);
            }
            if (stampedReadView != null && name.equals("java.util.concurrent.locks.StampedLock$ReadLockView")) {
                Object lock = stampedReadView.get(o);
                return view(o, hash, name, lock, lock.getClass().getName(), EventFlags.READ);
            }
            if (stampedWriteView != null && name.equals("java.util.concurrent.locks.StampedLock$WriteLockView")) {
                Object lock = stampedWriteView.get(o);
                return view(o, hash, name, lock, lock.getClass().getName(), EventFlags.WRITE);
            }
            if (conditionOwner != null
                    && name.equals("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject")) {
                Object sync = conditionOwner.get(o);
                ObjEntry lock = Tables.object(sync, System.identityHashCode(sync), displayNameOfSync(sync), 0, true);
                ObjEntry e = Tables.object(o, hash, name, lock.id, true);
                e.owner = lock;
                return e;
            }
        } catch (IllegalAccessException | RuntimeException e) {
            Recorder.warnOnce("cannot resolve the lock behind " + name + ": " + e);
        }
        ObjEntry known = Tables.existing(o, hash); // the capacity may call the program's queue: once per object
        return known != null ? known : Tables.object(o, hash, name, 0, Capacities.of(o), true);
    }

    /** An entry for a lock view whose events are recorded against {@code target}. */
    private static ObjEntry view(Object o, int hash, String viewClass, Object target, String targetClass, int mode) {
        ObjEntry resource = Tables.object(target, System.identityHashCode(target), targetClass, 0, true);
        if (o == target) {
            return resource;
        }
        // described in the trace too: the object itself may be used as a monitor (a resource of its own)
        ObjEntry e = Tables.object(o, hash, viewClass, 0, true);
        e.resource = resource;
        e.mode = mode;
        return e;
    }

    /** The public class a synchronizer belongs to, for reports. */
    static String displayNameOfSync(Object sync) {
        String n = sync.getClass().getName();
        int dollar = n.indexOf('$');
        return dollar > 0 ? n.substring(0, dollar) : n;
    }
}
