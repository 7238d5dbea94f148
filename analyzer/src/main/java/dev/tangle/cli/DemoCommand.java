package dev.tangle.cli;

import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Records and analyses a sample program (not yet available).")
final class DemoCommand extends UnavailableCommand {
}
