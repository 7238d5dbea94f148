package dev.tangle.dump;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON thread dump of JDK 21+ ({@code jcmd PID Thread.dump_to_file -format=json FILE},
 * {@code HotSpotDiagnosticMXBean.dumpThreads}). JDK 21 writes each thread's id, name and stack only; JDK 25 adds
 * its state, the monitor it is blocked on or waits on, its park blocker and the monitors it owns. Objects are
 * named {@code Class@identityHash}. Ownable synchronizers are not listed (a {@code parkBlocker}'s {@code owner},
 * when a JDK writes it, is taken as that thread's).
 */
public final class JsonThreadDumpParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonThreadDumpParser() {
    }

    /** Whether the text looks like a JSON thread dump (its root object has "threadDump"). */
    public static boolean looksLikeDump(String text) {
        String s = text.stripLeading();
        return s.startsWith("{") && s.contains("\"threadDump\"");
    }

    public static ThreadDump parse(String text, String source) throws ThreadDumpFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ThreadDumpFormatException(source + ": not a JSON thread dump (line "
                    + e.getLocation().getLineNr() + ": " + e.getOriginalMessage() + ")");
        }
        JsonNode dump = root == null ? null : root.get("threadDump");
        if (dump == null || !dump.path("threadContainers").isArray()) {
            throw new ThreadDumpFormatException(source + ": not a JSON thread dump (no threadDump.threadContainers)");
        }
        long epochMillis = time(dump.path("time").asText(null));
        String jvm = dump.path("runtimeVersion").asText("");
        List<DumpedThread> threads = new ArrayList<>();
        Map<Long, List<LockRef>> owned = new HashMap<>();
        for (JsonNode container : dump.path("threadContainers")) {
            for (JsonNode t : container.path("threads")) {
                threads.add(thread(t, owned));
            }
        }
        List<DumpedThread> withOwners = new ArrayList<>(threads.size());
        for (DumpedThread t : threads) {
            List<LockRef> mine = owned.get(t.id());
            withOwners.add(mine == null ? t : new DumpedThread(t.id(), t.name(), t.daemon(), t.virtual(), t.state(),
                    t.frames(), t.blockedOn(), t.waitingOn(), t.parkedOn(), t.monitors(), mine));
        }
        return new ThreadDump(source, epochMillis, jvm.isEmpty() ? "" : "Java " + jvm, withOwners, false, false);
    }

    private static DumpedThread thread(JsonNode t, Map<Long, List<LockRef>> owned) {
        long id = t.path("tid").asLong(-1);
        List<DumpedFrame> frames = new ArrayList<>();
        for (JsonNode f : t.path("stack")) {
            frames.add(DumpedFrame.parse(f.asText()));
        }
        Thread.State state = null;
        if (t.hasNonNull("state")) {
            try {
                state = Thread.State.valueOf(t.get("state").asText());
            } catch (IllegalArgumentException e) {
                state = null;
            }
        }
        List<DumpedThread.Held> monitors = new ArrayList<>();
        for (JsonNode m : t.path("monitorsOwned")) {
            int depth = m.path("depth").asInt(0);
            for (JsonNode lock : m.path("locks")) {
                LockRef ref = ref(lock.asText(null));
                if (ref != null) {
                    monitors.add(new DumpedThread.Held(ref, depth));
                }
            }
        }
        LockRef parked = null;
        JsonNode blocker = t.get("parkBlocker");
        if (blocker != null) {
            parked = ref(blocker.isTextual() ? blocker.asText() : blocker.path("object").asText(null));
            if (parked != null && blocker.hasNonNull("owner")) {
                owned.computeIfAbsent(blocker.get("owner").asLong(), k -> new ArrayList<>()).add(parked);
            }
        }
        return new DumpedThread(id, t.path("name").asText(""), false, t.path("virtual").asBoolean(false), state,
                frames, ref(t.path("blockedOn").asText(null)), ref(t.path("waitingOn").asText(null)), parked,
                monitors, List.of());
    }

    /** {@code java.lang.Object@5a54a889}. */
    private static LockRef ref(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int at = text.lastIndexOf('@');
        return at < 0 ? new LockRef(text, "") : new LockRef(text.substring(0, at), text.substring(at + 1));
    }

    private static long time(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
