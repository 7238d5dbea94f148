package dev.tangle.report;

import dev.tangle.detect.Evidence;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.ResourceRef;
import dev.tangle.detect.Severity;
import dev.tangle.model.TraceSummary;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Findings as text that reads like a compiler error: the severity, type and summary on one line, then the
 * threads, the locks, when, and each piece of evidence with its stack, one frame per line. Findings come in the
 * order given ({@link dev.tangle.detect.Detectors#analyze}: by severity, so notes come last).
 */
public final class TextReport {
    private static final Map<String, String> COFFMAN_NAMES = Map.of("mutualExclusion", "mutual exclusion",
            "holdAndWait", "hold and wait", "noPreemption", "no preemption", "circularWait", "circular wait");

    private static final java.util.Set<String> LOCK_KINDS = java.util.Set.of("MONITOR", "LOCK", "READ_WRITE_LOCK",
            "CONDITION", "PARK_BLOCKER", "OTHER");

    private TextReport() {
    }

    public static void write(PrintWriter out, List<Finding> findings, TraceSummary trace) {
        for (Finding f : findings) {
            writeFinding(out, f);
            out.println();
        }
        out.println(footer(findings, trace));
        out.flush();
    }

    /** One finding's block, as {@link #write} prints each. */
    public static void writeFinding(PrintWriter out, Finding f) {
        out.println(f.severity().name().toLowerCase(Locale.ROOT) + "[" + f.type() + "]: " + f.summary());
        out.println("  id:      " + f.id());
        out.println("  threads: " + f.threads().stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", ")));
        if (!f.resources().isEmpty()) {
            // locks alone keep their line; channels, latches, futures, pools... are objects
            boolean locks = f.resources().stream().allMatch(r -> LOCK_KINDS.contains(r.kind()));
            out.println((locks ? "  locks:   " : "  objects: ") + f.resources().stream().map(ResourceRef::label)
                    .collect(Collectors.joining(", ")));
        }
        out.println("  when:    " + seconds(f.time()) + " after the start of recording");
        for (Evidence e : f.evidence()) {
            out.println("  " + e.what());
            for (String frame : e.stack()) {
                out.println("        at " + frame);
            }
        }
        Object coffman = f.details().get("coffman");
        if (coffman instanceof Map<?, ?> conditions) {
            out.println("  why it can never end by itself (all four Coffman conditions hold):");
            conditions.forEach((name, c) -> out.println("    " + COFFMAN_NAMES.getOrDefault(name.toString(),
                    name.toString()) + ": " + (c instanceof Map<?, ?> m ? m.get("evidence") : c)));
        }
        if (f.details().get("notes") instanceof List<?> notes) {
            notes.forEach(n -> out.println("  note: " + n));
        }
    }

    /**
     * {@code 2 findings (1 DEADLOCK, 1 THREAD_LEAK) in app.trace: 1234 events, 5 threads, 0.812 s}; notes
     * (severity NOTE) are counted apart: {@code no concurrency bugs found; 1 note (1 POTENTIAL_DEADLOCK) in ...}.
     */
    public static String footer(List<Finding> findings, TraceSummary trace) {
        List<Finding> bugs = findings.stream().filter(f -> f.severity() != Severity.NOTE).toList();
        List<Finding> notes = findings.stream().filter(f -> f.severity() == Severity.NOTE).toList();
        String what = bugs.isEmpty() ? "no concurrency bugs found"
                : bugs.size() + (bugs.size() == 1 ? " finding (" : " findings (") + countByType(bugs) + ")";
        if (!notes.isEmpty()) {
            what += "; " + notes.size() + (notes.size() == 1 ? " note (" : " notes (") + countByType(notes) + ")";
        }
        String kind = TraceSummary.TANGLE_TRACE.equals(trace.format()) ? "" : " (" + trace.format() + ")";
        return what + " in " + trace.source() + kind + ": " + trace.events() + " events, " + trace.threads()
                + " threads, " + seconds(trace.endTime());
    }

    private static String countByType(List<Finding> findings) {
        Map<FindingType, Long> counts = new EnumMap<>(FindingType.class);
        findings.forEach(f -> counts.merge(f.type(), 1L, Long::sum));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
