package dev.tangle.cli;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.Severity;
import dev.tangle.model.ModelBuilder;
import dev.tangle.dump.ThreadDumpFormatException;
import dev.tangle.input.InputFileException;
import dev.tangle.input.InputFormat;
import dev.tangle.input.Inputs;
import dev.tangle.jfr.JfrFormatException;
import dev.tangle.model.TraceModel;
import dev.tangle.model.TraceSummary;
import dev.tangle.report.JsonReport;
import dev.tangle.report.SarifReport;
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

/** Finds concurrency bugs in a trace and reports them as text, JSON or SARIF. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Finds concurrency bugs in a trace: deadlocks, potential deadlocks (lock-order"
                + " inversions), communication deadlocks, livelocks, starvation and leaked threads.",
                "Also reads a JFR recording (.jfr), and thread dumps: the text of jstack -l or jcmd Thread.print -l,"
                        + " or JDK 21+'s JSON Thread.dump_to_file; several dumps of one JVM (files, or dumps"
                        + " appended to one file) are one trace, in time order. Files are told apart by content."},
        footer = {"Exit code: 0 no findings (of the --fail-on types and severities), 1 findings, 2 error (bad file or"
                + " option). Notes (severity NOTE) never fail unless --fail-on-severity NOTE."})
final class AnalyzeCommand implements Callable<Integer> {
    static final int FINDINGS = 1;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the trace file, a JFR recording, or thread"
            + " dumps of one JVM")
    List<Path> files;

    private String format = "text";
    private Set<FindingType> failOn = EnumSet.allOf(FindingType.class);
    private Severity failOnSeverity = Severity.WARNING;

    @Option(names = "--format", paramLabel = "text|json|sarif", description = "report format (default: text);"
            + " sarif: SARIF 2.1.0 for code scanning, with source paths under --project-dir")
    void setFormat(String value) {
        if (!value.equals("text") && !value.equals("json") && !value.equals("sarif")) {
            throw new ParameterException(spec.commandLine(), "--format must be text, json or sarif, not '" + value
                    + "'");
        }
        format = value;
    }

    @Option(names = "--project-dir", paramLabel = "DIR", description = "with --format sarif: the folder source paths"
            + " are relative to, usually the repository root (default: the current folder)")
    Path projectDir = Path.of("");

    @Option(names = "--source-root", paramLabel = "DIR", description = "with --format sarif: a folder of Java"
            + " sources, relative to --project-dir; repeatable (default: src/main/java and src/test/java of the"
            + " project folder and of each folder in it)")
    List<Path> sourceRoots = new java.util.ArrayList<>();

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
        if (format.equals("sarif") && !Files.isDirectory(projectDir)) {
            throw new BadInputException("--project-dir " + projectDir + ": no such folder");
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file + (Files.exists(file) ? ": not a file" : ": no such file"));
            }
        }
        Path file = files.get(0);
        TraceModel model = readAnyModel(files);
        List<Finding> findings = Detectors.analyze(model);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            JsonReport.write(out, findings, model.summary());
        } else if (format.equals("sarif")) {
            new SarifReport(projectDir, sourceRoots.isEmpty() ? SarifReport.defaultSourceRoots(
                    projectDir.toAbsolutePath()) : sourceRoots).write(out, findings, model.summary(),
                    new TangleCommand.Version().getVersion()[0].substring("tangle ".length()));
        } else {
            List<String> blindSpots = TraceSummary.TANGLE_TRACE.equals(model.summary().format())
                    ? RecordingReport.blindSpots(file) : model.summary().blindSpots();
            for (String blindSpot : blindSpots) {
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

    /**
     * Reads a trace, a JFR recording or thread dumps into a model (told apart by content, {@link Inputs}); a file
     * that is none of them, or corrupt, is bad input, named with its file.
     */
    static TraceModel readAnyModel(List<Path> files) throws IOException {
        InputFormat format;
        try {
            format = Inputs.formatOf(files);
            if (format != InputFormat.TANGLE_TRACE) {
                return Inputs.importFiles(files).model();
            }
        } catch (InputFileException | ThreadDumpFormatException | JfrFormatException e) {
            throw new BadInputException(e.getMessage());
        } catch (OutOfMemoryError e) {
            throw tooLarge(files.get(0).toString());
        }
        return readModel(files.get(0), files.get(0).toString());
    }

    /** Reads a trace into a model; a corrupt trace is bad input, named with its file. */
    static TraceModel readModel(Path file, String shown) throws IOException {
        try {
            return ModelBuilder.build(file);
        } catch (TraceFormatException e) {
            String message = e.getMessage();
            throw new BadInputException(message.startsWith(file.toString()) || message.startsWith(shown) ? message
                    : shown + ": " + message);
        } catch (OutOfMemoryError e) {
            throw tooLarge(shown); // the half-built model is garbage once we are out of here
        }
    }

    /** The model of a trace is kept in memory: a trace too large for the heap is named, with the remedy. */
    private static BadInputException tooLarge(String shown) {
        return new BadInputException(shown + ": too large to analyse in this Java heap (at most "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB); give tangle more memory, e.g."
                + " TANGLE_JAVA_OPTS=-Xmx12g ./tangle ...");
    }
}
