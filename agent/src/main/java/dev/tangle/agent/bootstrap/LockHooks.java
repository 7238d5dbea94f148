package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import jdk.internal.vm.annotation.DontInline;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Called from application code instead of the {@code java.util.concurrent.locks} calls it makes (the agent
 * rewrites the call sites), so only the program's own lock operations are recorded, never the JDK's internal
 * use of the same classes, and each event knows its call site without a stack walk.
 */
public final class LockHooks {
    private LockHooks() {
    }

    public static void lock(Lock lock, int site) {
        lock(lock, site, null);
    }

    /**
     * {@code lock()} in a method that keeps its recorder in a local ({@code known}, or null): returns the
     * recorder used, which the call site stores back.
     */
    public static ThreadRecorder lock(Lock lock, int site, ThreadRecorder known) {
        ThreadRecorder r = ThreadRecorder.current(known);
        if (r == null) {
            lock.lock();
            return null;
        }
        lockRecorded(r, lock, site);
        return r;
    }

    private static void lockRecorded(ThreadRecorder r, Lock lock, int site) {
        ObjEntry view = entry(r, lock);
        if (r.collapsesLeaves() && tryFirst(view, lock)) {
            lockTryingFirst(r, (ReentrantLock) lock, view, site);
            return;
        }
        lockInFull(r, lock, view, site);
    }

    /**
     * {@code lock()} recorded as a request, then an acquisition. Kept out of the callers' compiled code, as every
     * path that writes events is: inlined at each call site of {@code lock()}, it made C2 compile the program's
     * methods twice as slowly (see agent.md, "The hot path").
     */
    @DontInline
    private static void lockInFull(ThreadRecorder r, Lock lock, ObjEntry view, int site) {
        request(r, view.resource, site, view.mode, 0);
        r.busy++;
        try {
            lock.lock();
        } finally {
            r.busy--;
        }
        acquired(r, view.resource, site, view.mode, true);
    }

    /**
     * {@code lock()} of a non-fair {@code ReentrantLock}, whose first step is a {@code tryLock()}: taken without
     * waiting, it may be a leaf hold ({@link ThreadRecorder#lockTaken}); otherwise the thread waits as usual,
     * counted among the lock's waiters so that its holder writes its hold in full.
     */
    private static void lockTryingFirst(ThreadRecorder r, ReentrantLock lock, ObjEntry view, int site) {
        // not marked busy: a ReentrantLock's own tryLock() runs nothing the agent records (it never parks)
        if (lock.tryLock()) {
            r.lockTaken(view, site);
            return;
        }
        lockAfterWaiting(r, lock, view.resource, site);
    }

    /** The rest of {@link #lockTryingFirst} when its {@code tryLock()} failed: the thread waits, recorded. */
    @DontInline
    private static void lockAfterWaiting(ThreadRecorder r, ReentrantLock lock, ObjEntry resource, int site) {
        ThreadRecorder.waiting(resource, 1);
        try {
            request(r, resource, site, 0, 0);
            r.busy++;
            try {
                lock.lock();
            } finally {
                r.busy--;
            }
        } finally {
            ThreadRecorder.waiting(resource, -1);
        }
        acquired(r, resource, site, 0, true);
    }

    /** Whether a successful tryLock() is exactly what lock() does first: a non-fair ReentrantLock, not a subclass. */
    private static boolean tryFirst(ObjEntry view, Lock lock) {
        byte t = view.tryFirst;
        if (t == 0) {
            t = lock.getClass() == ReentrantLock.class && !((ReentrantLock) lock).isFair() ? (byte) 1 : (byte) -1;
            view.tryFirst = t;
        }
        return t > 0;
    }

