package dev.tangle.cli;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.Severity;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.TraceModel;
import dev.tangle.report.JsonReport;
import dev.tangle.report.TextReport;
import dev.tangle.trace.TraceFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** Finds concurrency bugs in a trace and reports them as text or JSON. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Finds concurrency bugs in a trace: deadlocks, potential deadlocks (lock-order"
                + " inversions), communication deadlocks, livelocks, starvation and leaked threads."},
        footer = {"Exit code: 0 no findings (of the --fail-on types and severities), 1 findings, 2 error (bad file or"
                + " option). Notes (severity NOTE) never fail unless --fail-on-severity NOTE."})
final class AnalyzeCommand implements Callable<Integer> {
    static final int FINDINGS = 1;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the trace file")
    Path file;

    private String format = "text";
    private Set<FindingType> failOn = EnumSet.allOf(FindingType.class);
    private Severity failOnSeverity = Severity.WARNING;

    @Option(names = "--format", paramLabel = "text|json", description = "report format (default: text)")
    void setFormat(String value) {
        if (!value.equals("text") && !value.equals("json")) {
            throw new ParameterException(spec.commandLine(), "--format must be text or json, not '" + value + "'");
        }
        format = value;
    }

    @Option(names = "--fail-on", paramLabel = "TYPES", description = "comma-separated finding types that make"
            + " the exit code 1 (default: all): " + "DEADLOCK, COMMUNICATION_DEADLOCK, POTENTIAL_DEADLOCK,"
            + " LIVELOCK, STARVATION, THREAD_LEAK")
    void setFailOn(String value) {
        failOn = parseTypes(spec, value);
    }

    @Option(names = "--fail-on-severity", paramLabel = "ERROR|WARNING|NOTE", description = "the least severe"
            + " finding that makes the exit code 1 (default: WARNING, so notes never fail; NOTE to fail on them too,"
            + " ERROR for hangs only)")
    void setFailOnSeverity(String value) {
        try {
            failOnSeverity = Severity.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--fail-on-severity must be ERROR, WARNING or NOTE,"
                    + " not '" + value + "'");
        }
    }

    static Set<FindingType> parseTypes(CommandSpec spec, String value) {
        Set<FindingType> types = EnumSet.noneOf(FindingType.class);
        for (String part : value.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                types.add(FindingType.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--fail-on: unknown finding type '" + part.trim()
                        + "' (one of " + Arrays.stream(FindingType.values()).map(Enum::name)
                        .collect(Collectors.joining(", ")) + ")");
            }
        }
        return types;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + (Files.exists(file) ? ": not a file" : ": no such file"));
        }
        TraceModel model = readModel(file, file.toString());
        List<Finding> findings = Detectors.analyze(model);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            JsonReport.write(out, findings, model.summary());
        } else {
            for (String blindSpot : RecordingReport.blindSpots(file)) {
                out.println("blind spot: " + blindSpot);
            }
            TextReport.write(out, findings, model.summary());
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String warning : model.summary().warnings()) {
            err.println(spec.qualifiedName() + ": warning: " + warning);
        }
        err.flush();
        return findings.stream().anyMatch(f -> failOn.contains(f.type())
                && f.severity().compareTo(failOnSeverity) <= 0) ? FINDINGS : ExitCodes.OK;
    }

    /** Reads a trace into a model; a corrupt trace is bad input, named with its file. */
    static TraceModel readModel(Path file, String shown) throws IOException {
        try {
            return ModelBuilder.build(file);
        } catch (TraceFormatException e) {
            String message = e.getMessage();
            throw new BadInputException(message.startsWith(file.toString()) || message.startsWith(shown) ? message
                    : shown + ": " + message);
        }
    }
}
