package dev.tangle.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Who a wait waited for and who ended it, as links between two points of two lanes: release → acquire for a lock,
 * notify/signal → waiter for a wait, the joined thread's end → joiner, and for channels, latches, semaphores,
 * barriers, exchangers and futures the other thread's operation that ended the wait ({@link TraceModel#wokenBy}):
 * send → receive, receive → send, countDown → await, release → acquire, arrival → barrier, complete → get.
 */
public final class Causality {
    /** What a link means; {@link #WOKE} links are what "go to the thread that unblocked this" follows. */
    public enum Kind { HELD, WOKE }

    /** From ({@code fromThread}, {@code fromTime}) to ({@code toThread}, {@code toTime}). */
    public record Link(Kind kind, long fromThread, long fromTime, long toThread, long toTime, String label) {
    }

    private Causality() {
    }

    public static List<Link> of(TraceModel model, StateInterval s) {
        List<Link> links = new ArrayList<>();
        if (s == null) {
            return links;
        }
        switch (s.reason()) {
            case MONITOR_ENTER, LOCK -> lock(model, s, links);
            case MONITOR_WAIT, CONDITION_AWAIT -> signal(model, s, links);
            case JOIN -> join(model, s, links);
            default -> {
                if (s.reason().isSynchronizerWait()) {
                    synchronizer(model, s, links);
                }
            }
        }
        return links;
    }

    /** The thread whose link woke this wait, if the trace shows one. */
    public static Link waker(TraceModel model, StateInterval s) {
        return of(model, s).stream().filter(l -> l.kind() == Kind.WOKE).findFirst().orElse(null);
    }

    private static void lock(TraceModel model, StateInterval s, List<Link> links) {
        for (Hold h : model.holdsAt(s.resource(), s.start())) {
            if (h.threadId() != s.threadId()) {
                // from when the holder took it to when this thread asked for it
                links.add(new Link(Kind.HELD, h.threadId(), h.start(), s.threadId(), s.start(),
                        "held by " + model.threadName(h.threadId())));
            }
        }
        // the last release by another thread while this one waited
        Hold releasedLast = s.open() ? null
                : model.lastReleaseWithin(s.resource(), s.threadId(), s.start(), s.end()).orElse(null);
        if (releasedLast != null) {
            links.add(new Link(Kind.WOKE, releasedLast.threadId(), releasedLast.end(), s.threadId(), s.end(),
                    "released by " + model.threadName(releasedLast.threadId())));
        }
    }

    private static void signal(TraceModel model, StateInterval s, List<Link> links) {
        Signal sig = model.lastSignal(s.resource()).orElse(null);
        if (sig != null && sig.threadId() != s.threadId() && sig.time() >= s.start() && !s.open()
                && sig.time() <= s.end()) {
            links.add(new Link(Kind.WOKE, sig.threadId(), sig.time(), s.threadId(), s.end(),
                    sig.kind().name().toLowerCase(java.util.Locale.ROOT) + " by " + model.threadName(sig.threadId())));
        }
    }

    private static void synchronizer(TraceModel model, StateInterval s, List<Link> links) {
        Operation op = model.wokenBy(s.threadId(), s.start()).orElse(null);
        if (op == null || s.open()) {
            return;
        }
        long at = Math.max(op.start(), Math.min(op.end(), s.end()));
        links.add(new Link(Kind.WOKE, op.threadId(), at, s.threadId(), s.end(),
                verb(op.kind()) + " by " + model.threadName(op.threadId())
                        + (op.method() == null ? "" : " (" + op.method() + "())")));
    }

    private static String verb(OperationKind kind) {
        return switch (kind) {
            case SEND -> "sent";
            case RECEIVE -> "received";
            case EXCHANGE -> "exchanged";
            case COUNT_DOWN -> "counted down";
            case RELEASE -> "released";
            case BARRIER_AWAIT, ARRIVE -> "arrived";
            case COMPLETE -> "completed";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * What a wait on a channel or synchronizer was, in words: "waiting in take() on
     * SynchronousQueue@1b6d3586 (#7, capacity 0)" (the Resource line has the class's package); null for other
     * states.
     */
    public static String waitText(TraceModel model, StateInterval s) {
        if (s == null || !s.reason().isSynchronizerWait() && s.reason() != BlockReason.WORKER_IDLE) {
            return null;
        }
        String method = model.lastOperationAt(s.threadId(), s.start(), op -> op.method() != null)
                .map(Operation::method).orElse(null);
        String on = "";
        if (s.resource() != 0) {
            Resource r = model.resource(s.resource());
            String note = r.capacityNote();
            on = " on " + r.simpleClassName() + "@" + Integer.toHexString(r.identityHash()) + " (#" + r.id()
                    + (note == null ? "" : ", " + note) + ")";
        }
        return (s.reason() == BlockReason.WORKER_IDLE ? "idle, waiting for a task" : "waiting")
                + (method == null ? "" : " in " + method + "()") + on;
    }

    private static void join(TraceModel model, StateInterval s, List<Link> links) {
        ThreadInfo joined = model.thread(s.resource()).orElse(null);
        if (joined == null) {
            return;
        }
        links.add(new Link(Kind.HELD, joined.id(), s.start(), s.threadId(), s.start(),
                "joins " + model.threadName(joined.id())));
        if (!s.open() && joined.endTime() >= 0 && joined.endTime() <= s.end()) {
            links.add(new Link(Kind.WOKE, joined.id(), joined.endTime(), s.threadId(), s.end(),
                    model.threadName(joined.id()) + " ended"));
        }
    }
}
