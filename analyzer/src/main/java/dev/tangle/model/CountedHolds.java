package dev.tangle.model;

import dev.tangle.trace.Frame;

/**
 * Holds of one resource by one thread that the agent counted instead of recording one by one (a
 * {@code LEAF_HOLDS} event, agent option {@code leafHolds=collapse}): each taken without waiting, with nothing
 * recorded inside, and released within one coarse clock tick of {@code time}. They have no intervals of their
 * own, only a count: use them to count acquisitions, never to tell who held the resource when.
 *
 * <p>Counted while the thread already held the resource (the replay had its hold open when the event came), they
 * are {@code reentrant}: taking again a lock one holds takes it from nobody, so they are not acquisitions of the
 * resource (as a recorded reentrant acquisition makes no {@link Hold} of its own).
 *
 * @param time      when the first of them was acquired
 * @param count     how many holds
 * @param site      where they were acquired
 * @param reentrant taken while the thread held the resource already
 */
public record CountedHolds(long resourceId, long threadId, long time, long count, Frame site, boolean reentrant) {
}
