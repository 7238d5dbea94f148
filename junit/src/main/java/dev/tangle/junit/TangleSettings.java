package dev.tangle.junit;

import dev.tangle.detect.FindingType;
import dev.tangle.detect.Severity;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The extension's settings for one test class: {@link DetectConcurrencyBugs} attributes first, then JUnit
 * configuration parameters ({@code junit-platform.properties}, system properties), then the defaults.
 *
 * @param failOn              finding types that fail a test
 * @param failOnSeverity      the least severe finding of those types that fails a test (as {@code tangle analyze
 *                            --fail-on-severity}): ERROR, WARNING (default) or NOTE
 * @param leakGraceMillis     how long a test's threads may take to end before they count as leaked
 * @param ignoreThreads       names of threads that never count as leaked
 * @param outputDir           where failing tests' traces and JSON reports go
 * @param deadlockCheckMillis how often a running test is checked for a deadlock (ThreadMXBean)
 * @param hangCheckMillis     how long a test's thread must wait, untimed, before the trace is analysed for a
 *                            hang that the JVM cannot see (queues, latches, futures), and how often after that
 * @param agentJar            the agent jar to attach; empty: the one on the class path
 * @param agentOptions        more agent options for a self-attach ({@code stacks=all,stackDepth=32})
 */
record TangleSettings(Set<FindingType> failOn, Severity failOnSeverity, long leakGraceMillis,
                      List<Pattern> ignoreThreads, Path outputDir, long deadlockCheckMillis, long hangCheckMillis,
                      String agentJar, String agentOptions) {
    static final String FAIL_ON = "tangle.failOn";
    static final String FAIL_ON_SEVERITY = "tangle.failOnSeverity";
    static final String LEAK_GRACE_MILLIS = "tangle.leakGraceMillis";
    static final String IGNORE_THREADS = "tangle.ignoreThreads";
    static final String OUTPUT_DIR = "tangle.outputDir";
    static final String DEADLOCK_CHECK_MILLIS = "tangle.deadlockCheckMillis";
    static final String HANG_CHECK_MILLIS = "tangle.hangCheckMillis";
    static final String AGENT_JAR = "tangle.agentJar";
    static final String AGENT_OPTIONS = "tangle.agentOptions";

    static final Set<FindingType> DEFAULT_FAIL_ON = EnumSet.of(FindingType.DEADLOCK,
            FindingType.COMMUNICATION_DEADLOCK, FindingType.THREAD_LEAK);

    static TangleSettings of(ExtensionContext context) {
        Optional<DetectConcurrencyBugs> a = context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, DetectConcurrencyBugs.class));
        Set<FindingType> failOn = a.filter(x -> x.failOn().length > 0).map(x -> types(String.join(",", x.failOn()),
                "failOn")).orElseGet(() -> context.getConfigurationParameter(FAIL_ON).map(v -> types(v, FAIL_ON))
                .orElse(DEFAULT_FAIL_ON));
        Severity failOnSeverity = a.filter(x -> !x.failOnSeverity().isBlank())
                .map(x -> severity(x.failOnSeverity(), "failOnSeverity"))
                .orElseGet(() -> context.getConfigurationParameter(FAIL_ON_SEVERITY)
                        .map(v -> severity(v, FAIL_ON_SEVERITY)).orElse(Severity.WARNING));
        long grace = a.filter(x -> x.leakGraceMillis() >= 0).map(DetectConcurrencyBugs::leakGraceMillis)
                .orElseGet(() -> millis(context, LEAK_GRACE_MILLIS, 1000));
        List<Pattern> ignore = new ArrayList<>();
        context.getConfigurationParameter(IGNORE_THREADS).ifPresent(v -> ignore.addAll(patterns(
                Arrays.asList(v.split(",")), IGNORE_THREADS)));
        a.ifPresent(x -> ignore.addAll(patterns(Arrays.asList(x.ignoreThreads()), "ignoreThreads")));
        String dir = a.map(DetectConcurrencyBugs::outputDir).filter(d -> !d.isBlank())
                .orElseGet(() -> context.getConfigurationParameter(OUTPUT_DIR).orElse("target/tangle"));
        return new TangleSettings(failOn, failOnSeverity, grace, List.copyOf(ignore), Path.of(dir).toAbsolutePath(),
                Math.max(10, millis(context, DEADLOCK_CHECK_MILLIS, 200)),
                Math.max(100, millis(context, HANG_CHECK_MILLIS, 2000)),
                context.getConfigurationParameter(AGENT_JAR).orElse(""),
                context.getConfigurationParameter(AGENT_OPTIONS).orElse(""));
    }

    /** True when a finding of this type and severity fails the test. */
    boolean fails(FindingType type, Severity severity) {
        return failOn.contains(type) && severity.compareTo(failOnSeverity) <= 0;
    }

    boolean ignored(String threadName) {
        return ignoreThreads.stream().anyMatch(p -> p.matcher(threadName).matches());
    }

    static Set<FindingType> types(String value, String key) {
        Set<FindingType> types = EnumSet.noneOf(FindingType.class);
        for (String part : value.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) {
                continue;
            }
            try {
                types.add(FindingType.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("tangle: " + key + ": unknown finding type '" + part.trim()
                        + "' (one of " + Arrays.stream(FindingType.values()).map(Enum::name)
                        .collect(Collectors.joining(", ")) + ")");
            }
        }
        return types;
    }

    private static List<Pattern> patterns(List<String> regexes, String key) {
        List<Pattern> patterns = new ArrayList<>();
        for (String r : regexes) {
            if (r.isBlank()) {
                continue;
            }
            try {
                patterns.add(Pattern.compile(r.trim()));
            } catch (PatternSyntaxException e) {
                throw new ExtensionConfigurationException("tangle: " + key + ": bad regular expression '" + r.trim()
                        + "': " + e.getDescription());
            }
        }
        return patterns;
    }

    private static long millis(ExtensionContext context, String key, long defaultValue) {
        return context.getConfigurationParameter(key).map(v -> {
            try {
                long n = Long.parseLong(v.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ExtensionConfigurationException("tangle: " + key + " must be a number of milliseconds,"
                        + " not '" + v + "'");
            }
        }).orElse(defaultValue);
    }

    private static Severity severity(String v, String key) {
        try {
            return Severity.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("tangle: " + key + " must be ERROR, WARNING or NOTE, not '" + v
                    + "'");
        }
    }
}
