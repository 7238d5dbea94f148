package dev.tangle.junit;

import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.ResourceRef;
import dev.tangle.model.LockOrderEdge;
import dev.tangle.model.TraceModel;
import dev.tangle.report.TextReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lock-order inversions of a test class whose orders came from different tests: one test takes a then b,
 * another b then a. The analyser finds the inversions (POTENTIAL_DEADLOCK; ordered ones, which this run kept
 * apart, as NOTE); this class only attributes each order of an inversion (each edge of the lock-order graph
 * among its locks) to the test window in which it was taken.
 *
 * @param finding the analyser's finding
 * @param orders  each order of the inversion ({@code "Account@1b6d (#8) then Account@4e2a (#9)"}) and the
 *                tests that took it
 */
record CrossTestInversions(Finding finding, Map<String, Set<String>> orders) {

    /** The inversions whose orders were all taken in {@code windows}, by at least two different tests. */
    static List<CrossTestInversions> find(TraceSnapshot snapshot, List<TestWindow> windows) {
        TraceModel model = snapshot.model;
        List<CrossTestInversions> found = new ArrayList<>();
        for (Finding f : snapshot.findings) {
            if (f.type() != FindingType.POTENTIAL_DEADLOCK) {
                continue;
            }
            Set<Long> locks = new LinkedHashSet<>();
            f.resources().forEach(r -> locks.add(r.id()));
            Map<String, Set<String>> orders = new LinkedHashMap<>();
            Set<String> tests = new LinkedHashSet<>();
            boolean allInClass = true;
            for (LockOrderEdge e : model.lockOrderEdges()) {
                if (e.from() == e.to() || !locks.contains(e.from()) || !locks.contains(e.to())) {
                    continue;
                }
                Set<String> takenIn = new LinkedHashSet<>();
                for (TestWindow w : windows) {
                    if (w.contains(e.firstFromTime()) || w.contains(e.lastToTime())) {
                        takenIn.add(w.displayName);
                    }
                }
                if (takenIn.isEmpty()) {
                    allInClass = false;
                    break;
                }
                String order = label(model, e.from()) + " then " + label(model, e.to());
                orders.computeIfAbsent(order, k -> new LinkedHashSet<>()).addAll(takenIn);
                tests.addAll(takenIn);
            }
            if (allInClass && orders.size() >= 2 && tests.size() >= 2 && !oneTestTookAll(orders)) {
                found.add(new CrossTestInversions(f, orders));
            }
        }
        return found;
    }

    /** True when a single test took every order: an inversion inside one test, not across tests. */
    private static boolean oneTestTookAll(Map<String, Set<String>> orders) {
        Set<String> common = null;
        for (Set<String> tests : orders.values()) {
            if (common == null) {
                common = new LinkedHashSet<>(tests);
            } else {
                common.retainAll(tests);
            }
        }
        return common != null && !common.isEmpty();
    }

    private static String label(TraceModel model, long lock) {
        return ResourceRef.of(model.resource(lock)).label();
    }

    /** The report of a class's cross-test inversions, with each finding as {@code tangle analyze} prints it. */
    static String report(String className, List<CrossTestInversions> inversions, boolean failing) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println("Tangle: " + inversions.size() + " lock-order inversion" + (inversions.size() == 1 ? "" : "s")
                + " across the tests of " + className + (failing ? "" : " (reported, not failing: set "
                + TangleSettings.FAIL_ON + "=...,POTENTIAL_DEADLOCK, and " + TangleSettings.FAIL_ON_SEVERITY
                + "=NOTE for ordered ones, to fail on them)") + ":");
        for (CrossTestInversions i : inversions) {
            out.println();
            i.orders.forEach((order, tests) -> out.println("  " + String.join(", ", tests) + " takes " + order));
            out.println("  run at the same time (tests in parallel, or these paths in production), each can take its"
                    + " first lock and wait for ever for the other's.");
            out.println();
            TextReport.writeFinding(out, i.finding);
        }
        out.flush();
        return text.toString().stripTrailing();
    }

    /** Writes the report ({@code NAME.inversions.txt}) into {@code dir}; returns its path, or null. */
    static Path write(Path dir, String name, String report) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".inversions.txt");
            Files.writeString(file, report + System.lineSeparator());
            return file;
        } catch (IOException e) {
            System.err.println("tangle: cannot write the inversion report of " + name + " into " + dir + ": " + e);
            return null;
        }
    }
}