    public static void lockInterruptibly(Lock lock, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            lock.lockInterruptibly();
            return;
        }
        ObjEntry view = entry(r, lock);
        request(r, view.resource, site, view.mode, 0);
        r.busy++;
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            failed(r, view.resource, site, view.mode | EventFlags.INTERRUPTED);
            throw e;
        } finally {
            r.busy--;
        }
        acquired(r, view.resource, site, view.mode, true);
    }

    public static boolean tryLock(Lock lock, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return lock.tryLock();
        }
        ObjEntry view = entry(r, lock);
        boolean ok;
        r.busy++;
        try {
            ok = lock.tryLock();
        } finally {
            r.busy--;
        }
        if (ok) {
            acquired(r, view.resource, site, view.mode | EventFlags.TRY, false);
        } else {
            failed(r, view.resource, site, view.mode | EventFlags.TRY);
        }
        return ok;
    }

    public static boolean tryLock(Lock lock, long time, TimeUnit unit, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return lock.tryLock(time, unit);
        }
        ObjEntry view = entry(r, lock);
        int flags = view.mode | EventFlags.TRY | EventFlags.TIMED;
        request(r, view.resource, site, flags, unit.toNanos(time));
        boolean ok;
        r.busy++;
        try {
            ok = lock.tryLock(time, unit);
        } catch (InterruptedException e) {
            failed(r, view.resource, site, flags | EventFlags.INTERRUPTED);
            throw e;
        } finally {
            r.busy--;
        }
        if (ok) {
            acquired(r, view.resource, site, flags, true);
        } else {
            failed(r, view.resource, site, flags | EventFlags.TIMED_OUT);
        }
        return ok;
    }

    public static void unlock(Lock lock, int site) {
        unlock(lock, site, null);
    }

    /** {@code unlock()} with the method's recorder local, as {@link #lock(Lock, int, ThreadRecorder)}. */
    public static ThreadRecorder unlock(Lock lock, int site, ThreadRecorder known) {
        ThreadRecorder r = ThreadRecorder.current(known);
        if (r == null) {
            lock.unlock();
            return null;
        }
        unlockRecorded(r, lock, site);
        return r;
    }

    private static void unlockRecorded(ThreadRecorder r, Lock lock, int site) {
        if (r.releasedKept(lock, false)) { // the usual case on a server: a kept-back hold ends, nothing to write
            r.busy++;
            try {
                lock.unlock();
            } finally {
                r.busy--;
            }
            return;
        }
        unlockInFull(r, lock, site);
    }

    /** {@code unlock()} of a hold that was not a counted leaf hold: recorded unless surely not held. */
    @DontInline
    private static void unlockInFull(ThreadRecorder r, Lock lock, int site) {
        ObjEntry view = entry(r, lock);
        boolean record = !surelyNotHeld(r, lock, view.resource);
        long time = record ? r.releaseTime(view.resource) : 0; // first: it may write kept-back holds as held
        int holdsBefore = record ? r.unholdLock(view.resource) : 0;
        r.busy++;
        try {
            lock.unlock();
        } finally {
            r.busy--;
        }
        if (record) { // written after the unlock (timed before it): the other threads wait less
            r.lockReleased(view.resource, site, view.mode, time, holdsBefore);
        }
    }

    /** True when unlock will throw because this thread does not hold the lock: then nothing is recorded. */
    private static boolean surelyNotHeld(ThreadRecorder r, Lock lock, ObjEntry resource) {
        if (r.holds(resource)) {
            return false;
        }
        if (lock instanceof ReentrantLock) {
            return !((ReentrantLock) lock).isHeldByCurrentThread();
        }
        if (lock instanceof ReentrantReadWriteLock.WriteLock) {
            return !((ReentrantReadWriteLock.WriteLock) lock).isHeldByCurrentThread();
        }
        return false;
    }

    // ---- StampedLock, called directly (its views are Locks and go through the methods above)

    public static long writeLock(StampedLock lock, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return lock.writeLock();
        }
        ObjEntry e = entry(r, lock);
        request(r, e, site, EventFlags.WRITE, 0);
        long stamp;
        r.busy++;
        try {
            stamp = lock.writeLock();
        } finally {
            r.busy--;
        }
        acquired(r, e, site, EventFlags.WRITE, true);
        return stamp;
    }

    public static long readLock(StampedLock lock, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return lock.readLock();
        }
        ObjEntry e = entry(r, lock);
        request(r, e, site, EventFlags.READ, 0);
        long stamp;
        r.busy++;
        try {
            stamp = lock.readLock();
        } finally {
            r.busy--;
        }
        acquired(r, e, site, EventFlags.READ, true);
        return stamp;
    }

    public static long writeLockInterruptibly(StampedLock lock, int site) throws InterruptedException {
        return stampedInterruptibly(lock, site, EventFlags.WRITE);
    }

    public static long readLockInterruptibly(StampedLock lock, int site) throws InterruptedException {
        return stampedInterruptibly(lock, site, EventFlags.READ);
    }

    private static long stampedInterruptibly(StampedLock lock, int site, int mode) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return mode == EventFlags.WRITE ? lock.writeLockInterruptibly() : lock.readLockInterruptibly();
        }
        ObjEntry e = entry(r, lock);
        request(r, e, site, mode, 0);
        long stamp;
        r.busy++;
        try {
            stamp = mode == EventFlags.WRITE ? lock.writeLockInterruptibly() : lock.readLockInterruptibly();
        } catch (InterruptedException ex) {
            failed(r, e, site, mode | EventFlags.INTERRUPTED);
            throw ex;
        } finally {
            r.busy--;
        }
        acquired(r, e, site, mode, true);
        return stamp;
    }

    public static long tryWriteLock(StampedLock lock, int site) {
        return stampedTry(lock, site, EventFlags.WRITE);
    }

    public static long tryReadLock(StampedLock lock, int site) {
        return stampedTry(lock, site, EventFlags.READ);
    }

    private static long stampedTry(StampedLock lock, int site, int mode) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return mode == EventFlags.WRITE ? lock.tryWriteLock() : lock.tryReadLock();
        }
        ObjEntry e = entry(r, lock);
        long stamp;
        r.busy++;
        try {
            stamp = mode == EventFlags.WRITE ? lock.tryWriteLock() : lock.tryReadLock();
        } finally {
            r.busy--;
        }
        if (stamp != 0) {
            acquired(r, e, site, mode | EventFlags.TRY, false);
        } else {
            failed(r, e, site, mode | EventFlags.TRY);
        }
        return stamp;
    }

    public static long tryWriteLock(StampedLock lock, long time, TimeUnit unit, int site)
            throws InterruptedException {
        return stampedTryTimed(lock, time, unit, site, EventFlags.WRITE);
    }

    public static long tryReadLock(StampedLock lock, long time, TimeUnit unit, int site)
            throws InterruptedException {
        return stampedTryTimed(lock, time, unit, site, EventFlags.READ);
    }

    private static long stampedTryTimed(StampedLock lock, long time, TimeUnit unit, int site, int mode)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return mode == EventFlags.WRITE ? lock.tryWriteLock(time, unit) : lock.tryReadLock(time, unit);
        }
        ObjEntry e = entry(r, lock);
        int flags = mode | EventFlags.TRY | EventFlags.TIMED;
        request(r, e, site, flags, unit.toNanos(time));
        long stamp;
        r.busy++;
        try {
            stamp = mode == EventFlags.WRITE ? lock.tryWriteLock(time, unit) : lock.tryReadLock(time, unit);
        } catch (InterruptedException ex) {
            failed(r, e, site, flags | EventFlags.INTERRUPTED);
            throw ex;
        } finally {
            r.busy--;
        }
        if (stamp != 0) {
            acquired(r, e, site, flags, true);
        } else {
            failed(r, e, site, flags | EventFlags.TIMED_OUT);
        }
        return stamp;
    }

    public static void unlockWrite(StampedLock lock, long stamp, int site) {
        stampedRelease(lock, site, EventFlags.WRITE);
        lock.unlockWrite(stamp);
    }

    public static void unlockRead(StampedLock lock, long stamp, int site) {
        stampedRelease(lock, site, EventFlags.READ);
        lock.unlockRead(stamp);
    }

    public static void unlock(StampedLock lock, long stamp, int site) {
        stampedRelease(lock, site, StampedLock.isWriteLockStamp(stamp) ? EventFlags.WRITE : EventFlags.READ);
        lock.unlock(stamp);
    }

    private static void stampedRelease(StampedLock lock, int site, int mode) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r != null) {
            release(r, entry(r, lock), site, mode);
        }
    }

    // ---- shared steps (recorder calls never re-enter a hook: they only touch the agent's own state)

    private static ObjEntry entry(ThreadRecorder r, Object lock) {
        return r.entry(lock);
    }

    private static void request(ThreadRecorder r, ObjEntry resource, int site, int flags, long timeout) {
        r.lockRequest(resource, site, flags, timeout);
    }

    private static void acquired(ThreadRecorder r, ObjEntry resource, int site, int flags, boolean requested) {
        r.lockAcquired(resource, site, flags, requested);
    }

    private static void failed(ThreadRecorder r, ObjEntry resource, int site, int flags) {
        r.lockTryFailed(resource, site, flags);
    }

    private static void release(ThreadRecorder r, ObjEntry resource, int site, int flags) {
        r.lockRelease(resource, site, flags);
    }
}
