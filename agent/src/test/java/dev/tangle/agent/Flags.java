package dev.tangle.agent;

import dev.tangle.trace.EventFlags;

import java.util.ArrayList;
import java.util.List;

/** Flag bits as short names, for readable event sequences in assertions. */
final class Flags {
    private Flags() {
    }

    static String names(int flags) {
        List<String> n = new ArrayList<>();
        add(n, flags, EventFlags.READ, "read");
        add(n, flags, EventFlags.WRITE, "write");
        add(n, flags, EventFlags.TRY, "try");
        add(n, flags, EventFlags.TIMED, "timed");
        add(n, flags, EventFlags.TIMED_OUT, "timedOut");
        add(n, flags, EventFlags.INTERRUPTED, "interrupted");
        add(n, flags, EventFlags.FAILED, "failed");
        add(n, flags, EventFlags.DAEMON, "daemon");
        add(n, flags, EventFlags.VIRTUAL, "virtual");
        add(n, flags, EventFlags.PREEXISTING, "preexisting");
        add(n, flags, EventFlags.DEADLINE, "deadline");
        add(n, flags, EventFlags.SNAPSHOT, "snapshot");
        add(n, flags, EventFlags.WATCHED, "watched");
        add(n, flags, EventFlags.NO_REQUEST, "noRequest");
        return String.join(",", n);
    }

    private static void add(List<String> n, int flags, int bit, String name) {
        if ((flags & bit) != 0) {
            n.add(name);
        }
    }
}
