package dev.tangle.cli;

import dev.tangle.samples.Scenario;
import dev.tangle.samples.Scenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void withoutANameListsEveryScenarioWithItsExpectedFinding() {
        Cli.Result r = Cli.run("demo");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        for (Scenario s : Scenarios.all()) {
            assertThat(r.outLines()).as(s.name()).anySatisfy(line -> assertThat(line)
                    .startsWith("  " + s.name() + " ")
                    .contains(s.description())
                    .contains(s.isBug() ? s.expected() : ""));
        }
    }

    @Test
    void anUnknownScenarioIsOneErrorLine() {
        Cli.Result r = Cli.run("demo", "no-such-bug");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "tangle demo: no scenario named 'no-such-bug' (run 'tangle demo' for the list)");
    }

    @Test
    void aCorrectProgramHasNoFixedVariant() {
        Cli.Result r = Cli.run("demo", "pipeline", "--fixed");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "tangle demo: pipeline is a correct program: it has no --fixed variant");
    }

    /** What a new user sees first: the program's own output, the finding with its stacks, the trace's path. */
    @Test
    void runsTheScenarioUnderTheAgentAndPrintsItsFindingsAndTrace() throws Exception {
        Path trace = dir.resolve("printsum.trace");
        Path log = dir.resolve("printsum.log");
        Cli.Result r = Cli.run(cmd -> ((DemoCommand) cmd.getSubcommands().get("demo").getCommand())
                .redirectChildOutput(log), "demo", "deadlock-monitors", "--out", trace.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(log)).contains("deadlock: each thread holds one value and waits for the other");
        assertThat(r.out()).contains("error[DEADLOCK]: Deadlock: \"printSum(a, b)\" and \"printSum(b, a)\"",
                "at dev.tangle.samples.deadlock.PrintSumDeadlock.printSum(PrintSumDeadlock.java:",
                "1 finding (1 DEADLOCK)", "tangle demo: trace: " + trace.toAbsolutePath());
        assertThat(trace).isRegularFile();
    }

    /** A program that hangs is stopped once it says so, and the trace still shows the hang. */
    @Test
    void aHungScenarioIsStoppedAndItsHangReported() throws Exception {
        Path trace = dir.resolve("hang.trace");
        Path log = dir.resolve("hang.log");
        Cli.Result r = Cli.run(cmd -> ((DemoCommand) cmd.getSubcommands().get("demo").getCommand())
                .redirectChildOutput(log), "demo", "lost-wakeup", "--out", trace.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("tangle demo: the program hung, so it was stopped (SIGTERM)",
                "error[COMMUNICATION_DEADLOCK]", "a lost wake-up");
    }

    @Test
    void theFixedVariantRunsTheRemedy() throws Exception {
        Path trace = dir.resolve("fixed.trace");
        Cli.Result r = Cli.run(cmd -> ((DemoCommand) cmd.getSubcommands().get("demo").getCommand())
                .redirectChildOutput(dir.resolve("fixed.log")), "demo", "deadlock-monitors", "--fixed", "--out",
                trace.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("running dev.tangle.samples.deadlock.PrintSumOrdered", "no concurrency bugs found");
    }
}
