package dev.tangle.cli;

import dev.tangle.trace.TraceFormatException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Turns every failure into one line on stderr, {@code tangle <command>: <what went wrong>}, and an exit code:
 * {@link ExitCodes#BAD_INPUT} for the user's input (options, files, traces), {@link ExitCodes#SOFTWARE} for a
 * bug of ours. Stack traces are shown only with {@code -Dtangle.debug=true}.
 */
final class TangleExecutionExceptionHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException && cmd.getCommand() instanceof RecordCommand) {
            message += " (java arguments go after '--': tangle record [OPTIONS] -- -cp APP.jar MAIN)";
        }
        cmd.getErr().println(name(cmd) + ": " + message + " (see '" + name(cmd) + " --help')");
        cmd.getErr().flush();
        return ExitCodes.BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        int code = ExitCodes.BAD_INPUT;
        String message;
        if (ex instanceof BadInputException || ex instanceof TraceFormatException) {
            message = ex.getMessage();
        } else if (ex instanceof NoSuchFileException e) {
            message = e.getFile() + ": no such file";
        } else if (ex instanceof AccessDeniedException e) {
            message = e.getFile() + ": permission denied";
        } else if (ex instanceof FileSystemException e) {
            message = e.getMessage(); // names the file and the reason
        } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
            message = "I/O error: " + ex.getMessage();
        } else {
            code = ExitCodes.SOFTWARE;
            message = "internal error: " + ex + " (run java with -Dtangle.debug=true for the stack trace)";
        }
        cmd.getErr().println(name(cmd) + ": " + message);
        if (Boolean.getBoolean("tangle.debug")) {
            ex.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return code;
    }

    private static String name(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName();
    }
}
