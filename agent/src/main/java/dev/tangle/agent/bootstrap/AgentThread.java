package dev.tangle.agent.bootstrap;

/** A thread of the agent itself (writer, clock, shutdown hook). Nothing it does is recorded. */
public final class AgentThread extends Thread {
    public AgentThread(Runnable body, String name) {
        super(null, body, name, 256 * 1024, false);
        setDaemon(true);
    }
}
