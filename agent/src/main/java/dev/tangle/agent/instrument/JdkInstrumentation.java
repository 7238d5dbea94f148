package dev.tangle.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;

/** One instrumented JDK type: which type, and which advice goes on which of its methods. */
interface JdkInstrumentation {
    AgentBuilder apply(AgentBuilder builder, ClassLoader adviceLoader);

    /** The advice transformer for advice classes of the agent (found by name, never loaded by the target). */
    static AgentBuilder.Transformer.ForAdvice advice(ClassLoader adviceLoader) {
        return new AgentBuilder.Transformer.ForAdvice().include(adviceLoader);
    }
}
