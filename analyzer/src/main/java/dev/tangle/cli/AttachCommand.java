package dev.tangle.cli;

import picocli.CommandLine.Command;

@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Records a running JVM (not yet available).")
final class AttachCommand extends UnavailableCommand {
}
