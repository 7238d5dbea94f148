package dev.tangle.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TangleCommandTest {
    /** The viewer is its own jar: without the checkout it belongs to (./tangle sets tangle.home), one error line. */
    @Test
    void guiWithoutTheViewerJarIsOneErrorLine() {
        String home = System.clearProperty("tangle.home");
        try {
            Cli.Result r = Cli.run("gui", "x.trace");

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString()
                    .startsWith("tangle gui: the viewer jar gui/target/tangle-gui.jar is missing");
        } finally {
            if (home != null) {
                System.setProperty("tangle.home", home);
            }
        }
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "tangle: missing command (record, dump, ...) (see 'tangle --help')");
    }

    @Test
    void unknownCommandIsOneErrorLine() {
        Cli.Result r = Cli.run("replay", "x.trace");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("tangle: Unmatched arguments");
    }

    @Test
    void helpListsTheCommands() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("record", "dump", "analyze", "attach", "demo", "gui");
    }

    /**
     * {@code tangle --help} lists each command with the first line of its header or description, wrapped: that
     * line must be one whole sentence, shown whole ("attach" was cut at "...and records until").
     */
    @Test
    void helpShowsEveryCommandsSummaryAsAWholeSentence() {
        Cli.Result r = Cli.run("--help");
        Map<String, StringBuilder> listed = new LinkedHashMap<>();
        StringBuilder current = null;
        boolean inCommands = false;
        for (String line : r.outLines()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.matches("  \\S.*")) {
                String[] nameAndText = line.trim().split("\\s+", 2);
                current = new StringBuilder(nameAndText[1]);
                listed.put(nameAndText[0], current);
            } else if (inCommands && current != null && line.startsWith("    ")) {
                current.append(' ').append(line.trim());
            }
        }

        Map<String, CommandLine> commands = TangleCommand.newCommandLine().getSubcommands();
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(commands.keySet())
                .contains("export", "attach");
        commands.forEach((name, cmd) -> {
            // what picocli lists: the first header line, else the first description line
            CommandLine.Model.UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
            String first = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
            assertThat(first).as("the summary of %s", name).endsWith(".");
            // picocli may wrap inside a word ("chrome:" / "//tracing"): compare without the white space
            assertThat(listed.get(name).toString().replaceAll("\\s+", "")).as("the summary of %s", name)
                    .isEqualTo(first.replaceAll("\\s+", ""));
        });
    }
}
