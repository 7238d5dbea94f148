package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.ThreadHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * {@code java.lang.VirtualThread} (JDK 21+; absent on 17, where this matches nothing): it overrides start and
 * interrupt, and runs its task in {@code run(Runnable)}, whose end is the virtual thread's end.
 */
final class VirtualThreadInstrumentation implements JdkInstrumentation {
    private static final String PREFIX = VirtualThreadInstrumentation.class.getName();
    private static final String THREAD = ThreadInstrumentation.class.getName();

    @Override
    public AgentBuilder apply(AgentBuilder builder, ClassLoader loader) {
        return builder
                .type(named("java.lang.VirtualThread"))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(named("start").and(takesNoArguments()), THREAD + "$StartAdvice")
                        .advice(named("run").and(takesArguments(Runnable.class)), PREFIX + "$RunTaskAdvice")
                        .advice(named("interrupt").and(takesNoArguments()), THREAD + "$InterruptAdvice"));
    }

    static final class RunTaskAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onEnter() {
            ThreadHooks.run();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void onExit() {
            ThreadHooks.exit();
        }
    }
}
