package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.ExecutorHooks;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.util.concurrent.TimeUnit;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * {@code java.util.concurrent.ForkJoinPool} (also the common pool of parallel streams and
 * {@code CompletableFuture.*Async}):
 * <ul>
 *   <li>the 10-argument constructor every public one delegates to, and the private one of the common pool:
 *   POOL_CREATE;</li>
 *   <li>{@code awaitWork} (private; one argument on JDK 17, two on 25), where a worker with nothing to run waits:
 *   WORKER_IDLE_BEGIN/END, busy inside, so an idle worker is told from one blocked inside a task;</li>
 *   <li>{@code shutdown}, {@code shutdownNow}, {@code awaitTermination}: as for ThreadPoolExecutor.</li>
 * </ul>
 * The virtual-thread scheduler (JDK 21+) is a ForkJoinPool too, but not the program's: neither its creation nor
 * its carrier threads' idling is recorded (virtual threads are recorded as threads of their own).
 * Submissions and task runs are not recorded: their internal paths differ between JDK 17 and 25 and a worker
 * also runs tasks while joining others (a documented blind spot).
 */
final class ForkJoinPoolInstrumentation implements JdkInstrumentation {
    private static final String PREFIX = ForkJoinPoolInstrumentation.class.getName();

    @Override
    public AgentBuilder apply(AgentBuilder builder, ClassLoader loader) {
        JdkInstrumentation.preload("java.util.concurrent.ForkJoinPool");
        // its workers' run() carries ThreadInstrumentation's advice only if the class is loaded by now
        JdkInstrumentation.preload("java.util.concurrent.ForkJoinWorkerThread");
        return builder
                .type(named("java.util.concurrent.ForkJoinPool"))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(isConstructor().and(takesArguments(10)), PREFIX + "$CreateAdvice")
                        .advice(isConstructor().and(takesArguments(byte.class)), PREFIX + "$CreateCommonAdvice")
                        .advice(named("awaitWork"), PREFIX + "$AwaitWorkAdvice")
                        .advice(named("shutdown").and(takesNoArguments()),
                                ThreadPoolExecutorInstrumentation.class.getName() + "$ShutdownAdvice")
                        .advice(named("shutdownNow").and(takesNoArguments()),
                                ThreadPoolExecutorInstrumentation.class.getName() + "$ShutdownNowAdvice")
                        .advice(named("awaitTermination").and(takesArguments(long.class, TimeUnit.class)),
                                ThreadPoolExecutorInstrumentation.class.getName() + "$AwaitTerminationAdvice"));
    }

    static final class CreateAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void onExit(@Advice.This Object pool, @Advice.Argument(0) int parallelism,
                           @Advice.Argument(1) Object factory, @Advice.Argument(5) int maxSize) {
            ExecutorHooks.forkJoinPoolCreated(pool, parallelism, maxSize, factory);
        }
    }

    static final class CreateCommonAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void onExit(@Advice.This Object pool) {
            ExecutorHooks.commonPoolCreated(pool);
        }
    }

    static final class AwaitWorkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Object pool) {
            return ExecutorHooks.forkJoinIdleBegin(pool);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.This Object pool) {
            ExecutorHooks.idleEnd(tangleRecorder, pool);
        }
    }
}
