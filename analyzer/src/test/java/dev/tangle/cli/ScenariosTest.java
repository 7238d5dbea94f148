package dev.tangle.cli;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.model.ModelBuilder;
import dev.tangle.samples.Scenario;
import dev.tangle.samples.Scenarios;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario of the demo catalogue, run by {@code tangle demo} under the real agent in a child JVM, then
 * analysed: each buggy program yields exactly its expected finding type naming the expected threads, and every
 * fixed variant and correct program yields nothing. Each one runs {@value #RUNS} times to show the result is
 * stable; runs go {@value #PARALLEL} at a time (all are started when the factory is called, each test waits
 * for its own) to keep the suite short on a 2-core machine. {@code -Dtangle.scenarios=NAME,NAME} runs only those.
 */
class ScenariosTest {
    private static final int RUNS = 3;
    private static final int PARALLEL = 2;

    @TempDir
    static Path dir;

    private static final ExecutorService RUNNER = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "scenario-runner");
        t.setDaemon(true);
        return t;
    });

    /** Wall time of each run (program, trace and analysis), for the record: printed, never asserted. */
    private static final Map<String, Long> MILLIS = new ConcurrentSkipListMap<>();

    @AfterAll
    static void stopRunner() {
        RUNNER.shutdownNow();
        LongSummaryStatistics all = MILLIS.values().stream().mapToLong(Long::longValue).summaryStatistics();
        System.out.printf("scenario runs: %d, %d ms each on average, slowest %d ms (%s)%n", all.getCount(),
                Math.round(all.getAverage()), all.getMax(), MILLIS.entrySet().stream()
                        .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("-"));
    }

    /** The findings of one run of one variant, or the failure to run it. */
    private static List<Finding> run(Scenario scenario, boolean fixed, int attempt) throws Exception {
        String base = scenario.name() + (fixed ? "-fixed" : "") + "-" + attempt;
        Path trace = dir.resolve(base + ".trace");
        Path log = dir.resolve(base + ".log");
        List<String> args = new ArrayList<>(List.of("demo", scenario.name(), "--out", trace.toString()));
        if (fixed) {
            args.add("--fixed");
        }
        long start = System.nanoTime();
        Cli.Result r = Cli.run(cmd -> ((DemoCommand) cmd.getSubcommands().get("demo").getCommand())
                .redirectChildOutput(log), args.toArray(String[]::new));
        assertThat(r.exitCode()).as("exit code of %s; stderr: %s; program output: %s", args, r.err(),
                Files.exists(log) ? Files.readString(log) : "").isZero();
        List<Finding> findings = Detectors.analyze(ModelBuilder.build(trace));
        MILLIS.put(base, (System.nanoTime() - start) / 1_000_000);
        return findings;
    }

    /** The failure message: which run, and what it found. */
    private static String describe(String run, List<Finding> findings) {
        return run + ": " + (findings.isEmpty() ? "no finding" : findings.stream()
                .map(f -> f.type() + " " + f.threads() + ": " + f.summary())
                .collect(Collectors.joining("\n", "findings:\n", "")));
    }

    @TestFactory
    Stream<DynamicContainer> everyScenarioGivesItsFindingEveryTime() {
        List<DynamicContainer> scenarios = new ArrayList<>();
        String only = System.getProperty("tangle.scenarios", "");
        for (Scenario scenario : Scenarios.all()) {
            if (!only.isBlank() && !List.of(only.split(",")).contains(scenario.name())) {
                continue;
            }
            List<DynamicTest> tests = new ArrayList<>();
            for (int attempt = 1; attempt <= RUNS; attempt++) {
                int a = attempt;
                Future<List<Finding>> buggy = RUNNER.submit(() -> run(scenario, false, a));
                tests.add(DynamicTest.dynamicTest((scenario.isBug() ? "buggy, run " : "run ") + a + ": "
                        + (scenario.isBug() ? scenario.expected() + " " + scenario.threads() : "no finding"), () -> {
                            List<Finding> findings = buggy.get(2, TimeUnit.MINUTES);
                            if (scenario.isBug()) {
                                assertExpected(scenario, a, findings);
                            } else {
                                assertThat(findings).as(describe(scenario.name() + " run " + a, findings)).isEmpty();
                            }
                        }));
                if (scenario.isBug()) {
                    Future<List<Finding>> fixed = RUNNER.submit(() -> run(scenario, true, a));
                    tests.add(DynamicTest.dynamicTest("fixed, run " + a + ": no finding", () -> {
                        List<Finding> findings = fixed.get(2, TimeUnit.MINUTES);
                        assertThat(findings).as(describe(scenario.name() + " --fixed run " + a, findings))
                                .isEmpty();
                    }));
                }
            }
            scenarios.add(DynamicContainer.dynamicContainer(scenario.name(), tests));
        }
        return scenarios.stream();
    }

    /** Only findings of the expected type, which together name exactly the expected threads. */
    private static void assertExpected(Scenario scenario, int attempt, List<Finding> findings) {
        String run = scenario.name() + " run " + attempt + " (expected " + scenario.expected() + ")";
        assertThat(findings).as(describe(run, findings)).isNotEmpty()
                .allSatisfy(f -> assertThat(f.type().name()).isEqualTo(scenario.expected()));
        assertThat(findings.stream().flatMap(f -> f.threads().stream()).distinct().toList())
                .as(describe(run, findings)).containsExactlyInAnyOrderElementsOf(scenario.threads());
    }
}
