package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

/**
 * {@code LockSupport.park*} and {@code unpark}, from advice woven into LockSupport. Parking inside an operation
 * the agent records as itself (a lock, a condition, a join, a sleep) is not recorded again: the thread is busy.
 */
public final class ParkHooks {
    private ParkHooks() {
    }

    /**
     * @param timeout ns for parkNanos, epoch ms for parkUntil (flag DEADLINE), 0 for park
     */
    public static ThreadRecorder parkBegin(Object blocker, long timeout, int flags) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return null;
        }
        r.busy++;
        long object = blocker == null ? 0 : r.entry(blocker).resource.id;
        // stacks per thread and blocker, like per call site for locks: parking is frequent in pools
        int stack = r.stackFor(blocker == null ? -1 : (int) -object);
        r.event(EventKind.PARK_BEGIN, Clock.precise(), flags, 0, object, 0, stack, timeout);
        return r;
    }

    public static void parkEnd(ThreadRecorder r, Object blocker) {
        if (r == null) {
            return;
        }
        r.busy--;
        long object = blocker == null ? 0 : r.entry(blocker).resource.id;
        r.event(EventKind.PARK_END, Clock.precise(), 0, 0, object, 0, 0, 0);
    }

    public static void unpark(Thread target) {
        if (target == null || target instanceof AgentThread) {
            return;
        }
        ThreadRecorder r = ThreadRecorder.current();
        if (r != null) {
            r.event(EventKind.UNPARK, Clock.coarse(), 0, 0, Threads.id(target), 0, 0, 0);
        }
    }

    public static int timedFlags() {
        return EventFlags.TIMED;
    }

    public static int deadlineFlags() {
        return EventFlags.TIMED | EventFlags.DEADLINE;
    }
}
