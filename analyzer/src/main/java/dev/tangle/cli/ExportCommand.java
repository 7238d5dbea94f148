package dev.tangle.cli;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.export.PerfettoExporter;
import dev.tangle.model.TraceModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tangle export FILE --format perfetto --out F.json}: a trace as a timeline for other viewers. The one format
 * so far is Chrome's JSON Trace Event Format, which ui.perfetto.dev and chrome://tracing open
 * ({@link PerfettoExporter}).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a trace for other timeline viewers: --format perfetto opens in ui.perfetto.dev and"
                + " in Chrome's trace viewer.",
                "The file is Chrome's JSON Trace Event Format (ui.perfetto.dev: Open trace file; chrome://tracing:"
                        + " Load).",
                "One track per thread, grouped by pool; slices where a thread was blocked, waiting, parked,"
                        + " sleeping or idle, named by the resource; arrows from the thread that woke a wait (or"
                        + " held what it waited for); the findings as instant events."},
        footer = {"Exit code: 0 written, 2 error (bad file or option)."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the trace file, a JFR recording, or thread"
            + " dumps of one JVM (several files are one trace, in time order)")
    List<Path> files;

    @Option(names = "--format", required = true, paramLabel = "perfetto",
            description = "the output format: perfetto (Chrome JSON trace format)")
    void setFormat(String value) {
        if (!value.equals("perfetto")) {
            throw new ParameterException(spec.commandLine(), "--format must be perfetto, not '" + value + "'");
        }
    }

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "the file to write")
    Path out;

    @Override
    public Integer call() throws IOException {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file + (Files.exists(file) ? ": not a file" : ": no such file"));
            }
        }
        if (Files.isDirectory(out)) {
            throw new BadInputException(out + ": is a directory");
        }
        TraceModel model = AnalyzeCommand.readAnyModel(files);
        List<Finding> findings = Detectors.analyze(model);
        PerfettoExporter.Stats stats = write(model, findings);
        PrintWriter err = spec.commandLine().getErr();
        for (String warning : model.summary().warnings()) {
            err.println(spec.qualifiedName() + ": warning: " + warning);
        }
        err.flush();
        PrintWriter o = spec.commandLine().getOut();
        o.println("tangle: wrote " + out + " (" + stats.threads() + " threads in " + stats.processes()
                + (stats.processes() == 1 ? " group, " : " groups, ") + stats.slices() + " slices, "
                + stats.flows() + " arrows, " + findings.size() + (findings.size() == 1 ? " finding)" : " findings)"));
        o.flush();
        return ExitCodes.OK;
    }

    /** Writes beside {@code out} and moves the file into place: a failed export leaves no half file behind. */
    private PerfettoExporter.Stats write(TraceModel model, List<Finding> findings) throws IOException {
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        OutputStream os;
        try {
            os = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new BadInputException(out + ": cannot write: no such directory " + dir);
        } catch (AccessDeniedException e) {
            throw new BadInputException(out + ": cannot write: permission denied in " + dir);
        } catch (IOException e) {
            throw new BadInputException(out + ": cannot write: " + e.getMessage());
        }
        try {
            PerfettoExporter.Stats stats;
            try (os) {
                stats = PerfettoExporter.write(model, findings, os);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return stats;
        } catch (IOException e) {
            throw new BadInputException(out + ": cannot write: " + e.getMessage());
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
