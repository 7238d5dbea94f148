package dev.tangle.junit;

import java.util.Set;

/**
 * One test as the trace sees it: from {@code TEST_BEGIN} (before the test's {@code @BeforeEach} methods) to
 * {@code TEST_END} (after its {@code @AfterEach} methods), in the trace's clock, with what the JVM looked like
 * when it began.
 */
final class TestWindow {
    final String uniqueId;
    final String displayName;
    /** {@code DeadlockTest.twoThreadsDeadlock}: names the test's files. */
    final String fileName;
    final long number;
    /** The thread that runs the test's callbacks (JUnit's thread). */
    final long callbackThread;
    /** Threads alive when the test began: never the test's leaks. */
    final Set<Long> aliveBefore;
    /** Threads the JVM saw deadlocked when the test began: an earlier test's. */
    final Set<Long> deadlockedBefore;
    long begin;
    long end = -1;
    /** The thread that runs the test method (a separate thread, so that a hung test can be failed). */
    volatile Thread body;
    /** The test already failed with Tangle's report (a hang): nothing more to say about it. */
    volatile boolean reported;

    TestWindow(String uniqueId, String displayName, String fileName, long number, long callbackThread,
               Set<Long> aliveBefore, Set<Long> deadlockedBefore) {
        this.uniqueId = uniqueId;
        this.displayName = displayName;
        this.fileName = fileName;
        this.number = number;
        this.callbackThread = callbackThread;
        this.aliveBefore = aliveBefore;
        this.deadlockedBefore = deadlockedBefore;
    }

    /** True when {@code time} lies in the window (an open window extends to the present). */
    boolean contains(long time) {
        return time >= begin && (end < 0 || time <= end);
    }
}
