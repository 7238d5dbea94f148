package dev.tangle.dump;

import java.util.List;

/**
 * One thread dump of one JVM at one moment.
 *
 * @param source        the file it came from (and which dump in it, when it holds several)
 * @param epochMillis   when it was taken (text dumps say it to the second, in the JVM's local time), or -1
 * @param jvm           the JVM as the dump names it, or ""
 * @param threads       the Java threads, in the dump's order (the JVM's internal threads, which have no Java
 *                      thread id, are left out)
 * @param listsOwnableSynchronizers the dump lists each thread's ownable synchronizers ({@code jstack -l},
 *                      {@code Thread.print -l}): then a lock that no thread lists is owned by none
 * @param deadlockReported the JVM's own check found a deadlock ("Found one Java-level deadlock")
 */
public record ThreadDump(String source, long epochMillis, String jvm, List<DumpedThread> threads,
                         boolean listsOwnableSynchronizers, boolean deadlockReported) {
    public ThreadDump {
        threads = List.copyOf(threads);
    }
}
