package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.ExecutorHooks;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * {@code java.util.concurrent.ThreadPoolExecutor} (so also {@code ScheduledThreadPoolExecutor} and the pools of
 * {@code Executors.new*}):
 * <ul>
 *   <li>the constructor that all others delegate to: POOL_CREATE;</li>
 *   <li>{@code execute(Runnable)}: TASK_SUBMIT in the submitter (a {@code submit()} queues a FutureTask through
 *   it), the thread busy while the pool queues it and perhaps starts a worker;</li>
 *   <li>{@code beforeExecute}/{@code afterExecute}, which {@code runWorker} calls around every task: TASK_BEGIN
 *   and TASK_END in the worker. A subclass may override them without calling super, so every override carries
 *   the same advice; the first to run records (ExecutorHooks tells repeats apart by the running task).</li>
 *   <li>{@code getTask()}, where a worker waits in the queue: WORKER_IDLE_BEGIN/END, busy inside;</li>
 *   <li>{@code processWorkerExit}, a worker leaving the pool: no event, busy inside (the pool's lock, a
 *   replacement worker's start, waking awaitTermination are the pool's business);</li>
 *   <li>{@code shutdown}, {@code shutdownNow}: POOL_SHUTDOWN; {@code awaitTermination}: POOL_AWAIT_BEGIN/END.</li>
 * </ul>
 */
final class ThreadPoolExecutorInstrumentation implements JdkInstrumentation {
    private static final String PREFIX = ThreadPoolExecutorInstrumentation.class.getName();

    @Override
    public AgentBuilder apply(AgentBuilder builder, ClassLoader loader) {
        JdkInstrumentation.preload("java.util.concurrent.ThreadPoolExecutor");
        return builder
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(isConstructor().and(takesArguments(int.class, int.class, long.class, TimeUnit.class,
                                BlockingQueue.class, ThreadFactory.class, RejectedExecutionHandler.class)),
                                PREFIX + "$CreateAdvice")
                        .advice(named("execute").and(takesArguments(Runnable.class)), PREFIX + "$ExecuteAdvice")
                        .advice(named("beforeExecute").and(takesArguments(Thread.class, Runnable.class)),
                                PREFIX + "$BeforeExecuteAdvice")
                        .advice(named("afterExecute").and(takesArguments(Runnable.class, Throwable.class)),
                                PREFIX + "$AfterExecuteAdvice")
                        .advice(named("getTask").and(takesNoArguments()), PREFIX + "$GetTaskAdvice")
                        .advice(named("processWorkerExit").and(takesArguments(2)), PREFIX + "$WorkerExitAdvice")
                        .advice(named("shutdown").and(takesNoArguments()), PREFIX + "$ShutdownAdvice")
                        .advice(named("shutdownNow").and(takesNoArguments()), PREFIX + "$ShutdownNowAdvice")
                        .advice(named("awaitTermination").and(takesArguments(long.class, TimeUnit.class)),
                                PREFIX + "$AwaitTerminationAdvice"))
                // runWorker calls these virtually: an override that skips super would hide the task otherwise
                .type(isSubTypeOf(ThreadPoolExecutor.class).and(not(named("java.util.concurrent.ThreadPoolExecutor"))))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(named("beforeExecute").and(takesArguments(Thread.class, Runnable.class))
                                .and(not(isAbstract())), PREFIX + "$BeforeExecuteAdvice")
                        .advice(named("afterExecute").and(takesArguments(Runnable.class, Throwable.class))
                                .and(not(isAbstract())), PREFIX + "$AfterExecuteAdvice"));
    }

    static final class CreateAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void onExit(@Advice.This Object pool, @Advice.Argument(0) int coreSize,
                           @Advice.Argument(1) int maxSize) {
            ExecutorHooks.poolCreated(pool, coreSize, maxSize);
        }
    }

    static final class ExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Object pool, @Advice.Argument(0) Runnable task) {
            return ExecutorHooks.submitBegin(pool, task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ExecutorHooks.end(tangleRecorder);
        }
    }

    static final class BeforeExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter(@Advice.This Object pool, @Advice.Argument(1) Runnable task) {
            ExecutorHooks.taskBegin(pool, task);
        }
    }

    static final class AfterExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter(@Advice.Argument(0) Runnable task, @Advice.Argument(1) Throwable thrown) {
            ExecutorHooks.taskEnd(task, thrown);
        }
    }

    static final class GetTaskAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Object pool) {
            return ExecutorHooks.idleBegin(pool);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.This Object pool) {
            ExecutorHooks.idleEnd(tangleRecorder, pool);
        }
    }

    static final class WorkerExitAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter() {
            return ExecutorHooks.internalBegin();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ExecutorHooks.end(tangleRecorder);
        }
    }

    static final class ShutdownAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Object pool) {
            return ExecutorHooks.shutdown(pool, "shutdown");
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ExecutorHooks.end(tangleRecorder);
        }
    }

    static final class ShutdownNowAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Object pool) {
            return ExecutorHooks.shutdown(pool, "shutdownNow");
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder) {
            ExecutorHooks.end(tangleRecorder);
        }
    }

    static final class AwaitTerminationAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ThreadRecorder onEnter(@Advice.This Object pool, @Advice.Argument(0) long timeout,
                                      @Advice.Argument(1) TimeUnit unit) {
            return ExecutorHooks.awaitBegin(pool, timeout, unit);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit(@Advice.Enter ThreadRecorder tangleRecorder, @Advice.This Object pool,
                           @Advice.Return boolean terminated, @Advice.Thrown Throwable thrown) {
            ExecutorHooks.awaitEnd(tangleRecorder, pool, terminated, thrown);
        }
    }
}
