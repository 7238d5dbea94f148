package dev.tangle.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
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

    @Parameters(paramLabel = "FILE", description = "the trace file")
    Path file;

    @Option(names = "--stacks", description = "include the captured call stacks (innermost frame first)")
    boolean stacks;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + (Files.exists(file) ? ": not a file" : ": no such file"));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
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
