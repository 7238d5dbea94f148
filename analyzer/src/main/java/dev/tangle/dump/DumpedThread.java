package dev.tangle.dump;

import java.util.List;

/**
 * One thread as a dump shows it. A lock is given with the index of the frame that locked or waits for it
 * ({@link Held#frame}), innermost frame 0.
 *
 * @param id         {@code Thread.getId()} (the dump's {@code #N}, or the JSON {@code tid})
 * @param state      null when the dump does not say (JDK 21's JSON dump)
 * @param blockedOn  the monitor it waits to enter (or to re-enter after {@code wait}), or null
 * @param waitingOn  the monitor it waits on in {@code Object.wait}, or null
 * @param parkedOn   the blocker it is parked on ({@code LockSupport.park}), or null
 * @param monitors   the monitors it holds, innermost first; one entry per {@code locked} line (a reentrant hold
 *                   shows several times)
 * @param synchronizers the ownable synchronizers it owns exclusively ({@code ReentrantLock}, a write-locked
 *                   {@code ReentrantReadWriteLock}); empty when the dump does not list them
 */
public record DumpedThread(long id, String name, boolean daemon, boolean virtual, Thread.State state,
                           List<DumpedFrame> frames, LockRef blockedOn, LockRef waitingOn, LockRef parkedOn,
                           List<Held> monitors, List<LockRef> synchronizers) {
    public DumpedThread {
        frames = List.copyOf(frames);
        monitors = List.copyOf(monitors);
        synchronizers = List.copyOf(synchronizers);
    }

    /** A monitor held, and the frame that entered it. */
    public record Held(LockRef lock, int frame) {
    }

    /** The frame of this index, or null. */
    public DumpedFrame frame(int index) {
        return index >= 0 && index < frames.size() ? frames.get(index) : null;
    }

    /** Whether some frame is {@code className.method}. */
    public boolean inMethod(String className, String method) {
        return frameOf(className, method) >= 0;
    }

    /** The index of the innermost frame {@code className.method}, or -1. */
    public int frameOf(String className, String method) {
        for (int i = 0; i < frames.size(); i++) {
            var f = frames.get(i).frame();
            if (f.className().equals(className) && f.methodName().equals(method)) {
                return i;
            }
        }
        return -1;
    }
}
