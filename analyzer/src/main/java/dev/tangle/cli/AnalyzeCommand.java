package dev.tangle.cli;

import picocli.CommandLine.Command;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Finds concurrency bugs in a trace (not yet available).")
final class AnalyzeCommand extends UnavailableCommand {
}
