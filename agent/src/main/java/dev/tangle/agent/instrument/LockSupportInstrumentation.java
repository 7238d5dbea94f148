package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.ParkHooks;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/** {@code java.util.concurrent.locks.LockSupport}: park in all its forms, and unpark. */
final class LockSupportInstrumentation implements JdkInstrumentation {
    private static final String PREFIX = LockSupportInstrumentation.class.getName();

    @Override
    public AgentBuilder apply(AgentBuilder builder, ClassLoader loader) {
        return builder
                .type(named("java.util.concurrent.locks.LockSupport"))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(named("park").and(takesNoArguments()), PREFIX + "$ParkAdvice")
                        .advice(named("park").and(takesArguments(Object.class)), PREFIX + "$ParkBlockerAdvice")
                        .advice(named("parkNanos").and(takesArguments(long.class)), PREFIX + "$ParkNanosAdvice")
                        .advice(named("parkNanos").and(takesArguments(Object.class, long.class)),
                                PREFIX + "$ParkNanosBlockerAdvice")
                        .advice(named("parkUntil").and(takesArguments(long.class)), PREFIX + "$ParkUntilAdvice")
                        .advice(named("parkUntil").and(takesArguments(Object.class, long.class)),
                                PREFIX + "$ParkUntilBlockerAdvice")
                        .advice(named("unpark").and(takesArguments(Thread.class)), PREFIX + "$UnparkAdvice"));
    }

    static final class ParkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter() {
            return ParkHooks.parkBegin(null, 0L, 0);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ParkHooks.parkEnd(tangleRecorder, null);
        }
    }

    static final class ParkBlockerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.Argument(0) Object blocker) {
            return ParkHooks.parkBegin(blocker, 0L, 0);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.Argument(0) Object blocker) {
            ParkHooks.parkEnd(tangleRecorder, blocker);
        }
    }

    static final class ParkNanosAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.Argument(0) long nanos) {
            return ParkHooks.parkBegin(null, nanos, ParkHooks.timedFlags());
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ParkHooks.parkEnd(tangleRecorder, null);
        }
    }

    static final class ParkNanosBlockerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.Argument(0) Object blocker, @Advice.Argument(1) long nanos) {
            return ParkHooks.parkBegin(blocker, nanos, ParkHooks.timedFlags());
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.Argument(0) Object blocker) {
            ParkHooks.parkEnd(tangleRecorder, blocker);
        }
    }

    static final class ParkUntilAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.Argument(0) long deadline) {
            return ParkHooks.parkBegin(null, deadline, ParkHooks.deadlineFlags());
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ParkHooks.parkEnd(tangleRecorder, null);
        }
    }

    static final class ParkUntilBlockerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.Argument(0) Object blocker, @Advice.Argument(1) long deadline) {
            return ParkHooks.parkBegin(blocker, deadline, ParkHooks.deadlineFlags());
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.Argument(0) Object blocker) {
            ParkHooks.parkEnd(tangleRecorder, blocker);
        }
    }

    static final class UnparkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter(@Advice.Argument(0) Thread thread) {
            ParkHooks.unpark(thread);
        }
    }
}
