package dev.tangle.dump;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text of {@code jstack [-l]} and {@code jcmd PID Thread.print [-l]} (the formats of JDK 17 to 25), and
 * the {@code result} of a JFR {@code jdk.ThreadDump} event, which is the same text. A text may hold several dumps
 * (a log to which dumps were appended): each {@code Full thread dump} line begins one.
 *
 * <p>Only what the dump says is kept: thread id, name, daemon, state, frames, the monitors each frame locked or
 * waits for, the park blocker, and the ownable synchronizers listed with {@code -l}. The JVM's internal threads
 * (no {@code #N}) and the "Found one Java-level deadlock" section (which repeats what the threads say) are skipped.
 */
public final class TextThreadDumpParser {
    static final String FULL_THREAD_DUMP = "Full thread dump";
    private static final Pattern HEADER = Pattern.compile(
            "^\"(.*)\" (?:#(\\d+) )?(?:\\[\\d+\\] )?(daemon )?(?:prio=\\d+ )?os_prio=.*$");
    private static final Pattern VIRTUAL_HEADER = Pattern.compile("^\"(.*)\" #(\\d+) (?:\\[\\d+\\] )?virtual.*$");
    private static final Pattern LOCK = Pattern.compile("<(0x[0-9a-fA-F]+)> \\(a ([^)]+)\\)");
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$");

    private TextThreadDumpParser() {
    }

    /** Whether the text holds a thread dump. */
    public static boolean looksLikeDump(String text) {
        return text.contains(FULL_THREAD_DUMP) && text.contains("java.lang.Thread.State");
    }

    /** Every dump in the text, in order. */
    public static List<ThreadDump> parse(String text, String source) throws ThreadDumpFormatException {
        String[] lines = text.split("\r?\n", -1);
        List<ThreadDump> dumps = new ArrayList<>();
        int count = 0;
        for (String line : lines) {
            if (line.startsWith(FULL_THREAD_DUMP)) {
                count++;
            }
        }
        if (count == 0) {
            throw new ThreadDumpFormatException(source + ": not a thread dump (no \"" + FULL_THREAD_DUMP
                    + "\" line)");
        }
        int index = 0;
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith(FULL_THREAD_DUMP)) {
                continue;
            }
            long epochMillis = -1;
            if (i > 0 && TIMESTAMP.matcher(lines[i - 1].trim()).matches()) {
                try {
                    epochMillis = LocalDateTime.parse(lines[i - 1].trim().replace(' ', 'T'))
                            .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    epochMillis = -1;
                }
            }
            String jvm = lines[i].substring(FULL_THREAD_DUMP.length()).replaceFirst("^ ", "").replaceFirst(":$", "");
            int end = i + 1;
            while (end < lines.length && !lines[end].startsWith(FULL_THREAD_DUMP)) {
                end++;
            }
            index++;
            dumps.add(parseOne(lines, i + 1, end, count == 1 ? source : source + " (dump " + index + " of "
                    + count + ")", epochMillis, jvm));
            i = end - 1;
        }
        return dumps;
    }

    private static ThreadDump parseOne(String[] lines, int from, int to, String source, long epochMillis,
                                       String jvm) {
        List<DumpedThread> threads = new ArrayList<>();
        ThreadText current = null;
        boolean ownable = false;
        boolean deadlock = false;
        for (int i = from; i < to; i++) {
            String line = lines[i];
            if (line.startsWith("\"")) {
                if (current != null) {
                    threads.add(current.build());
                }
                current = ThreadText.of(line);
                continue;
            }
            if (line.startsWith("Found one Java-level deadlock") || line.startsWith("Found a total of")) {
                deadlock = true;
            }
            if (current == null) {
                continue;
            }
            String t = line.trim();
            if (line.isEmpty() && current.inSynchronizers) {
                threads.add(current.build());
                current = null;
            } else if (t.startsWith("java.lang.Thread.State:")) {
                current.state(t.substring("java.lang.Thread.State:".length()).trim());
            } else if (t.startsWith("at ")) {
                current.frames.add(DumpedFrame.parse(t.substring(3)));
            } else if (t.startsWith("Locked ownable synchronizers:")) {
                current.inSynchronizers = true;
                ownable = true;
            } else if (t.startsWith("- ")) {
                current.lockLine(t.substring(2));
            } else if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                threads.add(current.build()); // the end of the thread list: "JNI global refs", a deadlock report
                current = null;
            }
        }
        if (current != null) {
            threads.add(current.build());
        }
        threads.removeIf(t -> t.id() < 0);
        return new ThreadDump(source, epochMillis, jvm, threads, ownable, deadlock);
    }

    /** One thread's lines while they are read. */
    private static final class ThreadText {
        final String name;
        final long id;
        final boolean daemon;
        final boolean virtual;
        Thread.State state;
        final List<DumpedFrame> frames = new ArrayList<>();
        LockRef blockedOn;
        LockRef waitingOn;
        LockRef parkedOn;
        final List<DumpedThread.Held> monitors = new ArrayList<>();
        final List<LockRef> synchronizers = new ArrayList<>();
        boolean inSynchronizers;

        ThreadText(String name, long id, boolean daemon, boolean virtual) {
            this.name = name;
            this.id = id;
            this.daemon = daemon;
            this.virtual = virtual;
        }

        static ThreadText of(String line) {
            Matcher m = HEADER.matcher(line);
            if (m.matches()) {
                return new ThreadText(m.group(1), m.group(2) == null ? -1 : Long.parseLong(m.group(2)),
                        m.group(3) != null, false);
            }
            Matcher v = VIRTUAL_HEADER.matcher(line);
            if (v.matches()) {
                return new ThreadText(v.group(1), Long.parseLong(v.group(2)), true, true);
            }
            return new ThreadText(line, -1, false, false); // a line of a deadlock report: "ab":
        }

        void state(String text) {
            String name = text.split(" ", 2)[0];
            try {
                state = Thread.State.valueOf(name);
            } catch (IllegalArgumentException e) {
                state = null;
            }
        }

        void lockLine(String text) {
            Matcher m = LOCK.matcher(text);
            LockRef lock = m.find() ? new LockRef(m.group(2).trim(), m.group(1)) : null;
            if (inSynchronizers) {
                if (lock != null) {
                    synchronizers.add(lock);
                }
                return;
            }
            if (lock == null) {
                return; // "- None", "- eliminated <owner is scalar replaced>", "- waiting on <no object reference available>"
            }
            int frame = Math.max(0, frames.size() - 1);
            if (text.startsWith("locked ")) {
                monitors.add(new DumpedThread.Held(lock, frame));
            } else if (text.startsWith("waiting to lock ") || text.startsWith("waiting to re-lock ")) {
                blockedOn = lock;
            } else if (text.startsWith("waiting on ")) {
                waitingOn = lock;
            } else if (text.startsWith("parking to wait for ")) {
                parkedOn = lock;
            }
        }

        DumpedThread build() {
            return new DumpedThread(id, name, daemon, virtual, state, frames, blockedOn, waitingOn, parkedOn,
                    monitors, synchronizers);
        }
    }
}
