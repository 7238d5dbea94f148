package dev.tangle.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;

/** {@code Thread.sleep(Duration)} exists only from JDK 19; this class compiles against JDK 17. */
final class SleepCompat {
    private static final MethodHandle SLEEP_DURATION = find();

    private SleepCompat() {
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "sleep",
                    MethodType.methodType(void.class, Duration.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static void sleep(Duration d) throws InterruptedException {
        if (SLEEP_DURATION == null) {
            throw new NoSuchMethodError("Thread.sleep(Duration)");
        }
        try {
            SLEEP_DURATION.invokeExact(d);
        } catch (InterruptedException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
