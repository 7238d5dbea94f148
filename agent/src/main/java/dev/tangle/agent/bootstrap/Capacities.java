package dev.tangle.agent.bootstrap;

import java.lang.reflect.Field;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;

/**
 * The capacity recorded with an object when it is first seen ({@code ObjectInfo.capacity}): a queue's capacity
 * (Integer.MAX_VALUE when unbounded, 0 for a SynchronousQueue), a latch's count, a CyclicBarrier's parties, a
 * Phaser's registered parties, a Semaphore's available permits; -1 for anything else. The JDK's bounded queues
 * are read from their fields (exact, no lock); other queues as remainingCapacity() + size(), which a concurrent
 * send or receive between the two calls can skew.
 */
final class Capacities {
    private static Field arrayItems;
    private static Field linkedCapacity;
    private static Field dequeCapacity;

    private Capacities() {
    }

    /** Called once the agent has opened java.util.concurrent to this module. */
    static void opened() {
        try {
            arrayItems = accessible(ArrayBlockingQueue.class, "items");
            linkedCapacity = accessible(LinkedBlockingQueue.class, "capacity");
            dequeCapacity = accessible(LinkedBlockingDeque.class, "capacity");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Recorder.warnOnce("cannot see inside java.util.concurrent (" + e
                    + "): queue capacities are read as remainingCapacity() + size()");
        }
    }

    private static Field accessible(Class<?> c, String name) throws ReflectiveOperationException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** Called when the agent first sees an object, inside the recorder (busy). */
    static long of(Object o) {
        try {
            if (o instanceof BlockingQueue) {
                return ofQueue((BlockingQueue<?>) o);
            }
            if (o instanceof CountDownLatch) {
                return ((CountDownLatch) o).getCount();
            }
            if (o instanceof CyclicBarrier) {
                return ((CyclicBarrier) o).getParties();
            }
            if (o instanceof Phaser) {
                return ((Phaser) o).getRegisteredParties();
            }
            if (o instanceof Semaphore) {
                return ((Semaphore) o).availablePermits();
            }
        } catch (IllegalAccessException | RuntimeException e) {
            return -1; // the program's own class failed: capacity unknown
        }
        return -1;
    }

    private static long ofQueue(BlockingQueue<?> q) throws IllegalAccessException {
        Class<?> c = q.getClass();
        if (c == SynchronousQueue.class) {
            return 0;
        }
        if (c == PriorityBlockingQueue.class || c == DelayQueue.class || c == LinkedTransferQueue.class) {
            return Integer.MAX_VALUE;
        }
        if (c == ArrayBlockingQueue.class && arrayItems != null) {
            return ((Object[]) arrayItems.get(q)).length;
        }
        if (c == LinkedBlockingQueue.class && linkedCapacity != null) {
            return linkedCapacity.getInt(q);
        }
        if (c == LinkedBlockingDeque.class && dequeCapacity != null) {
            return dequeCapacity.getInt(q);
        }
        int remaining = q.remainingCapacity();
        if (remaining == Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        return Math.min((long) remaining + q.size(), Integer.MAX_VALUE);
    }
}
