package dev.tangle.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;

/** Runs {@code tangle} in this JVM, as {@code main} would, and captures what it prints. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return run(cmd -> { }, args);
    }

    /** {@code setup} sees the configured command line before it runs (e.g. to reach a subcommand object). */
    static Result run(Consumer<CommandLine> setup, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = TangleCommand.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        setup.accept(cmd);
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
