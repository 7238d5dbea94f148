package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

/**
 * One thread of the recorded program.
 *
 * @param parentId      the thread that started it, or 0 (preexisting, or its start was not recorded)
 * @param startTime     when its parent called {@code start()}, or -1
 * @param beginTime     its first event, or -1
 * @param endTime       its last event (THREAD_END), or -1 while it was alive at the end of the trace
 * @param uncaught      the class of the exception that ended it, or null
 * @param startSite     where {@code start()} was called, or null
 * @param creationStack the stack of the {@code start()} call, or null
 * @param lostEvents    events of this thread the agent could not record; its state may then be incomplete
 * @param snapshot      it was found running when the agent attached (its first event is a SNAPSHOT
 *                      THREAD_BEGIN): a thread of the program, not one the JVM made before recording
 */
public record ThreadInfo(long id, String name, boolean daemon, boolean virtual, boolean preexisting,
                         long parentId, long startTime, long beginTime, long endTime, String uncaught,
                         Frame startSite, CallStack creationStack, long lostEvents, boolean snapshot) {
    /** A thread not seen in an attach snapshot. */
    public ThreadInfo(long id, String name, boolean daemon, boolean virtual, boolean preexisting,
                      long parentId, long startTime, long beginTime, long endTime, String uncaught,
                      Frame startSite, CallStack creationStack, long lostEvents) {
        this(id, name, daemon, virtual, preexisting, parentId, startTime, beginTime, endTime, uncaught, startSite,
                creationStack, lostEvents, false);
    }

    public boolean aliveAtEnd() {
        return endTime < 0;
    }

    /** {@code "worker-1" (#23)}. */
    public String label() {
        return "\"" + name + "\" (#" + id + ")";
    }
}
