package dev.tangle.junit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Threads a test left running, judged as Go's goleak does: the live threads that did not exist before the test
 * are looked at again and again, with growing pauses (1 ms doubling up to 100 ms), until none is left or the
 * grace period is over, so that threads on their way out do not count.
 *
 * <p>Never counted: threads alive before the test, daemon threads (they do not keep the JVM alive; Tangle's
 * THREAD_LEAK is about the others), the agent's own threads, the JVM's, the test's own thread, and names the
 * settings ignore.
 */
final class LeakCheck {
    private static final Set<String> JVM_THREADS = Set.of("Reference Handler", "Finalizer", "Signal Dispatcher",
            "Attach Listener", "Common-Cleaner", "Notification Thread", "Service Thread", "DestroyJavaVM",
            "process reaper");
    private static final String AGENT_THREAD_CLASS = "dev.tangle.agent.bootstrap.AgentThread";
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private LeakCheck() {
    }

    static Set<Long> liveThreadIds() {
        Set<Long> ids = new HashSet<>();
        for (long id : MX.getAllThreadIds()) {
            ids.add(id);
        }
        return ids;
    }

    static Set<Long> deadlockedThreadIds() {
        Set<Long> ids = new HashSet<>();
        long[] found = MX.findDeadlockedThreads();
        if (found != null) {
            for (long id : found) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The test's threads still alive after the grace period (empty when they all ended in time). */
    static List<Thread> leaked(TestWindow w, TangleSettings settings) throws InterruptedException {
        long deadline = System.nanoTime() + settings.leakGraceMillis() * 1_000_000L;
        long pause = 1;
        while (true) {
            List<Thread> left = candidates(w, settings);
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (left.isEmpty() || remaining <= 0) {
                return left;
            }
            Thread.sleep(Math.min(pause, remaining));
            pause = Math.min(pause * 2, 100);
        }
    }

    /** Live threads started since the test began that could be leaks: the test's, not daemons, not ignored. */
    static List<Thread> candidates(TestWindow w, TangleSettings settings) {
        List<Thread> result = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.isDaemon() && !w.aliveBefore.contains(t.getId()) && t != w.body
                    && !t.getClass().getName().equals(AGENT_THREAD_CLASS) && !JVM_THREADS.contains(t.getName())
                    && !settings.ignored(t.getName())) {
                result.add(t);
            }
        }
        return result;
    }

    /** Threads started since the test began (daemons too) that are blocked or waiting without a timeout now. */
    static boolean anyStuck(TestWindow w) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            Thread.State s = t.getState();
            if (!w.aliveBefore.contains(t.getId()) && (s == Thread.State.BLOCKED || s == Thread.State.WAITING)
                    && !t.getClass().getName().equals(AGENT_THREAD_CLASS)) {
                return true;
            }
        }
        return false;
    }
}
