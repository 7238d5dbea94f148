package dev.tangle.agent.bootstrap;

/** Facts about threads that differ between JDK 17 and 21+. */
final class Threads {
    private Threads() {
    }

    static boolean isVirtual(Thread t) {
        return t.getClass().getName().equals("java.lang.VirtualThread");
    }

    /**
     * The JVM's own thread that serves the Attach API (jcmd, jstack, loading the agent and detaching it): it runs
     * the agent's install and the command line's queries, never the program.
     */
    static boolean isAttachListener(Thread t) {
        return t.isDaemon() && "Attach Listener".equals(t.getName()) && t.getThreadGroup() != null
                && "system".equals(t.getThreadGroup().getName());
    }

    @SuppressWarnings("deprecation") // threadId() exists only from JDK 19
    static long id(Thread t) {
        return t.getId();
    }
}
