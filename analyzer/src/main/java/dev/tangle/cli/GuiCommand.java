package dev.tangle.cli;

import picocli.CommandLine.Command;

@Command(name = "gui", mixinStandardHelpOptions = true,
        description = "Shows a trace on a timeline (not yet available).")
final class GuiCommand extends UnavailableCommand {
}
