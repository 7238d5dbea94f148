package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.FutureHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;

/**
 * {@code java.util.concurrent.CompletableFuture}: its completion. Every way of completing one (complete,
 * completeExceptionally, cancel, an async task such as {@code supplyAsync}'s, a dependent stage) ends in one of
 * six package-private methods that compare-and-set the result and return whether this call set it:
 * {@code internalComplete}, {@code completeNull}, {@code completeValue}, {@code completeThrowable} (two forms),
 * {@code completeRelay} (the same on JDK 17 and 25). The time is taken on entry, before any waiter can wake.
 * {@code obtrudeValue/obtrudeException} (which overwrite a result) are not recorded.
 */
final class CompletableFutureInstrumentation implements JdkInstrumentation {
    private static final String PREFIX = CompletableFutureInstrumentation.class.getName();

    @Override
    public AgentBuilder apply(AgentBuilder builder, ClassLoader loader) {
        JdkInstrumentation.preload("java.util.concurrent.CompletableFuture");
        return builder
                .type(named("java.util.concurrent.CompletableFuture"))
                .transform(JdkInstrumentation.advice(loader)
                        .advice(namedOneOf("internalComplete", "completeNull", "completeValue", "completeThrowable",
                                "completeRelay").and(returns(boolean.class)), PREFIX + "$CompleteAdvice"));
    }

    static final class CompleteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long onEnter() {
            return FutureHooks.completing();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void onExit(@Advice.Enter long tangleTime, @Advice.This Object future,
                           @Advice.Return boolean won) {
            FutureHooks.completed(future, won, tangleTime);
        }
    }
}
