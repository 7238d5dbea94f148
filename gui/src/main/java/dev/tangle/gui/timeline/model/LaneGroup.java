package dev.tangle.gui.timeline.model;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Threads shown together under one collapsible header: virtual threads, or threads whose names differ only in a
 * trailing number ({@code pool-1-thread-3}, {@code ForkJoinPool-1-worker-2}), as pools name them.
 */
public record LaneGroup(String name, List<LaneData> lanes) {
    private static final Pattern NUMBERED = Pattern.compile("(.*?)[-_#. ]?\\d+");

    public LaneGroup {
        lanes = List.copyOf(lanes);
    }

    /** The group key of a thread: "virtual threads", a name without its trailing number, or the name itself. */
    public static String keyOf(String threadName, boolean virtual) {
        if (virtual) {
            return "virtual threads";
        }
        if (threadName == null) {
            return "";
        }
        Matcher m = NUMBERED.matcher(threadName);
        return m.matches() && !m.group(1).isEmpty() ? m.group(1) : threadName;
    }
}
