package dev.tangle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tangle.detect.FindingType;
import dev.tangle.programs.LockCycleDeadlock;
import dev.tangle.programs.OrderedLocking;
import dev.tangle.report.JsonReport;
import dev.tangle.samples.deadlock.PrintSumDeadlock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tangle analyze --format sarif} on real recordings, validated against the official SARIF 2.1.0 JSON
 * schema (src/test/resources/sarif, see its README) with a JSON-schema library.
 */
class SarifReportTest {
    private static JsonSchema schema;
    /** Each program is recorded once for all tests. */
    private static final java.util.Map<Class<?>, Path> recorded = new java.util.HashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = SarifReportTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private static synchronized Path record(Class<?> program) throws Exception {
        Path done = recorded.get(program);
        if (done != null) {
            return done;
        }
        Path trace = dir.resolve(program.getSimpleName() + ".trace");
        Path log = dir.resolve(program.getSimpleName() + ".log");
        String cp = Path.of(program.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(PrintSumDeadlock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Cli.Result r = Cli.run(cmd -> ((RecordCommand) cmd.getSubcommands().get("record").getCommand())
                .redirectChildOutput(log), "record", "--no-analyze", "--out", trace.toString(), "--", "-cp", cp,
                program.getName());
        assertThat(r.exitCode()).as("exit code; child output: %s", Files.exists(log) ? Files.readString(log) : "")
                .isZero();
        recorded.put(program, trace);
        return trace;
    }

    /** The module's folder is the project folder: its src/test/java holds the recorded programs' sources. */
    private static JsonNode sarif(Path trace, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "sarif", trace.toString()));
        args.addAll(Arrays.asList(more));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isIn(0, 1);
        return JsonReport.mapper().readTree(r.out());
    }

    private static Set<ValidationMessage> violations(JsonNode log) {
        return schema.validate(log);
    }

    @Test
    void aRecordedDeadlockIsOneValidResultWithSourcePathsAndOneCodeFlowPerThread() throws Exception {
        JsonNode log = sarif(record(LockCycleDeadlock.class));

        assertThat(violations(log)).isEmpty();
        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = log.get("runs").get(0);
        JsonNode rules = run.get("tool").get("driver").get("rules");
        assertThat(rules).hasSize(FindingType.values().length);
        for (FindingType t : FindingType.values()) {
            assertThat(rules.get(t.ordinal()).get("id").asText()).isEqualTo(t.name());
        }
        assertThat(run.get("results")).hasSize(1);
        JsonNode result = run.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo("DEADLOCK");
        assertThat(result.get("ruleIndex").asInt()).isEqualTo(FindingType.DEADLOCK.ordinal());
        assertThat(result.get("level").asText()).isEqualTo("error");
        assertThat(result.get("message").get("text").asText()).startsWith("Deadlock: ");
        // the program's own frames, as paths under the project folder; no JDK frame among the locations
        assertThat(result.get("locations")).isNotEmpty().allSatisfy(l -> {
            JsonNode artifact = l.get("physicalLocation").get("artifactLocation");
            assertThat(artifact.get("uri").asText()).isEqualTo("src/test/java/dev/tangle/programs/LockCycleDeadlock.java");
            assertThat(artifact.get("uriBaseId").asText()).isEqualTo("%SRCROOT%");
            assertThat(l.get("physicalLocation").get("region").get("startLine").asInt()).isPositive();
        });
        assertThat(run.get("originalUriBaseIds").get("%SRCROOT%").get("uri").asText())
                .isEqualTo(Path.of("").toAbsolutePath().toUri().toString());
        // one code flow per thread, each ending where the thread holds or waits, with what it does there
        JsonNode flows = result.get("codeFlows");
        assertThat(flows).hasSize(3);
        List<String> threads = new ArrayList<>();
        for (JsonNode flow : flows) {
            JsonNode threadFlow = flow.get("threadFlows").get(0);
            threads.add(threadFlow.get("id").asText());
            JsonNode steps = threadFlow.get("locations");
            assertThat(steps).isNotEmpty();
            assertThat(steps).anySatisfy(s -> assertThat(s.path("location").path("message").path("text").asText())
                    .contains("waits for"));
            assertThat(steps.get(0).get("nestingLevel").asInt()).isZero();
        }
        assertThat(threads).containsExactlyInAnyOrder("cycle-0", "cycle-1", "cycle-2");
    }

    @Test
    void aCorrectProgramIsAValidLogWithNoResult() throws Exception {
        JsonNode log = sarif(record(OrderedLocking.class));

        assertThat(violations(log)).isEmpty();
        assertThat(log.get("runs").get(0).get("results")).isEmpty();
    }

    @Test
    void withoutTheSourcesTheLocationsAreLogicalOnly() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("elsewhere"));
        JsonNode log = sarif(record(LockCycleDeadlock.class), "--project-dir", empty.toString());

        assertThat(violations(log)).isEmpty();
        assertThat(log.get("runs").get(0).get("results").get(0).get("locations")).isNotEmpty().allSatisfy(l -> {
            assertThat(l.has("physicalLocation")).isFalse();
            assertThat(l.get("logicalLocations").get(0).get("fullyQualifiedName").asText())
                    .startsWith("dev.tangle.programs.LockCycleDeadlock.");
        });
    }

    @Test
    void theSchemaRejectsWhatSarifForbids() throws Exception {
        JsonNode log = sarif(record(LockCycleDeadlock.class));
        ObjectNode broken = log.deepCopy();
        ((ObjectNode) broken.get("runs").get(0).get("results").get(0)).remove("message"); // a result needs one
        ((ObjectNode) broken).put("version", "2.0.0");

        assertThat(violations(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aMissingProjectFolderIsBadInput() throws Exception {
        Cli.Result r = Cli.run("analyze", "--format", "sarif", "--project-dir", dir.resolve("nope").toString(),
                record(OrderedLocking.class).toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--project-dir").contains("no such folder");
    }
}
