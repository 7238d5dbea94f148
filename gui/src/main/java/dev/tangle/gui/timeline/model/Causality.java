package dev.tangle.gui.timeline.model;

import dev.tangle.model.Hold;
import dev.tangle.model.Signal;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.TraceModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Who a wait waited for and who ended it, as links between two points of two lanes: release → acquire for a lock,
 * notify/signal → waiter for a wait, the joined thread's end → joiner. New kinds of wait (channels, latches) add a
 * case in {@link #of}.
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
            }
        }
        return links;
    }

    /** The thread whose link woke this wait, if the trace shows one. */
    public static Link waker(TraceModel model, StateInterval s) {
        return of(model, s).stream().filter(l -> l.kind() == Kind.WOKE).findFirst().orElse(null);
    }

    private static void lock(TraceModel model, StateInterval s, List<Link> links) {
        Hold releasedLast = null;
        for (Hold h : model.holds(s.resource())) {
            if (h.threadId() == s.threadId()) {
                continue;
            }
            if (h.contains(s.start())) {
                // from when the holder took it to when this thread asked for it
                links.add(new Link(Kind.HELD, h.threadId(), h.start(), s.threadId(), s.start(),
                        "held by " + model.threadName(h.threadId())));
            }
            if (!s.open() && !h.open() && h.end() >= s.start() && h.end() <= s.end()
                    && (releasedLast == null || h.end() > releasedLast.end())) {
                releasedLast = h;
            }
        }
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
