package dev.tangle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The {@code tangle} command: records Java programs and reads their traces. */
@Command(name = "tangle", mixinStandardHelpOptions = true, versionProvider = TangleCommand.Version.class,
        description = "Finds concurrency bugs in JVM programs from a recording of their locks and threads.",
        subcommands = {RecordCommand.class, DumpCommand.class, AnalyzeCommand.class, ExportCommand.class,
                AttachCommand.class, DetachCommand.class, DemoCommand.class, GuiCommand.class,
                CommandLine.HelpCommand.class})
public final class TangleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The command line as {@code main} runs it: one-line errors with exit code {@link ExitCodes#BAD_INPUT} for
     * bad options, missing files and corrupt traces, and java arguments after {@code --} passed on untouched.
     */
    public static CommandLine newCommandLine() {
        CommandLine cmd = new CommandLine(new TangleCommand());
        cmd.setExpandAtFiles(false); // "@argfile" after "--" belongs to java, not to us
        cmd.setParameterExceptionHandler(new TangleExecutionExceptionHandler());
        cmd.setExecutionExceptionHandler(new TangleExecutionExceptionHandler());
        return cmd;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command (record, dump, ...)");
    }

    /** The version from the jar manifest ("dev" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TangleCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tangle " + (v == null ? "dev" : v)};
        }
    }
}
