package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

import java.util.List;

/**
 * An executor of the program ({@code ThreadPoolExecutor}, {@code ForkJoinPool}...): where it was created, its
 * workers, whether it was shut down.
 *
 * @param creator        the thread that created it, or 0 (created before recording began)
 * @param createTime     when, or -1
 * @param coreSize       its core size, or -1
 * @param maxSize        its maximum size ({@code Integer.MAX_VALUE} when unbounded), or -1
 * @param workers        threads that ran its tasks or waited idle in it, in order of first appearance
 * @param shutdownTime   the first {@code shutdown}/{@code shutdownNow}, or -1
 * @param shutdownThread who called it, or 0
 * @param shutdownHow    {@code shutdown} or {@code shutdownNow}, or null
 * @param submitted      tasks submitted to it while recording
 */
public record Pool(long id, String className, long creator, long createTime, long coreSize, long maxSize,
                   Frame creationSite, CallStack creationStack, List<Long> workers, long shutdownTime,
                   long shutdownThread, String shutdownHow, int submitted) {
    public Pool {
        workers = List.copyOf(workers);
    }

    public boolean shutDown() {
        return shutdownTime >= 0;
    }
}
