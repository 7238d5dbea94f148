package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * What one thread dump saw one thread doing ({@code THREAD_SAMPLE}): its state and stack at that moment.
 *
 * @param state its state, or null when the dump does not say (JDK 21's JSON dump)
 * @param top   the innermost frame, or null when the stack was empty
 * @param stack the whole stack, innermost first, or null when empty
 */
public record ThreadSample(long thread, long time, Thread.State state, Frame top, CallStack stack) {
}
