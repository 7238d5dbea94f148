package dev.tangle.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;

/** One instrumented JDK type: which type, and which advice goes on which of its methods. */
interface JdkInstrumentation {
    AgentBuilder apply(AgentBuilder builder, ClassLoader adviceLoader);

    /** The advice transformer for advice classes of the agent (found by name, never loaded by the target). */
    static AgentBuilder.Transformer.ForAdvice advice(ClassLoader adviceLoader) {
        return new AgentBuilder.Transformer.ForAdvice().include(adviceLoader);
    }

    /**
     * Loads (without initializing) a JDK type before the advice is installed, so that it is retransformed with
     * the loaded classes. A type first loaded while ByteBuddy is transforming another one is skipped by its
     * circularity guard and never instrumented: on JDK 25 retransforming VirtualThread loads ForkJoinPool.
     */
    static void preload(String typeName) {
        try {
            Class.forName(typeName, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // not in this JDK: nothing to instrument
        }
    }
}
