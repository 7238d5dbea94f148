package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.util.WeakHashMap;

/**
 * Called at the start and the ends of the static initialiser of application classes (see
 * {@code ClassInitRecorder}): records CLASS_INIT_BEGIN and CLASS_INIT_END, and keeps which thread is running
 * which class's initialiser, for the stall watcher (a thread waiting for another thread's class initialisation
 * shows as RUNNABLE; only the watcher can tell what it waits for).
 *
 * <p>A class's initialisation is a resource of its own in the trace, not the {@code Class} object (which a
 * {@code synchronized static} method uses as a monitor): a small token per class, defined with the class's
 * name. Class initialisation is rare (once per class), so this keeps a lock and a weak map.
 */
public final class ClassInitHooks {
    private static final Object LOCK = new Object();
    /** Per class: its token. Weak keys: a class that is unloaded is forgotten. */
    private static final WeakHashMap<Class<?>, InitToken> tokens = new WeakHashMap<Class<?>, InitToken>();

    /**
     * The classes whose initialisation the code at a frame's line may trigger (new, static field and static
     * method owners), or null: set by the agent (it reads class files with ASM, which the bootstrap jar has not).
     */
    private static volatile java.util.function.Function<StackTraceElement, Class<?>[]> lineClasses;

    private ClassInitHooks() {
    }

    public static void lineClasses(java.util.function.Function<StackTraceElement, Class<?>[]> f) {
        lineClasses = f;
    }

    static Class<?>[] lineClasses(StackTraceElement frame) {
        java.util.function.Function<StackTraceElement, Class<?>[]> f = lineClasses;
        try {
            return f == null ? null : f.apply(frame);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The trace's stand-in for one class's initialisation; the thread running its initialiser, 0 when none. */
    static final class InitToken {
        final String className;
        long initialiser;

        InitToken(String className) {
            this.className = className;
        }
    }

    static InitToken token(Class<?> c) {
        synchronized (LOCK) {
            InitToken t = tokens.get(c);
            if (t == null) {
                t = new InitToken(c.getName());
                tokens.put(c, t);
            }
            return t;
        }
    }

    /** The id of the thread running {@code c}'s static initialiser, 0 when none. */
    static long initialiser(Class<?> c) {
        synchronized (LOCK) {
            InitToken t = tokens.get(c);
            return t == null ? 0 : t.initialiser;
        }
    }

    /** The trace object of a class's initialisation (defined at first use). */
    static long objectId(Class<?> c) {
        InitToken t = token(c);
        return Tables.object(t, System.identityHashCode(t), t.className, 0, true).id;
    }

    /** The trace id of a class's initialisation, its table entry made with the thread marked busy. */
    private static long tokenId(ThreadRecorder r, InitToken t) {
        r.busy++;
        try {
            return Tables.object(t, System.identityHashCode(t), t.className, 0, true).id;
        } finally {
            r.busy--;
        }
    }

    public static void begin(Class<?> c, int site) {
        try {
            InitToken t = token(c);
            synchronized (LOCK) {
                t.initialiser = Threads.id(Thread.currentThread());
            }
            ThreadRecorder r = ThreadRecorder.current();
            if (r == null) {
                return;
            }
            long id = tokenId(r, t);
            int stack = 0; // once per class: where its initialisation was triggered
            if (Recorder.config().stackMode != AgentConfig.STACKS_NONE) {
                r.busy++;
                try {
                    stack = Stacks.captureAt(Recorder.config().stackDepth, site);
                } finally {
                    r.busy--;
                }
            }
            r.event(EventKind.CLASS_INIT_BEGIN, Clock.precise(), 0, 0, id, site, stack, 0);
        } catch (Throwable e) {
            Recorder.warnOnce("cannot record the initialisation of " + c.getName() + ": " + e);
        }
    }

    public static void end(Class<?> c, boolean failed, int site) {
        try {
            InitToken t = token(c);
            synchronized (LOCK) {
                t.initialiser = 0;
            }
            ThreadRecorder r = ThreadRecorder.current();
            if (r == null) {
                return;
            }
            long id = tokenId(r, t);
            r.event(EventKind.CLASS_INIT_END, Clock.precise(), failed ? EventFlags.FAILED : 0, 0, id, site, 0, 0);
        } catch (Throwable e) {
            Recorder.warnOnce("cannot record the initialisation of " + c.getName() + ": " + e);
        }
    }
}
