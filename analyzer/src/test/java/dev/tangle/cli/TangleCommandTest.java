package dev.tangle.cli;

import org.junit.jupiter.api.Test;

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
}
