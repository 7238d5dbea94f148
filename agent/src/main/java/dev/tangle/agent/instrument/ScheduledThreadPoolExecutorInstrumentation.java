package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.ExecutorHooks;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.util.concurrent.RunnableScheduledFuture;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.util.concurrent.ScheduledThreadPoolExecutor}: it overrides {@code execute} and queues every task
 * (schedule*, submit, execute) through the private {@code delayedExecute} (JDK 17 and 25), never through
 * {@code ThreadPoolExecutor.execute}: TASK_SUBMIT there. Creation, workers and shutdown are ThreadPoolExecutor's.
 * A periodic task is re-queued internally; each run is a TASK_BEGIN/TASK_END of the same task.
 */
final class ScheduledThreadPoolExecutorInstrumentation implements JdkInstrumentation {
    private static final String PREFIX = ScheduledThreadPoolExecutorInstrumentation.class.getName();

    @Override
    public AgentBuilder apply(AgentBuilder builder, ClassLoader loader) {
        JdkInstrumentation.preload("java.util.concurrent.ScheduledThreadPoolExecutor");
        return builder
                .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(named("delayedExecute").and(takesArguments(RunnableScheduledFuture.class)),
                                PREFIX + "$DelayedExecuteAdvice"));
    }

    static final class DelayedExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Object pool, @Advice.Argument(0) Object task) {
            return ExecutorHooks.submitBegin(pool, task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ExecutorHooks.end(tangleRecorder);
        }
    }
}
