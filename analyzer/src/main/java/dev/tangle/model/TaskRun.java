package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * A task handed to a pool and (perhaps) run by one of its workers: the arrow from the submitting thread to the
 * worker. A task object submitted again is a new run; submissions and runs of one task object pair up in order.
 *
 * @param taskId      the task's object id (for {@code submit}, the {@code FutureTask}, which is also the future)
 * @param poolId      the pool's object id, or 0 when unknown
 * @param submitter   the thread that submitted it, or 0 (submitted before recording began, or not recorded)
 * @param submitTime  when, or -1
 * @param worker      the worker that ran it, or 0 while it was still queued at the end
 * @param beginTime   when the worker began it, or -1 (still queued)
 * @param endTime     when it ended, or -1 (queued, or still running at the end)
 * @param failed      it threw
 */
public record TaskRun(long taskId, long poolId, long submitter, long submitTime, Frame submitSite,
                      CallStack submitStack, long worker, long beginTime, long endTime, boolean failed) {
    public boolean queuedAtEnd() {
        return beginTime < 0;
    }

    public boolean runningAtEnd() {
        return beginTime >= 0 && endTime < 0;
    }
}
