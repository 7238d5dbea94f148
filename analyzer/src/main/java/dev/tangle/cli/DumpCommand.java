package dev.tangle.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tangle.dump.ThreadDumpFormatException;
import dev.tangle.input.InputFileException;
import dev.tangle.input.InputFormat;
import dev.tangle.input.Inputs;
import dev.tangle.jfr.JfrFormatException;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceFormatException;
import dev.tangle.trace.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Prints a trace as JSON lines, one event per line, in file order. A truncated trace is printed up to its last
 * complete chunk with a warning; a corrupt one up to the bad chunk, then the error.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Prints every event of a trace as one JSON object per line.",
                "Fields: t (ns since start), thread, threadName, kind, and where they apply obj, objClass,"
                        + " objHash, owner, objCapacity, frame, flags, value, text (and stack with --stacks)."})
final class DumpCommand implements Callable<Integer> {
    /** How often (in events) to check whether stdout is still open, e.g. after {@code | head}. */
    private static final int CHECK_OUTPUT_EVERY = 4096;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the trace file (or a JFR recording, or thread"
            + " dumps of one JVM: the events Tangle makes of them, see docs/inputs.md)")
    List<Path> files;

    private Path file;

    @Option(names = "--stacks", description = "include the captured call stacks (innermost frame first)")
    boolean stacks;

    @Override
    public Integer call() throws IOException {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new BadInputException(f + (Files.exists(f) ? ": not a file" : ": no such file"));
            }
        }
        file = files.get(0);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
        Inputs.Imported imported;
        try {
            imported = Inputs.formatOf(files) == InputFormat.TANGLE_TRACE ? null : Inputs.importFiles(files);
        } catch (InputFileException | ThreadDumpFormatException | JfrFormatException e) {
            throw new BadInputException(e.getMessage());
        }
        if (imported != null) {
            Map<Long, String> names = imported.threadNames();
            try (JsonGenerator json = factory.createGenerator(new BufferedWriter(out, 1 << 16))) {
                json.setRootValueSeparator(null);
                for (TraceEvent e : imported.events()) {
                    EventJson.write(json, e, names.get(e.threadId()), stacks);
                    json.writeRaw('\n');
                }
            }
            return ExitCodes.OK;
        }
        try (TraceReader reader = TraceReader.open(file);
             JsonGenerator json = factory.createGenerator(new BufferedWriter(out, 1 << 16))) {
            json.setRootValueSeparator(null);
            try {
                long n = 0;
                for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
                    EventJson.write(json, e, reader.threadName(e.threadId()), stacks);
                    json.writeRaw('\n');
                    if (++n % CHECK_OUTPUT_EVERY == 0 && out.checkError()) {
                        return ExitCodes.OK; // the reader of our output has gone (a closed pipe)
                    }
                }
            } finally {
                json.flush(); // the events before a corrupt chunk come out before the error
            }
            for (String warning : reader.warnings()) {
                err.println(spec.qualifiedName() + ": warning: " + warning);
            }
            err.flush();
            return ExitCodes.OK;
        } catch (TraceFormatException e) {
            throw new BadInputException(withFile(e.getMessage()));
        }
    }

    /** The reader names the file in some messages (wrong magic) and not in others (a bad chunk). */
    private String withFile(String message) {
        return message.startsWith(file.toString()) ? message : file + ": " + message;
    }
}
