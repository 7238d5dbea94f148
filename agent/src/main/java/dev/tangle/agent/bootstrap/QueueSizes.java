package dev.tangle.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * A queue's size after a send or receive, for the END event's value: read without the queue's lock where the
 * JDK keeps it in a field (ArrayBlockingQueue, LinkedBlockingDeque and PriorityBlockingQueue guard an int count
 * with their lock; read here with acquire semantics, it may miss a concurrent change, as a locked size() taken
 * after the call may too), LinkedBlockingQueue's atomic count, 0 for SynchronousQueue, DelayQueue's size()
 * (one more acquisition of its lock); -1 for other queues (see {@link ChannelHooks}).
 *
 * <p>Initialized only after the agent opened java.util.concurrent to this module ({@link Resources#openedBy});
 * without that, the locked size() is used.
 */
final class QueueSizes {
    private static final VarHandle ARRAY_COUNT = handle(ArrayBlockingQueue.class, "count");
    private static final VarHandle DEQUE_COUNT = handle(LinkedBlockingDeque.class, "count");
    private static final VarHandle PRIORITY_SIZE = handle(PriorityBlockingQueue.class, "size");

    private QueueSizes() {
    }

    private static VarHandle handle(Class<?> c, String field) {
        try {
            return MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findVarHandle(c, field, int.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Initializes the handles (called once java.util.concurrent is open to the agent). */
    static void opened() {
        if (ARRAY_COUNT == null || DEQUE_COUNT == null || PRIORITY_SIZE == null) {
            Recorder.warnOnce("cannot read queue sizes without their lock: the sizes after sends and receives"
                    + " of some queues take their lock once more");
        }
    }

    /** Called inside the recorder (busy): the queue's internal lock, if taken, is not recorded. */
    static long after(BlockingQueue<?> q) {
        Class<?> c = q.getClass();
        try {
            if (c == ArrayBlockingQueue.class) {
                return ARRAY_COUNT != null ? (int) ARRAY_COUNT.getAcquire(q) : q.size();
            }
            if (c == LinkedBlockingQueue.class) {
                return q.size();
            }
            if (c == SynchronousQueue.class) {
                return 0;
            }
            if (c == LinkedBlockingDeque.class) {
                return DEQUE_COUNT != null ? (int) DEQUE_COUNT.getAcquire(q) : q.size();
            }
            if (c == PriorityBlockingQueue.class) {
                return PRIORITY_SIZE != null ? (int) PRIORITY_SIZE.getAcquire(q) : q.size();
            }
            if (c == DelayQueue.class) {
                return q.size();
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
