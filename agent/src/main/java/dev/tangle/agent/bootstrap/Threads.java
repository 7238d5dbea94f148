package dev.tangle.agent.bootstrap;

/** Facts about threads that differ between JDK 17 and 21+. */
final class Threads {
    private Threads() {
    }

    static boolean isVirtual(Thread t) {
        return t.getClass().getName().equals("java.lang.VirtualThread");
    }

    @SuppressWarnings("deprecation") // threadId() exists only from JDK 19
    static long id(Thread t) {
        return t.getId();
    }
}
