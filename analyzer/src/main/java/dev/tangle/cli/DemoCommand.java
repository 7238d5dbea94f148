package dev.tangle.cli;

import dev.tangle.samples.Scenario;
import dev.tangle.samples.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

/**
 * Runs one scenario of the demo catalogue ({@link Scenarios}) under the agent, as {@code record} would, and
 * prints its findings; without a name, lists the catalogue. A scenario that hangs on purpose says so on its
 * output ({@link dev.tangle.samples.HangNotice}); the demo then stops it with SIGTERM, and the agent writes the trace with every
 * thread still blocked, which is what makes the hang a finding.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "tangle demo [-hV] [NAME [--fixed] [-o=FILE] [--gui]]",
        description = {"Runs a demo scenario with the Tangle agent and shows what Tangle finds.",
                "Without NAME, lists the scenarios: classic concurrency bugs, each with a fixed variant, and",
                "correct programs that must stay clean."},
        footer = {"Exit code: 0 when the scenario ran and was analysed, 2 for an unknown scenario or when it"
                + " could not be run."})
final class DemoCommand implements Callable<Integer> {
    /** The system property that names the samples jar; the ./tangle launcher sets it. */
    static final String SAMPLES_JAR_PROPERTY = "tangle.samplesJar";
    /** After the program says it hung, how long to let its last thread settle into its wait before stopping it. */
    private static final long SETTLE_MILLIS = 300;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "the scenario to run (omit to list them)")
    String name;

    @Option(names = "--fixed", description = "run the scenario's fixed variant instead of the buggy one")
    boolean fixed;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "the trace file (default: tangle-demo-NAME[-fixed].trace here)")
    Path out;

    @Option(names = "--gui", description = "open the trace in the desktop viewer afterwards")
    boolean gui;

    /** Where the program's output goes; tests send it to a file. Null: our own stdout and stderr. */
    private Path childOutput;

    void redirectChildOutput(Path file) {
        childOutput = file;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (name == null) {
            list(stdout);
            return 0;
        }
        Scenario scenario = Scenarios.named(name).orElseThrow(() -> new BadInputException("no scenario named '"
                + name + "' (run 'tangle demo' for the list)"));
        if (fixed && !scenario.isBug()) {
            throw new BadInputException(name + " is a correct program: it has no --fixed variant");
        }
        Path trace = out != null ? out : Paths.get("tangle-demo-" + name + (fixed ? "-fixed" : "") + ".trace");
        Path absoluteTrace = RecordingReport.newTraceFile(trace);

        Class<?> main = scenario.mainClass(fixed);
        stdout.println("tangle demo: " + name + (fixed ? " (fixed)" : "") + ": " + scenario.description());
        stdout.println("tangle demo: running " + main.getName() + " with the agent");
        stdout.flush();
        DemoProcess.Ending ending = run(main, absoluteTrace);
        if (ending == DemoProcess.Ending.HUNG) {
            stdout.println("tangle demo: the program hung, so it was stopped (SIGTERM); the trace ends with its"
                    + " threads still waiting");
        } else if (ending == DemoProcess.Ending.TOO_LONG) {
            stdout.println("tangle demo: the program was still running after " + DemoProcess.LIMIT_MILLIS / 1000
                    + " s, so it was stopped (SIGTERM)");
        }
        RecordingReport.written(stdout, trace, absoluteTrace);
        RecordingReport.analyze(stdout, trace, absoluteTrace);
        if (scenario.isBug()) {
            stdout.println(fixed ? "tangle demo: this is the fixed variant; 'tangle demo " + name + "' shows the bug"
                    : "tangle demo: expected " + scenario.expected() + "; 'tangle demo " + name
                    + " --fixed' runs the remedy");
        }
        stdout.println("tangle demo: trace: " + absoluteTrace);
        stdout.flush();
        if (gui) {
            stdout.println("tangle demo: opening the trace in the viewer (close its window to end)");
            stdout.flush();
            GuiCommand.open(absoluteTrace);
        }
        return 0;
    }

    /** One line per scenario: name, expected finding (bugs), description. */
    private static void list(PrintWriter stdout) {
        int width = Scenarios.all().stream().mapToInt(s -> s.name().length()).max().orElse(0);
        int typeWidth = Scenarios.all().stream().filter(Scenario::isBug).mapToInt(s -> s.expected().length())
                .max().orElse(0);
        stdout.println("Run one with: tangle demo NAME (the bug) or tangle demo NAME --fixed (its remedy)");
        String section = null;
        for (Scenario s : Scenarios.all()) {
            String heading = s.isBug() ? "Bugs, with the finding each one gives:" : "Correct programs (no finding):";
            if (!heading.equals(section)) {
                stdout.println();
                stdout.println(heading);
                section = heading;
            }
            stdout.printf("  %-" + width + "s  %-" + typeWidth + "s  %s%n", s.name(), s.isBug() ? s.expected() : "",
                    s.description());
        }
        stdout.flush();
    }

    /** Runs the program to its end, or stops it once it says it hung (or runs too long). */
    private DemoProcess.Ending run(Class<?> main, Path trace) throws IOException, InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        Charset charset = Charset.defaultCharset();
        DemoProcess child = DemoProcess.start(main, trace, "",
                childOutput == null ? Redirect.INHERIT : Redirect.appendTo(childOutput.toFile()), line -> {
                    if (childOutput == null) {
                        stdout.println(line);
                        stdout.flush();
                    } else {
                        try {
                            Files.writeString(childOutput, line + System.lineSeparator(), charset,
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
        Thread stopChild = new Thread(child::stop, "tangle-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            DemoProcess.Ending ending = child.awaitEnd(SETTLE_MILLIS);
            if (ending == DemoProcess.Ending.KILLED) {
                throw new BadInputException(main.getName() + " did not stop within 10 s of SIGTERM");
            }
            return ending;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
        }
    }

    /** The samples jar the launcher names, else wherever the catalogue was loaded from (tests: its classes). */
    static String samplesClassPath() {
        String property = System.getProperty(SAMPLES_JAR_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path jar = Paths.get(property).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new BadInputException(jar + ": samples jar not found (" + SAMPLES_JAR_PROPERTY
                        + "; build it with mvn -DskipTests package)");
            }
            return jar.toString();
        }
        try {
            return Paths.get(Scenarios.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new BadInputException("the samples jar is unknown: system property " + SAMPLES_JAR_PROPERTY
                    + " is not set (run tangle through the ./tangle launcher)");
        }
    }
}
