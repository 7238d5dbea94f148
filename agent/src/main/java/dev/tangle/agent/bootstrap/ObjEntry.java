package dev.tangle.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * The recorder's handle on one lock-like object: its trace id, without keeping the object alive.
 * {@code resource} is the entry events are recorded against: the object itself, or for a lock view (the read
 * lock of a ReentrantReadWriteLock, a StampedLock view) the lock it is a view of.
 */
final class ObjEntry extends WeakReference<Object> {
    final long id;
    final int hash;
    ObjEntry resource;
    /** Mode flags for a view (READ or WRITE); 0 for exclusive or plain objects. */
    int mode;
    /** For a Condition: the entry of its lock's resource, else null. */
    ObjEntry owner;
    /**
     * Time of the last event recorded on this object. Read and written while the object's lock is held, so
     * events on one object get strictly increasing times across threads even from the coarse clock.
     */
    long lastTime;
    /**
     * Threads waiting for this lock after a failed {@code tryLock} (leaf-hold collapse only): a holder that sees
     * one writes its hold in full instead of counting it. Updated atomically by the waiters.
     */
    volatile int waiters;
    /** For a lock view: 1 when a successful {@code tryLock()} is exactly {@code lock()} (a non-fair
     * {@code ReentrantLock} of that very class), -1 when not, 0 before the first check. */
    byte tryFirst;
    /** Next entry in the global table's bucket. */
    ObjEntry next;

    ObjEntry(Object referent, ReferenceQueue<Object> queue, long id, int hash) {
        super(referent, queue);
        this.id = id;
        this.hash = hash;
        this.resource = this;
    }
}
