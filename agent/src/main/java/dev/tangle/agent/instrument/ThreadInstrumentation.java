package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.ThreadHooks;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.time.Duration;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * {@code java.lang.Thread}: start (THREAD_START in the parent), run (THREAD_BEGIN, also in every subclass that
 * overrides run), exit and dispatchUncaughtException (THREAD_END with the exception), join, interrupt, setName.
 */
final class ThreadInstrumentation implements JdkInstrumentation {
    private static final String PREFIX = ThreadInstrumentation.class.getName();

    @Override
    public AgentBuilder apply(AgentBuilder builder, ClassLoader loader) {
        return builder
                .type(named("java.lang.Thread"))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(named("start").and(takesNoArguments()), PREFIX + "$StartAdvice")
                        .advice(named("run").and(takesNoArguments()), PREFIX + "$RunAdvice")
                        .advice(named("exit").and(takesNoArguments()), PREFIX + "$ExitAdvice")
                        .advice(named("dispatchUncaughtException").and(takesArguments(Throwable.class)),
                                PREFIX + "$UncaughtAdvice")
                        .advice(named("join").and(takesNoArguments()), PREFIX + "$JoinAdvice")
                        .advice(named("join").and(takesArguments(long.class)), PREFIX + "$JoinMillisAdvice")
                        .advice(named("join").and(takesArguments(long.class, int.class)),
                                PREFIX + "$JoinMillisNanosAdvice")
                        .advice(named("join").and(takesArguments(1)).and(takesArgument(0, Duration.class)),
                                PREFIX + "$JoinDurationAdvice")
                        .advice(named("interrupt").and(takesNoArguments()), PREFIX + "$InterruptAdvice")
                        .advice(named("setName").and(takesArguments(String.class)), PREFIX + "$SetNameAdvice"))
                // a subclass that overrides run() may never call Thread.run()
                .type(isSubTypeOf(Thread.class).and(not(named("java.lang.Thread"))))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(named("run").and(takesNoArguments()).and(not(isAbstract())), PREFIX + "$RunAdvice"));
    }

    static final class StartAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter(@Advice.This Thread thread) {
            ThreadHooks.start(thread);
        }
    }

    static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter() {
            ThreadHooks.run();
        }
    }

    static final class ExitAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter() {
            ThreadHooks.exit();
        }
    }

    static final class UncaughtAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter(@Advice.Argument(0) Throwable thrown) {
            ThreadHooks.uncaught(thrown);
        }
    }

    static final class JoinAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Thread thread) {
            return ThreadHooks.joinBegin(thread, 0L);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.This Thread thread,
                           @Advice.Thrown Throwable thrown) {
            ThreadHooks.joinEnd(tangleRecorder, thread, thrown, 0L);
        }
    }

    static final class JoinMillisAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Thread thread, @Advice.Argument(0) long millis) {
            return ThreadHooks.joinBegin(thread, millis > 0 ? millis * 1_000_000L : 0L);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.This Thread thread,
                           @Advice.Thrown Throwable thrown, @Advice.Argument(0) long millis) {
            ThreadHooks.joinEnd(tangleRecorder, thread, thrown, millis > 0 ? millis * 1_000_000L : 0L);
        }
    }

    static final class JoinMillisNanosAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Thread thread, @Advice.Argument(0) long millis,
                                      @Advice.Argument(1) int nanos) {
            return ThreadHooks.joinBegin(thread, millis * 1_000_000L + nanos);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.This Thread thread,
                           @Advice.Thrown Throwable thrown, @Advice.Argument(0) long millis,
                           @Advice.Argument(1) int nanos) {
            ThreadHooks.joinEnd(tangleRecorder, thread, thrown, millis * 1_000_000L + nanos);
        }
    }

    static final class JoinDurationAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Thread thread, @Advice.Argument(0) Duration duration) {
            return ThreadHooks.joinBegin(thread, duration == null ? 0L : Math.max(1L, duration.toNanos()));
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.This Thread thread,
                           @Advice.Thrown Throwable thrown, @Advice.Argument(0) Duration duration) {
            ThreadHooks.joinEnd(tangleRecorder, thread, thrown,
                    duration == null ? 0L : Math.max(1L, duration.toNanos()));
        }
    }

    static final class InterruptAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Thread thread) {
            return ThreadHooks.interruptBegin(thread);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ThreadHooks.interruptEnd(tangleRecorder);
        }
    }

    static final class SetNameAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void onExit(@Advice.This Thread thread, @Advice.Argument(0) String name) {
            ThreadHooks.renamed(thread, name);
        }
    }
}
