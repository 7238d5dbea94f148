package dev.tangle.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/** A command that is planned but not written yet: it says so and exits with {@link ExitCodes#BAD_INPUT}. */
abstract class UnavailableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Whatever was given: the message is the same. */
    @Unmatched
    List<String> ignored;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": not yet available");
        spec.commandLine().getErr().flush();
        return ExitCodes.BAD_INPUT;
    }
}
