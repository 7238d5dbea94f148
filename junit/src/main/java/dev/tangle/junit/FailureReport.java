package dev.tangle.junit;

import dev.tangle.detect.Finding;
import dev.tangle.report.TextReport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The failure message of a test: Tangle's findings as {@code tangle analyze} prints them, and where the files are. */
final class FailureReport {
    private FailureReport() {
    }

    static String of(String headline, List<Finding> findings, TraceSnapshot snapshot, List<Path> files,
                     boolean attached) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println(headline);
        out.println();
        for (Finding f : findings) {
            TextReport.writeFinding(out, f);
            out.println();
        }
        if (attached && !snapshot.blindSpots.isEmpty()) {
            out.println("blind spots: the agent was attached while the JVM ran (load it with -javaagent to see"
                    + " everything):");
            snapshot.blindSpots.forEach(b -> out.println("  " + b));
        }
        if (!files.isEmpty()) {
            out.println("trace and report: " + files.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        out.flush();
        return text.toString().stripTrailing();
    }

    /** {@code DEADLOCK, THREAD_LEAK}. */
    static String types(List<Finding> findings) {
        return findings.stream().map(f -> f.type().name()).distinct().collect(Collectors.joining(", "));
    }
}
