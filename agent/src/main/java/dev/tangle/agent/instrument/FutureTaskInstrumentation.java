package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.FutureHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * {@code java.util.concurrent.FutureTask}: its completion. {@code finishCompletion()} (private, JDK 17 and 25) is
 * reached once per task, by the thread that completed it through set, setException or cancel, after the state is
 * final and before any waiter is woken: one advice covers pool workers finishing submitted tasks and the
 * program's own cancel (whose call-site hook lends its site).
 */
final class FutureTaskInstrumentation implements JdkInstrumentation {
    private static final String PREFIX = FutureTaskInstrumentation.class.getName();

    @Override
    public AgentBuilder apply(AgentBuilder builder, ClassLoader loader) {
        JdkInstrumentation.preload("java.util.concurrent.FutureTask");
        return builder
                .type(named("java.util.concurrent.FutureTask"))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(named("finishCompletion").and(takesNoArguments()), PREFIX + "$FinishAdvice"));
    }

    static final class FinishAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter(@Advice.This Object task, @Advice.FieldValue("state") int state) {
            FutureHooks.futureTaskDone(task, state);
        }
    }
}
